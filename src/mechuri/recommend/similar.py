"""A dish the user asked for by name that a hard constraint forbids (새우볶음밥 with a shrimp allergy,
삼겹살 for a 할랄 diet): which constraint blocks it, and the closest dishes that break nothing.

The recommender treats a named dish as a soft wish, so without this the answer would silently be three
unrelated dishes. Closeness is plain and explainable: the same category weighs most (볶음밥 → 볶음밥), then
shared main ingredients (seasonings do not count), the same cuisine and shared tags; ties go to the
recommender's own order for the request, so the day's balance still counts among equally close dishes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.hangul import normalize_key
from mechuri.recommend import ScoredDish, recommend
from mechuri.recommend.constraints import check_constraints
from mechuri.recommend.index import DishIndex
from mechuri.recommend.request import RecommendationRequest

SEASONINGS: frozenset[str] = frozenset({
    "소금", "후추", "마늘", "대파", "쪽파", "양파", "설탕", "간장", "식용유", "참기름", "들기름", "깨", "참깨", "고춧가루",
    "고추장", "된장", "물", "물엿", "식초", "생강", "올리브유", "버터", "전분", "밀가루", "케첩", "마요네즈", "밥", "쌀",
})
"""Ingredients nearly every dish has: sharing them says nothing about being alike."""
SAME_CATEGORY, SAME_INGREDIENT, SAME_CUISINE, SAME_TAG = 4.0, 1.5, 1.0, 0.3
BLOCKING = ("allergy", "excluded")
"""Constraint names that block a named dish, besides every ``diet:…`` (the user's own limits, not the
message's wishes such as a meal or a calorie cap, which a named dish overrides)."""


@dataclass(frozen=True)
class Blocked:
    """A dish asked for by name and the hard constraints it breaks (``constraints`` as in ``constraints``)."""

    name: str
    constraints: tuple[str, ...]


def blocked_dishes(table: Iterable[Dish], request: RecommendationRequest, names: Iterable[str]) -> list[Blocked]:
    """The dishes of ``names`` (table names) that the request's allergies, exclusions or diets forbid."""
    index = DishIndex.of(table)
    check = check_constraints(index, request)
    found = []
    for name in names:
        position = index.positions.get(normalize_key(name))
        if position is None or index.dishes[position].name != name:
            continue
        broken = tuple(c for c in check.failures(position) if c in BLOCKING or c.startswith("diet:"))
        if broken:
            found.append(Blocked(name, broken))
    return found


def closeness(asked: Dish, dish: Dish) -> float:
    """How alike two dishes are (see the module docstring); 0 for nothing in common."""
    main = set(asked.ingredients) - SEASONINGS
    score = SAME_CATEGORY * (dish.category == asked.category)
    score += SAME_INGREDIENT * len(main & set(dish.ingredients))
    score += SAME_CUISINE * (dish.cuisine == asked.cuisine)
    score += SAME_TAG * len(set(asked.tags) & set(dish.tags))
    return score


def related(asked: Dish, dish: Dish) -> bool:
    """Alike enough to offer instead: the same category, or a main ingredient in common."""
    return dish.category == asked.category or bool((set(asked.ingredients) - SEASONINGS) & set(dish.ingredients))


def alternatives(table: Iterable[Dish], request: RecommendationRequest, asked: Iterable[Dish], k: int = 3,
                 ) -> list[ScoredDish]:
    """The ``k`` dishes closest to ``asked`` that break no hard constraint of ``request`` (the named dishes
    themselves no longer wished for, and the meal waived as for any dish asked by name), with the
    recommender's reasons."""
    asked = list(asked)
    dishes = tuple(table)
    request = replace(request, wanted_dishes=frozenset(), meal_explicit=True, k=len(dishes))
    ranked = recommend(dishes, request).items
    order = {item.dish.name: place for place, item in enumerate(ranked)}
    close = sorted((item for item in ranked if any(related(a, item.dish) for a in asked)),
                   key=lambda item: (-max(closeness(a, item.dish) for a in asked), order[item.dish.name]))
    return close[:k]
