"""The MFDS importer, the reviewed mapping and the shipped subset (issue 15)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from mechuri.cli import app
from mechuri.knowledge.foods import load_food_table
from mechuri.knowledge.mfds import (
    CITATION,
    MAPPING_PATH,
    SUBSET_PATH,
    MappingRow,
    combine,
    import_mfds,
    read_mapping,
    read_mfds_csv,
    read_subset,
    row_problems,
)

KOREAN_HEADER = ["식품코드", "식품명", "식품기원명", "식품대분류코드", "대표식품명", "영양성분함량기준량", "에너지(kcal)",
                 "단백질(g)", "지방(g)", "탄수화물(g)", "당류(g)", "식이섬유(g)", "포화지방산(g)", "나트륨(mg)", "식품중량",
                 "업체명"]
ROWS = [
    # code, name, origin, group, representative, basis, kcal, protein, fat, carb, sugar, fiber, sat, sodium, weight
    ["D306-001000000-0001", "김치찌개", "외식(분석함량)", "06", "김치찌개", "100g", "61", "4.5", "3.6", "2.7", "1", "0.9",
     "1.2", "491", "400g", "해당없음"],
    ["D408-397000000-0001", "전어구이", "외식(재료량 기반 산출함량)", "08", "전어구이", "100ml", "33", "5.86", "0.82",
     "0.06", "0", "0", "0.2", "150", "360ml", "해당없음"],
    ["D106-002000000-0001", "된장찌개", "가정식(분석 함량)", "06", "된장찌개", "100g", "90", "3", "1", "2", "0", "0", "0.1",
     "318", "100g", "해당없음"],
]


def _write(path: Path, header: list[str], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(ROWS)
    return path


def test_reads_the_published_korean_headers_in_cp949_and_the_bilingual_copy(tmp_path):
    korean = read_mfds_csv(_write(tmp_path / "official.csv", KOREAN_HEADER, encoding="cp949"))
    bilingual = read_mfds_csv(_write(tmp_path / "copy.csv", [f"x_{i}|{name}" for i, name in enumerate(KOREAN_HEADER)]))
    assert korean == bilingual
    stew = korean[0]
    assert stew.code == "D306-001000000-0001" and stew.origin == "3" and stew.analysed
    assert stew.nutrients["kcal"] == 61 and stew.nutrients["sodium_mg"] == 491
    assert stew.portion_g == 400
    assert korean[2].portion_g is None  # 100g is the analysed amount, not a portion


def test_rows_failing_the_checks_are_rejected_with_the_reason(tmp_path):
    rows = read_mfds_csv(_write(tmp_path / "f.csv", KOREAN_HEADER))
    assert row_problems(rows[0]) == []
    assert any("고형 음식으로 불가능" in problem for problem in row_problems(rows[1]))  # 전어구이 33 kcal/100 ml
    assert any("4C+4P+9F" in problem for problem in row_problems(rows[2]))  # 90 kcal vs 29 from the macros
    mapping = [MappingRow("김치찌개", (rows[0].code,), "외식(분석함량)", "test"),
               MappingRow("된장찌개", (rows[2].code,), "가정식(분석 함량)", "test")]
    result = import_mfds(rows, mapping, load_food_table())
    assert [value.dish for value in result.values] == ["김치찌개"]
    assert result.agreement.rejected and result.agreement.rejected[0][0] == "된장찌개"
    assert "4C+4P+9F" in result.agreement.rejected[0][2]


def test_several_codes_combine_as_their_median(tmp_path):
    rows = read_mfds_csv(_write(tmp_path / "f.csv", KOREAN_HEADER))
    combined = combine("x", [rows[0], rows[2]], "test")
    assert combined.per100["kcal"] == 75.5 and combined.per100["sodium_mg"] == 404.5
    assert "외 1종 중앙값" in combined.source


def test_the_reviewed_mapping_names_real_dishes_and_shipped_codes():
    table = load_food_table()
    mapping = read_mapping()
    subset = {row.code: row for row in read_subset()}
    assert len(mapping) >= 240
    assert len({pairing.dish for pairing in mapping}) == len(mapping)
    for pairing in mapping:
        assert pairing.dish in table, pairing.dish
        assert pairing.codes and pairing.reason, pairing.dish
        for code in pairing.codes:
            assert code in subset, (pairing.dish, code)
            assert not any(code.startswith("D2") for code in pairing.codes) or "프랜차이즈" in pairing.origin
    for row in subset.values():
        assert row_problems(row) == [], row.name
    by_dish = {pairing.dish: pairing for pairing in mapping}
    assert subset[by_dish["후라이드치킨"].codes[0]].name == "닭튀김"
    assert by_dish["라면"].serving_g == 550  # the table's 120 g is the dry pack of a 550 g bowl


def test_the_shipped_subset_carries_the_citation_and_the_product_never_reads_shared_data():
    first_line = SUBSET_PATH.read_text(encoding="utf-8").splitlines()[0]
    assert CITATION in first_line
    assert MAPPING_PATH.read_text(encoding="utf-8").startswith("#")
    source = Path(__file__).parents[2] / "src" / "mechuri"
    for path in source.rglob("*.py"):
        assert "shared/data" not in path.read_text(encoding="utf-8"), path


def test_import_command_reports_agreement_and_writes_the_subset(tmp_path):
    published = _write(tmp_path / "mfds.csv", KOREAN_HEADER)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("dish,codes,origin,serving_g,reason\n"
                       "김치찌개,D306-001000000-0001,외식(분석함량),,test\n"
                       "된장찌개,D106-002000000-0001,가정식(분석 함량),,test\n", encoding="utf-8")
    out = tmp_path / "subset.csv"
    result = CliRunner().invoke(app, ["food", "import-mfds", str(published), "--mapping", str(mapping),
                                      "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["mapped"] == 1 and report["rows"] == 3 and report["rows_failing_checks"] == 2
    assert report["rejected"][0][0] == "된장찌개"
    assert report["summary"][0]["dishes"] == 1
    assert [row.code for row in read_subset(out)] == ["D306-001000000-0001"]
    text = CliRunner().invoke(app, ["food", "import-mfds", str(published), "--mapping", str(mapping),
                                    "--dry-run"])
    assert "매칭 전체" in text.output and "탈락: 된장찌개" in text.output
