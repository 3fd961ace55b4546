"""mechuri.units: the one way an amount is written (the browser's copy is checked in tests/e2e/test_reading.py)."""

from __future__ import annotations

from mechuri.conversation.facts import verdict_sentence
from mechuri.conversation.planning import plan_lines
from mechuri.conversation.strings import number, nutrient_phrase
from mechuri.conversation.turn import PlanAnswer, Turn, YesNoAnswer
from mechuri.units import amount, amount_number, amount_range, band_end


def test_amounts_touch_their_unit_kcal_and_mg_are_whole_grams_keep_one_decimal():
    assert [amount(12.5, "g"), amount(79, "g"), amount(79.0, "g"), amount(0.04, "g")] == ["12.5g", "79g", "79g", "0g"]
    assert [amount(238.4, "kcal"), amount(1800, "kcal"), amount(2392.5, "mg")] == ["238kcal", "1,800kcal", "2,393mg"]


def test_halves_round_away_from_zero_on_the_written_number_as_the_browser_does():
    assert [number(0.15), number(2.25), number(0.05), number(-0.04)] == ["0.2", "2.3", "0.1", "0"]


def test_a_range_is_whole_at_both_ends_and_one_number_when_they_meet():
    assert amount_range(189.8, 224.2, "g") == "190–224g"
    assert amount_range(1999.6, 2000.4, "kcal") == "2,000kcal"


def test_a_table_cell_is_the_amounts_number_and_a_band_end_is_whole_like_the_band():
    assert [amount_number(1234.56, "kcal"), amount_number(57.54, "g"), amount_number(57.0, "g")] == ["1,235", "57.5", "57"]
    assert band_end(224.2, "g") == "224g" and band_end(2300, "mg") == "2,300mg"
    assert amount_range(189.8, 224.2, "g").endswith(band_end(224.2, "g"))  # the chart beside it: 「190–224g」


def test_the_replies_use_the_same_rules():
    assert nutrient_phrase("protein_g", 21.5) == "단백질 21.5g"
    assert nutrient_phrase("sodium_mg", 2392.4) == "나트륨 2,392mg"
    assert nutrient_phrase("fat_g", 30.0) == "지방 30g"


def test_a_yes_no_verdict_writes_its_numbers_with_the_same_rules():
    """「라면이 김밥보다 나트륨이 … 많아요」 rounded a half to even (「2,392mg」) where the card says 「2,393mg」."""
    verdict = YesNoAnswer(yes=True, claim="more", dish="라면", other="김밥", nutrient="sodium_mg",
                          value=3392.5, other_value=1000.0, difference=2392.5)
    assert "나트륨이 2,393mg 많아요" in verdict_sentence(verdict)
    high = YesNoAnswer(yes=True, claim="high", dish="라면", nutrient="kcal", value=500.5, reference=600.0, meal="점심")
    assert amount(500.5, "kcal") == "501kcal" and "501kcal" in verdict_sentence(high)


def test_a_plan_reply_writes_its_kcal_as_the_plan_card_beside_it():
    """The chat's plan lines rounded halves to even (「(174kcal)」 for half a 349 kcal bowl) where the plan card
    (app.js ``amount``) says 「175kcal」; they are mechuri.units amounts now."""
    item = {"meal": "아침", "name": "흰쌀밥", "servings": 0.5, "role": "rice", "kcal": 174.5, "fixed": False}
    totals = {"kcal": 174.5, "carbohydrate_g": 38.25, "protein_g": 3.5, "fat_g": 0.5, "sodium_mg": 2.5}
    day = {"day": 1, "meals": [item], "totals": totals, "target": {"kcal": 1800}, "checks": {"energy_error_pct": -2.5}}
    turn = Turn(reply="", intent="plan", plan=[day], plan_answer=PlanAnswer(feasible=True, target_kcal=1800))
    lines = plan_lines(turn)
    assert lines[0] == "하루 1,800kcal에 맞춰 식단을 짰어요."
    assert "· 아침: 흰쌀밥 반 공기 (175kcal)" in lines
    week = Turn(reply="", intent="plan", plan=[day, {**day, "day": 2}],
                plan_answer=PlanAnswer(feasible=True, target_kcal=1800, days=7))
    assert "1일차: 흰쌀밥 반 공기 — 175kcal" in plan_lines(week)
    assert any(line.startswith("하루 평균 175kcal") for line in plan_lines(week))
