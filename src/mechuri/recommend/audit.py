"""An independent referee for the hard constraints, and random requests to put in front of it.

``violations`` re-implements each hard constraint the plain way, straight from the rules in
``docs/food-table.md`` and the recommender's documented thresholds, without the term index, group
tables or caches the recommender uses. The property test and ``benchmarks/recommend_audit.py`` run
thousands of seeded random requests through ``recommend()`` and ask this referee about every dish
returned: a shared bug would have to be made twice, in two different shapes, to go unnoticed.

The referee checks the *minimum* each constraint promises (the recommender may exclude more, e.g.
dishes whose names contain an allergen); it never needs the recommender's own matching code.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.targets import compute_targets, default_targets
from mechuri.knowledge.vocab import ALLERGENS, DIETS, GOALS, INGREDIENT_ALLERGENS, MEALS, NUTRIENT_FIELDS
from mechuri.recommend.request import RecommendationRequest

REFEREE_GROUPS: dict[str, frozenset[str]] = {
    "갑각류": frozenset({"새우", "게"}), "견과류": frozenset({"땅콩", "호두", "잣"}),
    "해산물": frozenset({"새우", "게", "오징어", "조개류", "고등어"}), "유제품": frozenset({"우유"}),
    "계란": frozenset({"난류"}), "달걀": frozenset({"난류"}), "밀가루": frozenset({"밀"}),
    "고기": frozenset({"돼지고기", "쇠고기", "닭고기"}), "돼지고기": frozenset({"돼지고기"}),
    "소고기": frozenset({"쇠고기"}), "닭고기": frozenset({"닭고기"}),
}
"""What each group word must exclude at the least: its allergens (and, for 고기/해산물, the tag)."""

ALLERGY_WORDS: tuple[str, ...] = (*ALLERGENS, "갑각류", "견과류", "해산물", "유제품", "계란", "달걀", "밀가루",
                                  "오이", "고수")
DISLIKE_WORDS: tuple[str, ...] = (
    "매운", "튀김", "기름진", "달콤한", "국물", "면", "찌개", "빵", "덮밥", "중식", "일식", "양식", "오이", "고수",
    "가지", "버섯", "양파", "치즈", "고기", "해산물", "돼지고기", "소고기", "닭고기", "새우",
)
WANTED_TAGS: tuple[str, ...] = ("국물", "매운", "면", "밥", "고기", "해산물", "따뜻한", "담백한", "든든한", "가벼운")
WANTED_CATEGORIES: tuple[str, ...] = ("찌개", "면", "밥", "덮밥", "볶음", "튀김", "샐러드", "국", "탕")
WANTED_CUISINES: tuple[str, ...] = ("한식", "중식", "일식", "양식", "아시안")
SITUATIONS: tuple[str, ...] = ("비오는날", "해장", "여름", "겨울", "혼밥", "회식", "스트레스")

LOW_SODIUM_MG = 800
LOW_CARB_G = 45
LOW_CARB_SHARE = 0.40
DIABETES_SUGAR_G = 15
DIABETES_CARB_G = 80


def _implied(dish: Dish) -> set[str]:
    return set(dish.allergens) | {a for i in dish.ingredients for a in INGREDIENT_ALLERGENS.get(i, ())}


def _mentions(dish: Dish, word: str) -> bool:
    """The word is plainly one of the dish's own labels."""
    return (word in (dish.name, *dish.aliases, dish.category, dish.cuisine) or word in dish.tags
            or word in dish.ingredients or word in dish.allergens)


def _breaks_allergy(dish: Dish, word: str) -> bool:
    allergens = _implied(dish)
    banned = set(REFEREE_GROUPS.get(word, ()))
    if word in ALLERGENS:
        banned.add(word)
    banned.update(INGREDIENT_ALLERGENS.get(word, ()))
    return bool(banned & allergens) or _mentions(dish, word)


def _breaks_dislike(dish: Dish, word: str) -> bool:
    if _mentions(dish, word):
        return True
    if word in ("고기", "해산물") and word in dish.tags:
        return True
    if word in ALLERGENS and word in _implied(dish):
        return True
    return bool(REFEREE_GROUPS.get(word, frozenset()) & _implied(dish))


HALAL_FORBIDDEN = ("돼지", "삼겹살", "목살", "항정살", "족발", "순대", "햄", "베이컨", "소시지", "스팸", "페퍼로니",
                   "와인", "미림", "맛술", "청주", "소주", "맥주", "막걸리", "선지")
"""Pork, alcohol and blood as the table's ingredients spell them (the referee's own list)."""
MEAT_INGREDIENTS = ("고기", "돼지", "닭", "소곱창", "소꼬리", "소내장", "소대창", "소머리", "우족", "도가니", "사골",
                    "곱창", "막창", "선지", "흑염소", "오리", "양고기", "삼겹살", "목살", "항정살", "차돌박이", "양지",
                    "우삼겹", "갈비", "등심", "안심", "족발", "순대", "햄", "베이컨", "소시지", "스팸", "페퍼로니")
GLUTEN_GRAINS = ("보리", "호밀", "귀리", "그래놀라", "맥주")


def _has_ingredient(dish: Dish, words: Sequence[str]) -> bool:
    """An ingredient that is, or is spelled with, one of ``words`` (돼지뼈 with 돼지)."""
    return any(word in ingredient for ingredient in dish.ingredients for word in words)


def _breaks_diet(dish: Dish, diet: str) -> bool:
    implied = _implied(dish)
    return {
        "할랄": "돼지고기" in implied or _has_ingredient(dish, HALAL_FORBIDDEN),
        "유당불내증": "우유" in implied,
        "페스코": bool(implied & {"돼지고기", "닭고기", "쇠고기"}) or "고기" in dish.tags
        or _has_ingredient(dish, MEAT_INGREDIENTS),
        "글루텐프리": "밀" in implied or _has_ingredient(dish, GLUTEN_GRAINS),
        "채식": "채식가능" not in dish.tags,
        "비건": "비건" not in dish.tags,
        "저염": dish.sodium_mg > LOW_SODIUM_MG,
        "저탄수": dish.carbohydrate_g > LOW_CARB_G or 4 * dish.carbohydrate_g > LOW_CARB_SHARE * dish.kcal,
        "당뇨관리": dish.sugar_g > DIABETES_SUGAR_G or dish.carbohydrate_g > DIABETES_CARB_G,
    }[diet]


def _spaceless(text: str) -> str:
    return "".join(text.split())


def _has(dish: Dish, word: str) -> bool:
    """A requested tag or category is there as a tag, the category, the cuisine or an ingredient."""
    return word in dish.tags or word in (dish.category, dish.cuisine) or word in dish.ingredients


def violations(dish: Dish, request: RecommendationRequest) -> list[str]:
    """The hard constraints of ``request`` that ``dish`` breaks, named as in ``constraints``."""
    found: list[str] = []
    if any(_breaks_allergy(dish, word) for word in request.allergies):
        found.append("allergy")
    if any(_breaks_dislike(dish, word) for word in request.excluded):
        found.append("excluded")
    found.extend(f"diet:{diet}" for diet in sorted(request.diets) if _breaks_diet(dish, diet))
    if request.kcal_max is not None and dish.kcal > request.kcal_max:
        found.append("kcal_max")
    if request.kcal_min is not None and dish.kcal < request.kcal_min:
        found.append("kcal_min")
    names = {_spaceless(name) for name in (dish.name, *dish.aliases)}
    waived = request.meal_explicit or any(
        _has(dish, word) or _spaceless(word) in names for word in request.wanted_categories | request.wanted_dishes)
    if request.meal is not None and request.meal not in dish.meals and not waived:
        found.append("meal")
    if not all(_has(dish, tag) for tag in request.wanted_tags):
        found.append("wanted_tag")
    if request.wanted_categories and not any(_has(dish, c) for c in request.wanted_categories):
        found.append("wanted_category")
    if request.wanted_cuisines and dish.cuisine not in request.wanted_cuisines:
        found.append("wanted_cuisine")
    if dish.name in request.avoid_names:
        found.append("avoid")
    return found


def _some(rng: random.Random, words: Sequence[str], chance: float, most: int) -> frozenset[str]:
    if rng.random() >= chance:
        return frozenset()
    return frozenset(rng.sample(list(words), rng.randint(1, most)))


def random_request(rng: random.Random, names: Sequence[str]) -> RecommendationRequest:
    """A plausible random request: some allergies, dislikes, diets, caps, slots and a partial day."""
    meal = rng.choice([*MEALS, None])
    eaten_meals = tuple(m for m in ("아침", "점심") if rng.random() < 0.4 and m != meal)
    scale = len(eaten_meals)
    eaten = {field: rng.uniform(0, 1.2) * scale * base for field, base in zip(
        NUTRIENT_FIELDS, (700, 100, 15, 25, 20, 6, 1500, 5), strict=True)} if scale else {}
    kcal_max = float(rng.randrange(250, 1200, 50)) if rng.random() < 0.3 else None
    kcal_min = float(rng.randrange(100, 700, 50)) if rng.random() < 0.1 else None
    targets = default_targets() if rng.random() < 0.5 else compute_targets(
        rng.choice(["M", "F"]), rng.randint(15, 80), goal=rng.choice(["maintain", "diet", "bulk"]))
    return RecommendationRequest(
        meal=meal,
        meal_explicit=rng.random() < 0.1,
        k=rng.choice([1, 3, 3, 3, 5]),
        kcal_max=kcal_max,
        kcal_min=kcal_min,
        allergies=_some(rng, ALLERGY_WORDS, 0.5, 3),
        excluded=_some(rng, (*DISLIKE_WORDS, *rng.sample(list(names), 3)), 0.5, 3),
        diets=_some(rng, DIETS, 0.3, 2),
        goal=rng.choice([None, None, *GOALS]),
        wanted_tags=_some(rng, WANTED_TAGS, 0.2, 2),
        wanted_categories=_some(rng, WANTED_CATEGORIES, 0.1, 2),
        wanted_cuisines=_some(rng, WANTED_CUISINES, 0.1, 1),
        wanted_ingredients=_some(rng, ("고기", "두부", "달걀", "김치", "치즈"), 0.1, 1),
        wanted_dishes=_some(rng, names, 0.05, 2),
        liked=_some(rng, (*WANTED_TAGS, *WANTED_CUISINES, "김치", "치즈"), 0.4, 3),
        targets=targets,
        eaten_totals=eaten,
        eaten_meals=eaten_meals,
        recent={name: rng.randint(0, 10) for name in rng.sample(list(names), rng.randint(0, 10))},
        avoid_names=_some(rng, names, 0.2, 3),
        people=rng.choice([None, None, 1, 2, 4]),
        cheap=rng.random() < 0.2,
        situations=_some(rng, SITUATIONS, 0.2, 2),
    )
