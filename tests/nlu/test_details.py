"""The details the dialogue manager used to re-read from the raw text are now read once, by the NLU:
a plan's daily energy target, its meals, meals eaten out, 「다시」, 「내일」, the day asked about, and
whether dishes are compared or chosen between, a dish settled on from the last list (``pick``), the
places in the list pointed at and the servings said with them, the food names the table lacks, as the
user wrote them, what a memory question asks about, what to forget, and why a message is refused (labeled
rows in ``data/details.jsonl``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from mechuri.nlu import understand

ROWS = [json.loads(line) for line in (Path(__file__).parent / "data" / "details.jsonl").read_text(
    encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("row", ROWS, ids=[row["text"] for row in ROWS])
def test_labeled_details(row):
    u = understand(row["text"])
    if "intents" in row:
        assert u.intents == row["intents"]
    plan = asdict(u.plan)
    for key, value in row.get("plan", {}).items():
        assert plan[key] == (tuple(value) if isinstance(value, list) else value), key
    for key in ("day_offset", "compare", "choice", "servings", "refusal"):
        if key in row:
            assert getattr(u, key) == row[key], key
    if "references" in row:
        assert list(u.references) == row["references"]
    if "pick" in row:
        expected = row["pick"]
        assert (u.pick is None) == (expected is None), u.pick
        if expected is not None:
            assert u.pick.reference == expected.get("reference") and list(u.pick.named) == expected.get("named", [])
    if "meals" in row:
        assert [[m.dish, m.meal] for m in u.meals] == row["meals"]
    if "foods" in row:
        assert [[m.text, m.dish] for m in u.foods] == row["foods"]
    if "rating" in row:
        expected = row["rating"]
        assert (u.rating is None) == (expected is None), u.rating
        if expected is not None:
            assert (u.rating.value, u.rating.reference) == (expected["value"], expected["reference"])
    if "reset_taste" in row:
        assert u.reset_taste == row["reset_taste"]
    if "recall" in row:
        assert u.recall == tuple(row["recall"])
    if "forget" in row:
        assert asdict(u.forget) == {key: tuple(value) for key, value in row["forget"].items()}


def test_a_plans_energy_target_is_no_nutrition_question():
    """「칼로리」 inside the plan's target asks nothing about a dish (it used to add a nutrition intent,
    and the dialogue manager then answered the last dish's calories before the plan)."""
    u = understand("하루 1800칼로리로 오늘 식단 짜줘")
    assert "nutrition" not in u.intents and u.nutrients == ()
    asked = understand("김치찌개 칼로리랑 1800칼로리 식단 짜줘")
    assert asked.foods and "kcal" in asked.nutrients


@pytest.mark.parametrize(("text", "expected"), [
    ("라면이 김밥보다 나트륨 더 많아?", {"claim": "more", "dish": "라면", "nutrient": "sodium_mg", "other": "김밥"}),
    ("김밥이 라면보다 칼로리 적어요?", {"claim": "less", "dish": "김밥", "nutrient": "kcal", "other": "라면"}),
    ("김치찌개 칼로리 높아?", {"claim": "high", "dish": "김치찌개", "nutrient": "kcal"}),
    ("라면 짜?", {"claim": "high", "dish": "라면", "nutrient": "sodium_mg"}),
    ("떡볶이 매워?", {"claim": "is", "dish": "떡볶이", "tag": "매운"}),
    ("콩국수 차가워?", {"claim": "is", "dish": "콩국수", "tag": "차가운"}),
])
def test_a_yes_no_question_says_what_is_claimed(text, expected):
    ask = understand(text).yes_no
    assert ask is not None, text
    assert {key: getattr(ask, key) for key in expected} == expected


@pytest.mark.parametrize("text", ["라면 칼로리 얼마야?", "김치찌개 칼로리", "김밥이랑 라면 중에 뭐가 칼로리 높아?",
                                  "뭐가 더 칼로리 낮아?", "점심 추천해줘", "떡볶이 레시피 알려줘"])
def test_questions_that_ask_which_or_how_much_are_not_yes_no(text):
    assert understand(text).yes_no is None
