"""「오늘 뭐 먹었지?」: the day's log read back from the stored meals, against the user's targets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mechuri.conversation.intake import intake_lines
from mechuri.conversation.turn import Turn
from mechuri.knowledge import load_food_table

TABLE = load_food_table()


def test_an_empty_day_says_so_and_how_to_log(chat):
    turn = chat("오늘 뭐 먹었지?")
    assert turn.intent == "today" and turn.intake["meals"] == []
    assert "아직 기록된 식사가 없어요" in turn.reply


def test_the_day_is_read_back_with_totals_from_the_snapshots(chat):
    chat("아침에 라면 먹었어")
    chat("점심은 김치찌개 반 그릇 먹었어")
    turn = chat("오늘 뭐 먹었지?")
    names = [m["name"] for m in turn.intake["meals"]]
    assert names == ["라면", "김치찌개"]
    expected = TABLE["라면"].kcal + TABLE["김치찌개"].kcal * 0.5
    assert turn.intake["totals"]["kcal"] == pytest.approx(expected, abs=1)
    assert "아침 라면" in turn.reply and "김치찌개 0.5인분" in turn.reply
    assert f"{round(expected):,}kcal" in turn.reply
    left = turn.intake["targets"]["kcal"] - expected
    assert f"{left:,.0f}kcal 남았어요" in turn.reply


def test_a_nutrient_asked_is_the_one_shown(chat):
    chat("점심에 짬뽕 먹었어")
    turn = chat("오늘 나트륨 얼마나 먹었어?")
    assert turn.intent == "today" and turn.nutrition is None
    assert f"나트륨 {round(TABLE['짬뽕'].sodium_mg):,}mg" in turn.reply
    assert "탄수화물" not in turn.reply


def test_yesterday_is_its_own_day(chat, clock):
    chat("저녁에 삼겹살 먹었어")
    clock.now += timedelta(days=1)
    today = chat("오늘 뭐 먹었지?")
    yesterday = chat("어제 뭐 먹었더라")
    assert today.intake["meals"] == [] and [m["name"] for m in yesterday.intake["meals"]] == ["삼겹살"]
    assert yesterday.reply.startswith("어제 드신 건 저녁 삼겹살이에요.")


def test_a_meal_name_ending_in_a_digit_takes_the_copula_of_the_number_read_aloud():
    """「비타500」 is read 비타오백 (ends in ㄱ): 「비타500이에요」. The intake's own copy of the 받침 test took
    every non-Hangul ending for a vowel (「비타500예요」)."""
    totals = {key: 0.0 for key in ("kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg")}
    turn = Turn(reply="", intent="today", intake={
        "day": "2024-05-01", "day_offset": 0, "asked": [], "totals": {**totals, "kcal": 70.0},
        "meals": [{"id": 1, "meal": "간식", "name": "비타500", "servings": 1, "kcal": 70}],
        "targets": {"kcal": 2000, "carbohydrate_g": [250, 350], "protein_g": [50, 100], "fat_g": [40, 70],
                    "sodium_mg_max": 2000}})
    assert intake_lines(turn)[0] == "오늘 드신 건 간식 비타500이에요."


def test_the_totals_are_written_as_the_today_chart_writes_them():
    """One amount format (mechuri.units, issue 16 item 13): the reply said 「탄수화물 13g」 and 「2,392mg」 where
    the 오늘 chart beside it says 「13.4g」 and, at a tie, 「2,393mg」 (halves away from zero, as the browser)."""
    totals = {"kcal": 1234.5, "carbohydrate_g": 13.44, "protein_g": 17.0, "fat_g": 16.9, "sodium_mg": 2392.5}
    turn = Turn(reply="", intent="today", intake={
        "day": "2024-05-01", "day_offset": 0, "asked": [], "totals": totals,
        "meals": [{"id": 1, "meal": "점심", "name": "김치찌개", "servings": 1, "kcal": 1234.5}],
        "targets": {"kcal": 2000, "carbohydrate_g": [250, 350], "protein_g": [50, 100], "fat_g": [40, 70],
                    "sodium_mg_max": 2300}})
    lines = intake_lines(turn)
    assert lines[1] == "합계 열량 1,235kcal · 탄수화물 13.4g · 단백질 17g · 지방 16.9g · 나트륨 2,393mg."
    assert lines[2] == "하루 목표 2,000kcal까지 766kcal 남았어요."
