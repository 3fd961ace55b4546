"""A property-style audit: hundreds of random users and messages, not one broken constraint."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from mechuri.knowledge import load_food_table
from mechuri.recommend import RecommendationRequest, recommend
from mechuri.recommend.audit import random_request, violations
from mechuri.recommend.constraints import NEVER_RELAXED

TABLE = load_food_table()
NAMES = [dish.name for dish in TABLE]


def test_three_hundred_random_requests_break_no_hard_constraint():
    rng = random.Random(20240601)
    broken: Counter[str] = Counter()
    relaxed = 0
    for _ in range(300):
        request = random_request(rng, NAMES)
        result = recommend(TABLE, request)
        assert len(result.items) <= request.k
        assert len({item.dish.name for item in result.items}) == len(result.items)
        assert len(result.items) == min(request.k, result.candidates_count)
        for item in result.items:
            broken.update(violations(item.dish, request))
        for offer in result.relaxations:
            assert not set(offer.constraint.split("+")) & NEVER_RELAXED
        relaxed += bool(result.relaxations)
    assert broken == Counter(), broken
    assert relaxed > 0, "some random requests were hard enough to need a relaxation"


@pytest.mark.parametrize("k", [1, 3, 7])
def test_the_referee_agrees_on_a_strict_everything_at_once_request(k):
    request = RecommendationRequest(
        meal="저녁", k=k, allergies={"갑각류", "견과류", "우유"}, excluded={"매운", "면", "중식", "오이"},
        diets={"저염"}, kcal_max=700, kcal_min=200, liked={"고기"}, recent={NAMES[0]: 0})
    for item in recommend(TABLE, request).items:
        assert violations(item.dish, request) == []
