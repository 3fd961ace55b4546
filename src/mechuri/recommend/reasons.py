"""The Korean the recommender speaks: reasons for each dish, relaxation offers and the shortfall notice.

Every sentence is built from the numbers it states — the dish's own values rounded the way the Turn
shows them (kcal and sodium as integers, grams to one decimal) or the meal's share of the day's
targets — so the LLM writer's number check and the user can both trust them. All user-facing Korean
of the recommender lives in this module (STYLE: one place per feature).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.hangul import normalize_key
from mechuri.knowledge.korean import attach
from mechuri.knowledge.vocab import CATEGORIES, CUISINES, TAGS
from mechuri.recommend.request import RecommendationRequest
from mechuri.recommend.scoring import GROUP_CATEGORIES, GROUP_SIZE, MealContext, situation_tags
from mechuri.recommend.terms import dish_matches_term

MAX_REASONS = 3
TASTE_TAGS = frozenset({"매운", "달콤한", "짭짤한", "담백한", "바삭한", "시원한", "기름진", "따뜻한", "차가운"})
CLOSE_TO_TARGET = 0.15
"""A dish within ±15 % of the meal's energy share is said to match it."""
HIGH_PROTEIN_G = 20.0
HIGH_FIBER_G = 6.0
LIGHT_SODIUM_SHARE = 0.6
"""Sodium under 60 % of the meal's share of the daily cap is worth saying."""

_SITUATION_TEXT = {
    "비오는날": "비 오는 날 생각나는 메뉴예요", "비": "비 오는 날 생각나는 메뉴예요",
    "해장": "해장하기 좋아요", "술": "술안주로 잘 어울려요", "술안주": "술안주로 잘 어울려요",
    "여름": "더운 날 시원하게 먹기 좋아요", "더운날": "더운 날 시원하게 먹기 좋아요",
    "겨울": "추운 날 몸을 데워 줘요", "추운날": "추운 날 몸을 데워 줘요",
    "혼밥": "혼자 먹기 편해요", "회식": "여럿이 함께 먹기 좋아요", "스트레스": "스트레스 풀리는 맛이에요",
    "피곤": "지친 날 든든하게 채워 줘요", "야근": "야근하는 날 든든해요", "아플때": "속이 편한 메뉴예요",
    "바쁠때": "빠르고 간편하게 먹을 수 있어요", "간단": "빠르고 간편하게 먹을 수 있어요",
}
_RELAX_CLAUSES = {
    # constraint: (clause said alone, clause joined to a following one)
    "meal": ("{meal}에 잘 먹지 않는 메뉴도 괜찮다면", "{meal}에 잘 먹지 않는 메뉴도 괜찮고"),
    "kcal_max_to": ("열량 상한을 {value}kcal로 올리면", "열량 상한을 {value}kcal로 올리고"),
    "kcal_max": ("열량 상한({limit_max}kcal)을 빼면", "열량 상한({limit_max}kcal)을 빼고"),
    "kcal_min_to": ("열량 하한을 {value}kcal로 낮추면", "열량 하한을 {value}kcal로 낮추고"),
    "kcal_min": ("열량 하한({limit_min}kcal)을 빼면", "열량 하한({limit_min}kcal)을 빼고"),
    "wanted_tag": ("'{tags}' 조건을 빼면", "'{tags}' 조건을 빼고"),
    "wanted_category": ("'{categories}' 말고 다른 종류도 괜찮다면", "'{categories}' 말고 다른 종류도 괜찮고"),
    "wanted_cuisine": ("'{cuisines}' 말고 다른 나라 음식도 괜찮다면", "'{cuisines}' 말고 다른 나라 음식도 괜찮고"),
    "avoid": ("방금 보여드린 메뉴도 다시 포함하면", "방금 보여드린 메뉴도 다시 포함하고"),
    "diet:저염_to": ("저염 기준을 나트륨 {value}mg까지 넓히면", "저염 기준을 나트륨 {value}mg까지 넓히고"),
    "diet:저염": ("저염 조건을 빼면", "저염 조건을 빼고"),
    "diet:저탄수": ("저탄수 조건을 빼면", "저탄수 조건을 빼고"),
}
_RELAX_END = " {n}개를 추천할 수 있어요"


def kcal_text(value: float) -> str:
    """Energy as the Turn shows it: a whole number (same ``round`` as ``Dish.nutrition``)."""
    return str(round(value))


def mg_text(value: float) -> str:
    """Sodium as the Turn shows it: a whole number."""
    return str(round(value))


def g_text(value: float) -> str:
    """Grams as the Turn shows them: one decimal, without a trailing ``.0``."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


@dataclass
class _Candidates:
    items: list[tuple[int, str]]

    def add(self, priority: int, text: str) -> None:
        if all(text != existing for _, existing in self.items):
            self.items.append((priority, text))


def dish_reasons(dish: Dish, request: RecommendationRequest, context: MealContext,
                 components: dict[str, float], matches: Callable[[str], bool] | None = None) -> list[str]:
    """One to three short 해요체 reasons for recommending ``dish``, most telling first.

    ``matches(term)`` says whether a liked or requested word applies to the dish (``prefer`` mode);
    the recommender passes its index's cached answer, others get ``dish_matches_term``.
    """
    if matches is None:
        matches = partial(dish_matches_term, dish, mode="prefer")
    found = _Candidates([])
    _requested(found, dish, request, matches)
    _balance(found, dish, request, context)
    _diets(found, dish, request)
    _liked(found, dish, request, matches)
    _situations(found, dish, request)
    if request.cheap and components.get("cheap", 0.0) > 0:
        found.add(45, "가성비가 좋아요" if "가성비" in dish.tags else "부담 없는 가격이에요")
    ranked = sorted(found.items, key=lambda item: -item[0])  # stable: equal priorities keep their order
    reasons = [text for _, text in ranked[:MAX_REASONS]]
    if not reasons:
        reasons.append(f"{kcal_text(dish.kcal)}kcal, 단백질 {g_text(dish.protein_g)}g인 {_meal_word(context)} 메뉴예요")
    return reasons


def _meal_word(context: MealContext) -> str:
    return context.meal if context.meal_named else "한 끼"


def _requested(found: _Candidates, dish: Dish, request: RecommendationRequest,
               matches: Callable[[str], bool]) -> None:
    names = {normalize_key(word) for word in (dish.name, *dish.aliases)}
    if any(normalize_key(term) in names for term in request.wanted_dishes):
        found.add(100, f"찾으시던 {attach(dish.name, '이에요/예요')}")
    else:
        related = [term for term in sorted(request.wanted_dishes) if matches(term)]
        if related:
            found.add(95, f"찾으시던 {attach('·'.join(related), '이/가')} 들어간 메뉴예요")
    words = [w for w in sorted(request.wanted_tags | request.wanted_categories | request.wanted_cuisines)
             if matches(w)]
    if words:
        found.add(90, f"요청하신 {'·'.join(words)} 메뉴예요")
    ingredients = [w for w in sorted(request.wanted_ingredients) if matches(w)]
    if ingredients:
        found.add(85, f"요청하신 {attach('·'.join(ingredients), '이/가')} 들어가요")


def _balance(found: _Candidates, dish: Dish, request: RecommendationRequest, context: MealContext) -> None:
    per_meal = context.per_meal
    earlier = f"{context.last_meal}의" if context.last_meal else "앞선 식사의"
    if context.salty_so_far and dish.sodium_mg <= per_meal.sodium_mg_max:
        found.add(80, f"나트륨이 {mg_text(dish.sodium_mg)}mg으로 {earlier} 짠 메뉴를 덜어 줘요")
    elif dish.sodium_mg <= LIGHT_SODIUM_SHARE * per_meal.sodium_mg_max:
        found.add(42, f"나트륨이 {mg_text(dish.sodium_mg)}mg으로 {_meal_word(context)} 권장량"
                      f"(약 {mg_text(per_meal.sodium_mg_max)}mg)보다 훨씬 적어요")
    if context.protein_short_so_far and dish.protein_g >= per_meal.protein_g.min:
        found.add(78, f"단백질 {g_text(dish.protein_g)}g으로 오늘 부족했던 단백질을 채워요")
    elif request.goal == "벌크업" and dish.protein_g >= per_meal.protein_g.mid:
        found.add(70, f"단백질이 {g_text(dish.protein_g)}g으로 근육을 키우는 데 좋아요")
    elif dish.protein_g >= HIGH_PROTEIN_G:
        found.add(40, f"단백질이 {g_text(dish.protein_g)}g으로 든든해요")
    if context.carb_heavy_so_far and dish.carbohydrate_g <= per_meal.carbohydrate_g.min:
        found.add(76, f"탄수화물이 {g_text(dish.carbohydrate_g)}g으로 {earlier} 탄수화물을 덜어 줘요")
    target = per_meal.kcal
    if request.goal == "다이어트" and dish.kcal < (1 - CLOSE_TO_TARGET) * target:
        found.add(70, f"{kcal_text(dish.kcal)}kcal로 {_meal_word(context)} 권장 열량(약 {kcal_text(target)}kcal)"
                      "보다 가벼워요")
    elif abs(dish.kcal - target) <= CLOSE_TO_TARGET * target and context.energy_target == target:
        found.add(60, f"{_meal_word(context)} 권장 열량(약 {kcal_text(target)}kcal)에 맞는 "
                      f"{kcal_text(dish.kcal)}kcal예요")
    if dish.fiber_g >= HIGH_FIBER_G:
        found.add(35, f"식이섬유가 {g_text(dish.fiber_g)}g으로 넉넉해요")


def _diets(found: _Candidates, dish: Dish, request: RecommendationRequest) -> None:
    texts = {
        "저염": f"나트륨 {mg_text(dish.sodium_mg)}mg으로 저염 식단에 맞아요",
        "저탄수": f"탄수화물 {g_text(dish.carbohydrate_g)}g으로 저탄수 식단에 맞아요",
        "당뇨관리": f"당류 {g_text(dish.sugar_g)}g, 탄수화물 {g_text(dish.carbohydrate_g)}g으로 혈당 관리에 무리가 적어요",
        "비건": "동물성 재료가 없는 비건 메뉴예요",
        "채식": "고기·해산물이 없는 채식 메뉴예요",
        "할랄": "돼지고기와 술이 들어가지 않은 메뉴예요",
        "유당불내증": "우유·유제품이 들어가지 않은 메뉴예요",
        "페스코": "고기 없이 먹을 수 있는 메뉴예요",
        "글루텐프리": "밀·보리 같은 글루텐 곡물이 재료에 없는 메뉴예요",
    }
    for diet in sorted(request.diets):
        if (diet == "채식" and "비건" in request.diets) or (diet == "페스코" and {"채식", "비건"} & request.diets):
            continue
        found.add(65, texts[diet])


def _liked(found: _Candidates, dish: Dish, request: RecommendationRequest, matches: Callable[[str], bool]) -> None:
    for term in sorted(request.liked):
        if not matches(term):
            continue
        if term in TASTE_TAGS:
            found.add(55, f"좋아하시는 {term} 맛이에요")
        elif term in TAGS or term in CATEGORIES or term in CUISINES:
            found.add(55, f"좋아하시는 {term} 메뉴예요")
        elif term in (dish.name, *dish.aliases):
            found.add(55, "좋아하시는 메뉴예요")
        else:
            found.add(55, f"좋아하시는 {attach(term, '이/가')} 들어가요")


def _situations(found: _Candidates, dish: Dish, request: RecommendationRequest) -> None:
    tags = set(dish.tags)
    for word in sorted(request.situations):
        suits = situation_tags(word)
        if suits and suits & tags:
            found.add(50, _SITUATION_TEXT.get(word, f"{word}에 잘 어울려요"))
    if request.people is not None and request.people >= GROUP_SIZE and (
            "회식" in tags or dish.category in GROUP_CATEGORIES):
        found.add(50, "함께 나눠 먹기 좋아요")
    elif request.people == 1 and "혼밥" in tags:
        found.add(50, "혼자 먹기 편해요")


def relaxation_text(constraints: tuple[str, ...], request: RecommendationRequest, available: int,
                    value: float | None) -> str:
    """The offer to loosen ``constraints`` (one, or two together): what changes, how many dishes then fit."""
    fields = {
        "meal": request.meal or "이 끼니", "n": available,
        "tags": "·".join(sorted(request.wanted_tags)), "categories": "·".join(sorted(request.wanted_categories)),
        "cuisines": "·".join(sorted(request.wanted_cuisines)),
        "value": kcal_text(value) if value is not None else "",
        "limit_max": kcal_text(request.kcal_max) if request.kcal_max is not None else "",
        "limit_min": kcal_text(request.kcal_min) if request.kcal_min is not None else "",
    }
    clauses = []
    for position, name in enumerate(constraints):
        key = f"{name}_to" if value is not None and f"{name}_to" in _RELAX_CLAUSES else name
        alone, joined = _RELAX_CLAUSES[key]
        clauses.append(alone if position == len(constraints) - 1 else joined)
    return (" ".join(clauses) + _RELAX_END).format(**fields)


def shortfall_notice(have: int, k: int) -> str | None:
    """What to say when fewer than ``k`` dishes fit every condition; None when enough do."""
    if have >= k:
        return None
    if have == 0:
        return "말씀하신 조건에 모두 맞는 메뉴가 없어요"
    return f"말씀하신 조건에 모두 맞는 메뉴가 {have}개뿐이에요"


def fresh_reason(reasons: Iterable[str], said: set[str]) -> str:
    """The dish's best reason that does not repeat the shape of one already given in the same list (added
    to ``said``): three menus each "맞는 열량" read as one reason said three times; the second-best reason
    says something new. The shape is the sentence without its subject and with its numbers blanked."""
    reasons = list(reasons)
    for reason in reasons:
        shape = re.sub(r"[\d,.]+", "#", re.sub(r"^[^이가은는을를]+[이가은는을를] ", "", reason))
        if shape not in said:
            said.add(shape)
            return reason
    return reasons[0] if reasons else ""
