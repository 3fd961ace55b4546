"""Importing outside data: a community Q&A dump and a calorie table, through a field mapping."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from mechuri.cli import app
from mechuri.data.example import read_examples
from mechuri.data.importers import FieldMapping, import_file, qa_examples

runner = CliRunner()


def test_calorie_table_in_cp949_becomes_grounded_examples(tmp_path):
    table = tmp_path / "calories.csv"
    table.write_bytes("식품명,1회제공량,에너지(kcal)\n김치찌개,400g,350\n된장찌개,400g,\n".encode("cp949"))
    mapping = FieldMapping(instruction="{식품명} 칼로리 알려줘",
                           input="[음식 정보] {식품명} 1회 제공량 {1회제공량}: 열량 {에너지(kcal)}kcal",
                           output="{식품명} 1회 제공량({1회제공량}) 기준 열량은 {에너지(kcal)}kcal예요.",
                           intent="nutrition")
    result = import_file(table, mapping, "aihub")
    assert [e.output for e in result.examples] == ["김치찌개 1회 제공량(400g) 기준 열량은 350kcal예요."]
    assert result.examples[0].source == "import:aihub" and result.examples[0].intent == "nutrition"
    assert result.skipped == {"missing:에너지(kcal)": 1}  # the row without a number is not guessed


def test_nested_community_dump_through_the_cli(tmp_path):
    dump = tmp_path / "community.json"
    dump.write_text(json.dumps({"data": [
        {"title": "자취생 간단 저녁 추천 좀", "answers": [{"body": "계란볶음밥 어때요? 재료가 간단해요."}]},
        {"title": "답 없는 질문", "answers": []},
    ]}, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "community.jsonl"
    result = runner.invoke(app, ["data", "import", str(dump), "--instruction", "title", "--output",
                                 "answers.0.body", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["skipped"] == {"missing:answers.0.body": 1}
    [example] = read_examples(out)
    assert example.instruction == "자취생 간단 저녁 추천 좀" and example.intent == "recommend"


def test_jsonl_and_the_bundled_qa_collection(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"q": "미역국 끓이는 법", "a": "미역을 불려 볶다가 끓여요.", "kind": "recipe"}\n', encoding="utf-8")
    [example] = import_file(rows, FieldMapping(instruction="q", output="a", intent="kind")).examples
    assert example.intent == "cooking" and example.source == "import:rows"
    qa = qa_examples()
    assert len(qa) == 411 and {e.source for e in qa} == {"qa"} and qa[0].id == "qa-0001"
