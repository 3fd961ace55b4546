"""Dishes named in a message are found in the food table, misspelled or run together, or said unknown."""

from __future__ import annotations

import pytest

from mechuri.knowledge import FoodLookup, FoodTable
from mechuri.knowledge.foods import Dish
from mechuri.nlu import understand


@pytest.mark.parametrize(
    ("message", "dishes"),
    [
        ("김치찌개 칼로리", ["김치찌개"]),
        ("김치찌게 칼로리", ["김치찌개"]),
        ("김치 찌개 칼로리", ["김치찌개"]),
        ("떡복이 칼로리", ["떡볶이"]),
        ("떡볶기칼로리알려줘", ["떡볶이"]),
        ("부대찌깨 칼로리", ["부대찌개"]),
        ("돈까스 나트륨", ["돈가스"]),
        ("점심에김치찌개먹었어", ["김치찌개"]),
        ("짜장면이랑 짬뽕 칼로리", ["짜장면", "짬뽕"]),
    ],
)
def test_dish_mentions_resolve_with_typos_and_spacing(message, dishes):
    assert [food.dish for food in understand(message).foods] == dishes


def test_an_unknown_food_is_a_mention_without_a_dish_but_with_suggestions():
    result = understand("우주선스테이크 칼로리")
    assert result.intent == "nutrition"
    [food] = result.foods
    assert food.dish is None and food.text == "우주선스테이크"
    assert food.suggestions and all(isinstance(name, str) for name in food.suggestions)


def test_a_general_word_is_a_constraint_not_a_dish():
    result = understand("치킨 먹고 싶다")
    assert result.slots.categories == ("치킨",) and result.foods == []


def test_mentions_come_in_order_of_appearance():
    foods = understand("라면이랑 김밥이랑 떡볶이 먹었어").foods
    assert [f.dish for f in foods] == ["라면", "김밥", "떡볶이"]


def test_a_custom_lookup_is_used():
    dish = Dish(name="메추리알장조림", aliases=("메추리알조림",), cuisine="한식", category="반찬", meals=("점심",),
                tags=("짭짤한",), ingredients=("메추리알",), allergens=("난류",), serving_g=100, kcal=150,
                carbohydrate_g=5, sugar_g=3, protein_g=12, fat_g=9, saturated_fat_g=3, sodium_mg=600, fiber_g=0,
                source="test", estimated=True)
    lookup = FoodLookup(FoodTable([dish]))
    assert [f.dish for f in understand("메추리알조림 칼로리", lookup=lookup).foods] == ["메추리알장조림"]
    assert understand("김치찌개 칼로리", lookup=lookup).foods[0].dish is None


def test_a_dish_alias_that_is_also_a_predicate_is_a_dish_only_as_a_noun():
    asked = understand("된장찌개랑 김치찌개 중에 뭐가 덜 짜요")  # 짜요 here is 「it is salty」, not 짜조
    assert [f.dish for f in asked.foods] == ["된장찌개", "김치찌개"]
    assert [f.dish for f in understand("짜요 칼로리").foods] == ["짜조"]
