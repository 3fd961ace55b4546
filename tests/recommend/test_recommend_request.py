"""The request: plain data, checked at the door so a constraint word is never silently ignored."""

from __future__ import annotations

import pytest

from mechuri.knowledge import load_food_table
from mechuri.recommend import RecommendationRequest, recommend
from mechuri.recommend.index import DishIndex

TABLE = load_food_table()


@pytest.mark.parametrize(("field", "value"), [
    ("diets", {"키토"}), ("meal", "브런치"), ("goal", "근육"), ("k", 0), ("eaten_meals", ("새벽",)),
    ("eaten_totals", {"caffeine_mg": 1.0}), ("people", 0),
])
def test_an_unknown_constraint_word_is_refused_rather_than_ignored(field, value):
    with pytest.raises(ValueError):
        RecommendationRequest(**{field: value})


def test_a_bare_string_is_not_taken_for_a_set_of_letters():
    with pytest.raises(TypeError):
        RecommendationRequest(allergies="새우")  # type: ignore[arg-type]


def test_collections_are_normalised_to_frozen_sets_without_blanks():
    request = RecommendationRequest(allergies=["새우", " 땅콩 ", ""], liked={"매운"})  # type: ignore[arg-type]
    assert request.allergies == frozenset({"새우", "땅콩"})
    assert request.eaten("kcal") == 0.0


def test_the_index_is_built_once_per_table_and_rebuilt_for_another():
    assert DishIndex.of(TABLE) is DishIndex.of(TABLE)
    smaller = list(TABLE)[:10]
    assert len(DishIndex.of(smaller).dishes) == 10
    assert recommend(smaller, RecommendationRequest(k=20)).candidates_count == 10
