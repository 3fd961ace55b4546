"""Meal plans in conversation: a user asks for a day or a week, fixes a meal, skips one, asks again."""

from __future__ import annotations

import pytest

from mechuri.knowledge import load_food_table
from mechuri.knowledge.targets import DEFAULT_KCAL, DIET_DEFICIT
from mechuri.plan.composition import is_staple
from mechuri.recommend import RecommendationRequest
from mechuri.recommend.audit import violations

TABLE = load_food_table()
CONTRACT_KEYS = ("name", "serving_g", "kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg", "allergens",
                 "tags")


def _names(turn) -> list[str]:
    return [item["name"] for day in turn.plan for item in day["meals"]]


def test_a_day_plan_comes_with_its_numbers_and_a_short_reply(chat):
    turn = chat("오늘 하루 식단 짜줘")
    assert turn.intent == "plan"
    (day,) = turn.plan
    assert {item["meal"] for item in day["meals"]} == {"아침", "점심", "저녁"}
    for item in day["meals"]:
        assert all(key in item for key in CONTRACT_KEYS)
        assert item["kcal"] == round(TABLE[item["name"]].kcal * item["servings"])
        assert item["name"] in turn.reply
    assert day["checks"]["energy_ok"] and abs(day["checks"]["energy_error_pct"]) <= 5
    assert f"{DEFAULT_KCAL:,}kcal" in turn.reply and "다시 짜줘" in turn.reply
    assert turn.meta["plan_request"]["days"] == 1
    assert len(turn.reply.splitlines()) <= 10


def test_a_diet_week_is_seven_days_at_the_lower_target_without_repeats(chat):
    turn = chat("다이어트 일주일 식단")
    assert turn.intent == "plan" and len(turn.plan) == 7
    target = DEFAULT_KCAL * (1 - DIET_DEFICIT)
    assert turn.meta["plan_info"]["target_kcal"] == target
    assert all(abs(day["totals"]["kcal"] - target) <= 0.05 * target for day in turn.plan)
    names = [name for name in _names(turn) if not is_staple(name)]
    assert len(names) == len(set(names))
    assert "1일차" in turn.reply and "7일차" in turn.reply


def test_a_meal_already_decided_is_planned_around(chat):
    turn = chat("점심은 회사에서 짜장면 먹을 거야 하루 식단 짜줘")
    (day,) = turn.plan
    lunch = [item for item in day["meals"] if item["meal"] == "점심"]
    assert [(item["name"], item["fixed"]) for item in lunch] == [("짜장면", True)]
    assert day["checks"]["energy_ok"]
    assert "짜장면" in turn.reply


def test_ask_again_gives_another_plan_for_the_same_request(chat):
    first = chat("일주일 식단 짜줘")
    again = chat("다시 짜줘")
    assert again.intent == "plan" and len(again.plan) == 7
    assert again.meta["plan_request"]["variant"] == first.meta["plan_request"]["variant"] + 1
    before = {name for name in _names(first) if not is_staple(name)}
    after = {name for name in _names(again) if not is_staple(name)}
    assert len(before & after) <= len(before) // 4
    assert "다시 짰어요" in again.reply


def test_ask_again_without_a_plan_before_is_not_a_plan(chat):
    turn = chat("다시 짜줘")
    assert turn.plan is None


def test_a_remembered_allergy_and_dislike_hold_for_every_planned_dish(chat):
    chat("저 새우 알레르기 있어요")
    chat("오이 싫어")
    turn = chat("간식 포함해서 일주일 식단 짜줘")
    assert len(turn.plan) == 7
    assert {item["meal"] for item in turn.plan[0]["meals"]} == {"아침", "점심", "간식", "저녁"}
    hard = RecommendationRequest(allergies=frozenset({"새우"}), excluded=frozenset({"오이"}))
    for name in _names(turn):
        assert violations(TABLE[name], hard) == [], name


def test_dinner_plans_elsewhere_take_dinner_out_of_the_day(chat):
    turn = chat("저녁 약속 있으니까 아침 점심만 가볍게 식단 짜줘")
    (day,) = turn.plan
    assert {item["meal"] for item in day["meals"]} == {"아침", "점심"}
    assert turn.meta["plan_info"]["skipped"] == ["저녁"]
    assert day["target"]["kcal"] < DEFAULT_KCAL * 0.7
    assert day["checks"]["energy_ok"]


def test_an_energy_target_in_the_message_wins(chat):
    turn = chat("1800kcal로 하루 식단 짜줘")
    assert turn.plan[0]["target"]["kcal"] == 1800
    assert turn.nutrition is None
    assert "1,800kcal" in turn.reply


def test_a_plan_that_cannot_exist_says_why(chat):
    chat("저 비건이에요")
    turn = chat("하루 3500kcal 식단 짜줘")
    assert turn.plan == []
    assert "비건" in turn.reply and "못 미쳐요" in turn.reply


@pytest.mark.parametrize("message", ["점심 추천해줘", "다른 거"])
def test_recommendations_still_work_after_a_plan(chat, message):
    chat("오늘 하루 식단 짜줘")
    turn = chat("점심 추천해줘") if message == "점심 추천해줘" else (chat("점심 추천해줘"), chat(message))[1]
    assert turn.plan is None and len(turn.recommendations) == 3


def test_a_meal_eaten_today_is_kept_and_marked_so_the_web_card_offers_no_second_log(chat):
    chat("점심에 김치찌개 먹었어")
    turn = chat("오늘 하루 식단 짜줘")
    lunch = [item for item in turn.plan[0]["meals"] if item["meal"] == "점심"]
    assert [(item["name"], item["fixed"]) for item in lunch] == [("김치찌개", True)]
    assert turn.meta["plan_info"]["already_logged"] == ["점심"]
    assert chat("일주일 식단 짜줘").meta["plan_info"]["already_logged"] == []


def test_every_dish_of_a_logged_meal_counts_at_the_servings_eaten_and_survives_a_replan(chat):
    chat("점심에 김치찌개랑 흰쌀밥 반 공기 먹었어")
    turn = chat("오늘 하루 식단 짜줘")
    lunch = [(item["name"], item["servings"], item["fixed"]) for item in turn.plan[0]["meals"]
             if item["meal"] == "점심"]
    assert lunch == [("김치찌개", 1.0, True), ("흰쌀밥", 0.5, True)]
    kcal = sum(item["kcal"] for item in turn.plan[0]["meals"])
    assert kcal == pytest.approx(turn.plan[0]["totals"]["kcal"], abs=1)  # the rice is in the day's total
    assert "점심 김치찌개·흰쌀밥은 그대로 두고 짰어요." in turn.reply
    again = chat("다시 짜줘")
    assert [(i["name"], i["servings"]) for i in again.plan[0]["meals"] if i["meal"] == "점심"] == \
        [("김치찌개", 1.0), ("흰쌀밥", 0.5)]


def test_a_plan_with_an_energy_target_after_a_dish_talk_is_only_a_plan(chat):
    """The plan's 「칼로리」 used to be read twice: the NLU took it for a nutrition question, so the last
    dish's calories (and a nutrition card) came before the plan."""
    assert chat("김치찌개 칼로리 얼마야?").nutrition.found
    turn = chat("하루 1800칼로리로 오늘 식단 짜줘")
    assert turn.intents == ["plan"] and turn.nutrition is None
    assert turn.plan[0]["target"]["kcal"] == 1800
    assert "김치찌개 1인분" not in turn.reply


def test_yesterday_and_the_day_before_are_read_back(chat):
    chat("어제 저녁에 김치찌개 먹었어")
    assert chat("어제 뭐 먹었더라").intake["day_offset"] == -1
    turn = chat("그저께 뭐 먹었지?")
    assert turn.intake["day_offset"] == -2 and turn.reply.startswith("그저께는 아직 기록된 식사가 없어요")
