"""`mechuri data build` with no teacher: a clean, grounded dataset of thousands of examples."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mechuri.cli import app
from mechuri.data.example import INTENTS, exact_key, read_examples
from mechuri.data.filters import ungrounded_numbers
from mechuri.knowledge.foods import load_food_table
from mechuri.recommend import RecommendationRequest
from mechuri.recommend.audit import violations

runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("dataset")
    result = runner.invoke(app, ["data", "build", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return out, json.loads(result.output.strip().splitlines()[-1])


def test_build_without_a_teacher_writes_every_format(built):
    out, summary = built
    assert summary["total"] >= 3000
    assert summary["splits"]["train"] + summary["splits"]["validation"] == summary["total"]
    assert 0.02 < summary["splits"]["validation"] / summary["total"] < 0.1
    train = json.loads((out / "train.json").read_text(encoding="utf-8"))
    assert len(train) == summary["splits"]["train"] and set(train[0]) == {"instruction", "input", "output"}
    from datasets import load_from_disk

    hf = load_from_disk(str(out / "hf"))
    assert hf["validation"].num_rows == summary["splits"]["validation"]
    assert set(hf["train"].column_names) == {"id", "instruction", "input", "output", "source", "intent"}
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "## Examples per source and intent" in card and "synth:recommend" in card and "lengths.png" in card
    assert (out / "lengths.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["total"] == summary["total"] and stats["lengths"]["output"]["min"] > 0


def test_dataset_is_clean_and_covers_every_dish(built):
    out, summary = built
    examples = read_examples(out / "train.jsonl") + read_examples(out / "validation.jsonl")
    assert len({exact_key(e) for e in examples}) == len(examples)
    assert {e.intent for e in examples} <= set(INTENTS)
    assert {"seed", "qa", "synth:nutrition", "synth:recommend"} <= set(summary["by_source"])
    asked = {e.meta["query"] for e in examples if e.source == "synth:nutrition"}
    for dish in load_food_table():
        assert {dish.name, *dish.aliases} <= asked, dish.name
    groups = {name: {e.meta.get("group") for e in read_examples(out / f"{name}.jsonl")} - {None}
              for name in ("train", "validation")}
    assert not groups["train"] & groups["validation"]


def test_every_number_a_synthesized_answer_states_is_in_its_context(built):
    out, _ = built
    synthesized = [e for e in read_examples(out / "train.jsonl") if e.source.startswith("synth")]
    for example in synthesized:
        assert ungrounded_numbers(example.output, f"{example.instruction}\n{example.input}") == [], example
    unknown = [e for e in synthesized if e.source == "synth:unknown_dish"]
    assert unknown and not any(re.search(r"\d", e.output) for e in unknown)


def test_recommendations_respect_the_context_they_show(built):
    out, _ = built
    table = load_food_table()
    recommendations = [e for e in read_examples(out / "train.jsonl") if e.source == "synth:recommend"]
    assert len(recommendations) >= 500
    excluded_seen = 0
    for example in recommendations:
        lines = dict(line.split(": ", 1) for line in example.input.splitlines()[1:5])
        words = {key: frozenset() if value == "없음" else frozenset(value.split(", ")) for key, value in lines.items()}
        request = RecommendationRequest(allergies=words["알레르기"], excluded=words["싫어하는 것"], diets=words["식단"])
        for name in example.meta["picks"]:
            assert name in example.output and name in example.input
            assert not violations(table[name], request), (name, example.input)
        for name in example.meta["excluded"]:
            assert violations(table[name], request) or "kcal" in example.output
            assert f"{name}" in example.output and "뺐어요" in example.output
            excluded_seen += 1
    assert excluded_seen >= 100


def test_build_merges_teacher_output_and_imports(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    generated = [
        {"instruction": "비가 추적추적 내리는 날 생각나는 음식을 골라 줘.", "input": "", "output": "해물파전을 추천해요.",
         "source": "self_instruct", "intent": "recommend"},  # a seed, reworded: dropped as near-duplicate
        {"instruction": "퇴근길 지하철에서 배고플 때 먹을 만한 간단한 간식은?", "input": "",
         "output": "바나나나 구운계란처럼 냄새가 적고 간단한 간식이 좋아요.", "source": "self_instruct", "intent": "recommend"},
        {"instruction": "잡채 한 접시 칼로리 알려 줘", "input": "", "output": "잡채 한 접시는 약 490kcal예요.",
         "source": "self_instruct", "intent": "nutrition"},  # an invented number: dropped
    ]
    (run / "generated.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in generated),
                                         encoding="utf-8")
    (run / "rejected.jsonl").write_text('{"request": 0, "reason": "blacklist"}\n', encoding="utf-8")
    imported = tmp_path / "imported.jsonl"
    imported.write_text(json.dumps({"instruction": "김치찌개 맛있게 끓이는 법 알려줘", "input": "", "output": "다른 답",
                                    "source": "import:community", "intent": "cooking"}, ensure_ascii=False) + "\n",
                        encoding="utf-8")  # the same question as the bundled Q&A: dropped as exact duplicate
    second = tmp_path / "second"
    result = runner.invoke(app, ["data", "build", "--out", str(second), "--no-synth", "--no-hf", "--json",
                                 "--generated", str(run), "--imports", str(imported)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["by_source"]["self_instruct"] == 1 and "import:community" not in summary["by_source"]
    dropped = Counter({(d["source"], d["reason"]): d["count"] for d in summary["dropped"]})
    assert dropped[("self_instruct", "near_duplicate")] == 1 and dropped[("self_instruct", "ungrounded_numbers")] == 1
    assert dropped[("import:community", "exact_duplicate")] == 1
    card = (second / "README.md").read_text(encoding="utf-8")
    assert "## Self-Instruct generation" in card and "| blacklist | 1 |" in card
