"""The rules of the diets people name for religious or medical reasons: 할랄, 유당불내증, 페스코, 글루텐프리.

Each rule reads only the food table (the dish's declared allergens, its ingredients and names, and the
allergens the recommender's cautious term matching implies from them: 간장 and 고추장 imply 밀, 치즈
implies 우유). Where the table cannot tell (whether beef was slaughtered the halal way, whether a kitchen
fries in shared oil, whether a store-bought 된장 has wheat in it), the rule cannot enforce anything; the
reply says so plainly (``conversation.diet_strings``) instead of pretending.

The thresholds of the nutrient diets (저염, 저탄수, 당뇨관리) stay in ``index``; the referee in ``audit``
re-implements every rule the plain way.
"""

from __future__ import annotations

from mechuri.knowledge.foods import Dish
from mechuri.recommend.terms import MEAT, DishTerms

PORK_WORDS: frozenset[str] = frozenset({
    "돼지", "삼겹살", "목살", "항정살", "족발", "순대", "햄", "베이컨", "소시지", "스팸", "돈가스", "페퍼로니", "라드",
    "젤라틴", "살라미", "하몽", "차슈",
})
"""Words that mean pork inside an ingredient or dish name (돼지뼈, 돼지껍데기, 돈가스소스 …)."""
ALCOHOL_WORDS: frozenset[str] = frozenset({
    "와인", "미림", "맛술", "청주", "소주", "맥주", "막걸리", "사케", "정종", "럼", "위스키", "브랜디", "리큐르", "술",
})
"""Alcohol as an ingredient; 미림 and 맛술 count although cooking drives much of it off (halal rules do not
count on that)."""
BLOOD_WORDS: frozenset[str] = frozenset({"선지"})
"""Blood, which halal rules forbid like pork."""
MEAT_WORDS: frozenset[str] = frozenset({
    *MEAT, "고기", "돼지", "닭", "삼겹살", "목살", "항정살", "족발", "순대", "햄", "베이컨", "소시지", "스팸", "돈가스",
    "페퍼로니", "사골", "우족", "도가니", "소꼬리", "소내장", "소대창", "소머리", "소곱창", "흑염소", "선지", "데미글라스",
    "차돌박이", "양지", "우삼겹", "갈비살", "등심", "안심", "치킨", "불고기", "육회", "육수",
})
"""Meat and poultry inside an ingredient or dish name: what a 페스코 (pescatarian) diet leaves out."""
GLUTEN_GRAIN_WORDS: frozenset[str] = frozenset({"보리", "호밀", "귀리", "오트", "그래놀라", "맥주", "맥아", "엿기름"})
"""Grains other than wheat that carry gluten (귀리 because it is nearly always milled beside wheat)."""

MEAT_ALLERGENS = frozenset({"돼지고기", "닭고기", "쇠고기"})
RULE_DIETS: tuple[str, ...] = ("할랄", "유당불내증", "페스코", "글루텐프리")
"""The diets this module decides; ``index._fails_diet`` asks it for each."""


def _words(dish: Dish, terms: DishTerms) -> tuple[str, ...]:
    return (*terms.names, *dish.ingredients)


def _contains(dish: Dish, terms: DishTerms, words: frozenset[str]) -> bool:
    """Whether any ingredient or name of the dish is or contains one of ``words`` (one-letter words only
    whole: 술 is alcohol, 술안주 is not an ingredient)."""
    for text in _words(dish, terms):
        if text in words:
            return True
        if any(len(word) >= 2 and word in text for word in words):
            return True
    return False


def fails_rule_diet(dish: Dish, terms: DishTerms, diet: str) -> bool:
    """Whether ``dish`` breaks ``diet`` (one of ``RULE_DIETS``)."""
    if diet == "할랄":
        return ("돼지고기" in terms.cautious or _contains(dish, terms, PORK_WORDS)
                or _contains(dish, terms, ALCOHOL_WORDS) or _contains(dish, terms, BLOOD_WORDS))
    if diet == "유당불내증":
        return "우유" in terms.cautious
    if diet == "페스코":
        return bool(terms.cautious & MEAT_ALLERGENS) or "고기" in dish.tags or dish.category == "고기" \
            or _contains(dish, terms, MEAT_WORDS)
    if diet == "글루텐프리":
        return "밀" in terms.cautious or _contains(dish, terms, GLUTEN_GRAIN_WORDS)
    raise ValueError(f"unknown diet {diet!r}")
