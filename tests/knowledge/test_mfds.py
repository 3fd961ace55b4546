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


# ------------------------------------------------------------------------------------ the applied table

def _per_serving(pairing, subset, dish) -> dict[str, float | None]:
    """What the table should say for a mapped dish, computed here from the shipped subset and mapping."""
    rows = [subset[code] for code in pairing.codes]
    per100 = combine(dish.name, rows, pairing.origin, pairing.grams).per100
    grams = pairing.serving_g or dish.serving_g
    return {key: None if value is None else value * grams / 100 for key, value in per100.items()}


def test_every_mapped_dish_says_the_mfds_numbers_per_serving_and_cites_its_code():
    table = load_food_table()
    subset = {row.code: row for row in read_subset()}
    for pairing in read_mapping():
        dish = table[pairing.dish]
        assert not dish.estimated, dish.name
        assert dish.source.startswith("식약처 음식DB") and pairing.codes[0] in dish.source, dish.name
        expected = _per_serving(pairing, subset, dish)
        for key, value in expected.items():
            if value is None:
                assert "식약처 미보고" in dish.notes, (dish.name, key)
                continue
            tolerance = 0.501 if key in ("kcal", "sodium_mg") else 0.0501  # rounding to a label
            if key in ("sugar_g", "fiber_g", "saturated_fat_g"):  # clamped under carbohydrate / fat
                assert getattr(dish, key) <= value + tolerance, (dish.name, key)
            else:
                assert abs(getattr(dish, key) - value) <= tolerance, (dish.name, key, getattr(dish, key), value)


def test_kimchi_stew_and_ramyeon_are_the_mfds_values_for_their_servings():
    table = load_food_table()
    subset = {row.name: row for row in read_subset()}
    stew, ramyeon = table["김치찌개"], table["라면"]
    assert stew.kcal == round(subset["김치찌개"].nutrients["kcal"] * stew.serving_g / 100)
    assert stew.sodium_mg == round(subset["김치찌개"].nutrients["sodium_mg"] * stew.serving_g / 100)
    # the table's 라면 is the 120 g dry pack; the MFDS bowl it becomes weighs 550 g
    assert ramyeon.serving_g == 120 and ramyeon.kcal == round(subset["라면"].nutrients["kcal"] * 550 / 100)


def test_at_most_forty_percent_of_the_table_is_estimated_and_the_checks_pass():
    from mechuri.knowledge.checks import check_dishes

    table = load_food_table()
    estimated = sum(dish.estimated for dish in table)
    assert estimated / len(table) <= 0.40, (estimated, len(table))
    assert check_dishes(table) == []


def test_analysed_dishes_agree_with_mfds_per_100g():
    """Issue 15's figures: of the dishes with an analysed MFDS row, ≥ 90 % within 10 % in kcal per 100 g
    and ≥ 85 % within 15 % in sodium per 100 g (measured on the shipped table, not assumed)."""
    table = load_food_table()
    result = import_mfds(read_subset(), read_mapping(), table)
    analysed = next(line for line in result.agreement.summary() if line["rows"] == "분석값(외식·가정식)")
    assert analysed["dishes"] >= 400
    assert analysed["kcal_within_10"] >= 90 and analysed["sodium_within_15"] >= 85


def test_apply_rewrites_a_row_from_mfds_keeps_what_is_unreported_and_is_idempotent(tmp_path):
    from mechuri.knowledge.foods import FOODS_DIR, read_food_csv
    from mechuri.knowledge.mfds import MfdsValues
    from mechuri.knowledge.mfds_apply import apply_values

    part = tmp_path / "part.csv"
    part.write_text((FOODS_DIR / "hansik_soup_rice.csv").read_text(encoding="utf-8"), encoding="utf-8")
    before = {dish.name: dish for dish in read_food_csv(part)}
    assert "저칼로리" in before["된장찌개"].tags
    per100 = {"kcal": 120.0, "carbohydrate_g": 8.0, "sugar_g": None, "protein_g": 8.0, "fat_g": 6.0,
              "saturated_fat_g": 1.0, "fiber_g": 1.0, "sodium_mg": 400.0}
    value = MfdsValues("된장찌개", ("D106-275000000-0001",), ("된장찌개",), "가정식(분석 함량)", per100, None)
    report = apply_values([value], [MappingRow("된장찌개", value.codes, value.origin, "test")], tmp_path)
    stew = {dish.name: dish for dish in read_food_csv(part)}["된장찌개"]
    grams = before["된장찌개"].serving_g
    assert report.applied == ["된장찌개"] and stew.serving_g == grams
    assert stew.kcal == round(120 * grams / 100) and stew.sodium_mg == round(400 * grams / 100)
    assert not stew.estimated and stew.source == value.source
    assert stew.sugar_g == min(before["된장찌개"].sugar_g, stew.carbohydrate_g)  # unreported: the estimate stays
    assert "식약처 미보고 항목은 추정: 당류" in stew.notes
    assert "저칼로리" not in stew.tags and ("된장찌개", "저칼로리") in report.dropped_tags  # 480 kcal now
    text = part.read_text(encoding="utf-8")
    apply_values([value], [MappingRow("된장찌개", value.codes, value.origin, "test")], tmp_path)
    assert part.read_text(encoding="utf-8") == text


def test_a_plate_of_several_mfds_dishes_is_their_weighted_mean(tmp_path):
    rows = read_mfds_csv(_write(tmp_path / "f.csv", KOREAN_HEADER))
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("dish,codes,origin,serving_g,reason\n"
                       "김치찌개정식,D306-001000000-0001*300|D106-002000000-0001*100,외식(분석함량),,test\n",
                       encoding="utf-8")
    pairing = read_mapping(mapping)[0]
    assert pairing.codes == ("D306-001000000-0001", "D106-002000000-0001") and pairing.grams == (300, 100)
    plate = combine("김치찌개정식", [rows[0], rows[2]], "test", pairing.grams)
    assert plate.per100["kcal"] == (61 * 300 + 90 * 100) / 400 and plate.portion_g == 400
    assert "구성: 김치찌개 300 g + 된장찌개 100 g" in plate.source
    out = tmp_path / "again.csv"
    from mechuri.knowledge.mfds import write_mapping
    write_mapping([pairing], out)
    assert read_mapping(out) == [pairing]
