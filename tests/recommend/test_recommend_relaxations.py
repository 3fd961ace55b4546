"""When nothing (or too little) fits, mechuri says so and offers what could be loosened — never silently."""

from __future__ import annotations

from dataclasses import replace

from mechuri.knowledge import load_food_table
from mechuri.recommend import RecommendationRequest, recommend
from mechuri.recommend.constraints import NEVER_RELAXED, RELAXABLE

TABLE = load_food_table()


def test_an_impossible_request_returns_what_fits_and_names_the_constraints_to_relax():
    request = RecommendationRequest(diets={"비건"}, kcal_max=50, wanted_tags={"국물"}, allergies={"땅콩"},
                                    excluded={"매운"})
    result = recommend(TABLE, request)
    assert len(result.items) < 3 and result.short
    assert result.notice_ko and "메뉴가" in result.notice_ko
    assert result.relaxations, "something can be relaxed"
    named = {name for r in result.relaxations for name in r.constraint.split("+")}
    assert named <= set(RELAXABLE) and not named & NEVER_RELAXED
    assert "kcal_max" in named
    for item in result.items:
        assert "비건" in item.dish.tags and item.dish.kcal <= 50 and "국물" in item.dish.tags


def test_a_calorie_cap_that_is_too_low_is_offered_just_high_enough():
    dinners = sorted(d.kcal for d in TABLE if "저녁" in d.meals)
    cap = max(kcal for kcal in dinners if sum(k <= kcal for k in dinners) <= 2)
    request = RecommendationRequest(meal="저녁", kcal_max=cap, k=3)
    result = recommend(TABLE, request)
    assert result.candidates_count < 3 and result.notice_ko
    offer = next(r for r in result.relaxations if r.constraint == "kcal_max")
    assert offer.value is not None and offer.value > cap and offer.available >= 3
    assert offer.value == dinners[2]
    assert f"{round(offer.value)}kcal" in offer.description_ko and f"{offer.available}개" in offer.description_ko
    loosened = recommend(TABLE, replace(request, kcal_max=offer.value))
    assert loosened.candidates_count == offer.available and len(loosened.items) == 3


def relax(request: RecommendationRequest, constraint: str, value: float | None) -> RecommendationRequest:
    """The request with one constraint loosened the way the offer says."""
    return {
        "meal": lambda: replace(request, meal=None),
        "kcal_max": lambda: replace(request, kcal_max=value),
        "kcal_min": lambda: replace(request, kcal_min=value),
        "wanted_tag": lambda: replace(request, wanted_tags=frozenset()),
        "wanted_category": lambda: replace(request, wanted_categories=frozenset()),
        "wanted_cuisine": lambda: replace(request, wanted_cuisines=frozenset()),
        "avoid": lambda: replace(request, avoid_names=frozenset()),
        "diet:저염": lambda: replace(request, diets=request.diets - {"저염"}),
        "diet:저탄수": lambda: replace(request, diets=request.diets - {"저탄수"}),
    }[constraint]()


HARD_REQUESTS = [
    RecommendationRequest(meal="아침", wanted_tags={"국물", "매운"}, wanted_cuisines={"일식"}, kcal_max=300),
    RecommendationRequest(meal="야식", wanted_cuisines={"양식"}, diets={"저염"}, allergies={"밀"}),
    RecommendationRequest(meal="간식", wanted_tags={"매운", "국물"}, diets={"저탄수"}, k=5),
    RecommendationRequest(meal="아침", wanted_tags={"고기"}, diets={"저염"}, kcal_max=350),
    RecommendationRequest(meal="저녁", wanted_cuisines={"일식"}, diets={"저염"}, kcal_max=400, k=5),
    RecommendationRequest(diets={"비건"}, kcal_max=50, wanted_tags={"국물"}, allergies={"땅콩"}, excluded={"매운"}),
]


def test_every_offered_relaxation_delivers_exactly_what_it_promises():
    offered = short = 0
    for request in HARD_REQUESTS:
        result = recommend(TABLE, request)
        if not result.short:
            continue
        short += 1
        for offer in result.relaxations:
            offered += 1
            relaxed = request
            for name in offer.constraint.split("+"):
                relaxed = relax(relaxed, name, offer.value)
            why_excluded = recommend(TABLE, relaxed).why_excluded
            fitting = [d for d in TABLE if d.name not in why_excluded]
            if offer.constraint == "diet:저염" and offer.value is not None:
                fitting = [d for d in fitting if d.sodium_mg <= offer.value]
            assert len(fitting) == offer.available > result.candidates_count, offer
            assert f"{offer.available}개" in offer.description_ko
    assert short >= 4 and offered >= 8


def test_allergies_and_dislikes_are_never_offered_even_when_they_are_the_only_obstacle():
    everything_spicy_or_shrimp = RecommendationRequest(wanted_tags={"매운"}, excluded={"매운"})
    result = recommend(TABLE, everything_spicy_or_shrimp)
    assert result.items == []
    assert all(r.constraint not in NEVER_RELAXED for r in result.relaxations)
    shrimp_only = RecommendationRequest(wanted_ingredients={"새우"}, wanted_tags={"해산물"}, allergies={"갑각류"})
    for item in recommend(TABLE, shrimp_only).items:
        assert "새우" not in item.dish.allergens and "게" not in item.dish.allergens


def test_no_relaxations_when_enough_dishes_fit():
    result = recommend(TABLE, RecommendationRequest(meal="점심", kcal_max=800))
    assert len(result.items) == 3 and result.relaxations == [] and result.notice_ko is None
