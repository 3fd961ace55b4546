"""Generic names and units through the real dialogue manager (issue 15): 「치킨 칼로리」 answers for the
dish that stands for 치킨 and says which, 「양념치킨 한 마리」 is two table servings, an unknown unit is said."""

from __future__ import annotations

import pytest

from mechuri.knowledge.foods import load_food_table
from mechuri.knowledge.lookup import default_lookup
from mechuri.knowledge.portions import GENERIC_NAMES, portion, unit_grams, unit_rows

TABLE = load_food_table()


def test_every_generic_name_and_unit_row_names_a_dish_of_the_table():
    for word, (representative, variants) in GENERIC_NAMES.items():
        assert representative in TABLE, word
        assert all(name in TABLE for name in variants), word
        assert default_lookup().exact(word) is None, f"{word} is already a dish name or alias"
    for dish, _unit in unit_rows():
        assert dish in TABLE, dish


def test_units_scale_the_table_serving():
    assert portion(TABLE["양념치킨"], 1, "마리").servings == 2
    assert portion(TABLE["콤비네이션피자"], 1, "조각").servings == 0.5
    assert portion(TABLE["콤비네이션피자"], 1, "판").servings == 4
    assert portion(TABLE["흰쌀밥"], 2, "공기").servings == 2
    assert portion(TABLE["고기만두"], 3, "개").grams == 99
    assert portion(TABLE["김밥"], 1, "줄").servings == 1
    assert unit_grams(TABLE["김치찌개"], "마리") is None and not portion(TABLE["김치찌개"], 1, "마리").known


@pytest.mark.parametrize(("message", "said", "dish"), [
    ("치킨 칼로리 얼마야", "치킨", "후라이드치킨"),
    ("피자 칼로리", "피자", "콤비네이션피자"),
    ("파스타 칼로리 알려줘", "파스타", "토마토스파게티"),
    ("샌드위치 칼로리", "샌드위치", "햄치즈샌드위치"),
    ("삼각김밥 칼로리", "삼각김밥", "참치마요삼각김밥"),
    ("국밥 나트륨", "국밥", "돼지국밥"),
])
def test_a_generic_name_answers_for_its_representative_dish_and_says_which(chat, message, said, dish):
    turn = chat(message)
    assert turn.nutrition.found and turn.nutrition.dish.name == dish
    assert turn.reply.startswith(f"{said}")
    assert f"{dish} 기준으로" in turn.reply
    variants = GENERIC_NAMES[said][1]
    assert variants[0] in turn.reply  # the other kinds are listed
    assert "표에 없어서" not in turn.reply


def test_a_named_dish_is_not_treated_as_generic(chat):
    turn = chat("양념치킨 칼로리")
    assert turn.nutrition.dish.name == "양념치킨" and "기준으로 말씀드릴게요" not in turn.reply


def test_a_unit_scales_the_answer(chat):
    whole = chat("양념치킨 한 마리 칼로리")
    dish = TABLE["양념치킨"]
    assert whole.nutrition.dish.servings == 2
    assert f"양념치킨 1마리({2 * dish.serving_g:.0f}g)" in whole.reply
    assert f"{round(2 * dish.kcal):,}kcal" in whole.reply
    slice_ = chat("피자 한 조각 칼로리")
    pizza = TABLE["콤비네이션피자"]
    assert slice_.nutrition.dish.servings == 0.5
    assert f"1조각({pizza.serving_g / 2:.0f}g)" in slice_.reply
    assert f"{round(pizza.kcal / 2):,}kcal" in slice_.reply


def test_an_unknown_unit_is_said_not_ignored(chat):
    turn = chat("김치찌개 한 마리 칼로리")
    assert turn.nutrition.dish.servings == 1
    assert turn.nutrition.unknown_units == [("김치찌개", "마리")]
    assert "'마리'는 김치찌개에 쓰는 단위가 아니라서" in turn.reply


def test_a_meal_log_counts_the_unit(chat):
    turn = chat("어제 저녁에 양념치킨 반 마리 먹었어")
    logged = turn.meal_logged[0]
    assert logged.name == "양념치킨" and logged.servings == 1 and logged.portion == "반 마리"
    assert "양념치킨 반 마리" in turn.reply
    odd = chat("오늘 점심에 김치찌개 두 마리 먹었어")
    assert odd.meal_logged and odd.meal_logged[0].servings == 2
    assert "'마리'는 김치찌개에 쓰는 단위가 아니라서" in odd.reply


def test_mfds_based_numbers_cite_the_source_and_estimates_keep_saying_so():
    from dataclasses import replace

    from mechuri.conversation.turn import DishFacts, NutritionAnswer, Turn
    from mechuri.conversation.writer import GroundedWriter

    official = TABLE["김치찌개"]  # switched to the 식약처 values (import-mfds --apply)
    guess = TABLE["목살"]  # not in the MFDS dish database: still an estimate
    facts = DishFacts.from_dish(official)
    assert facts.from_mfds and not DishFacts.from_dish(guess).from_mfds
    assert not DishFacts.from_dish(replace(official, estimated=True)).from_mfds
    cited = Turn(reply="", intent="nutrition", intents=["nutrition"],
                 nutrition=NutritionAnswer(query="김치찌개", found=True, dish=facts, mfds_note=True))
    reply = GroundedWriter().write(cited)
    assert "식약처" in reply and "추정치" not in reply
    estimated = Turn(reply="", intent="nutrition", intents=["nutrition"],
                     nutrition=NutritionAnswer(query="목살", found=True, dish=DishFacts.from_dish(guess),
                                               estimate_note=True))
    assert "추정치" in GroundedWriter().write(estimated)
