"""The Korean the recommender speaks: reasons for each dish, relaxation offers and the shortfall notice.

Every sentence is built from the numbers it states — the dish's own values rounded the way the Turn
shows them (kcal and sodium as integers, grams to one decimal) or the meal's share of the day's
targets — so the LLM writer's number check and the user can both trust them. All user-facing Korean
of the recommender lives in this module (STYLE: one place per feature).

Every reason is one of the templates registered below (``_TEMPLATES``), each with a *kind*; a list of
dishes never gives two cards reasons of the same kind (``fresh_reason``), and besides the numbers there
are reasons that describe the dish itself from its table row (category, tags, main ingredients, cuisine:
``dish_descriptions``), so three cards read like three different suggestions. A weather or situation
reason is said only where the dish's own tags and category fit it (no 「추운 날 몸을 데워 줘요」 for 난,
a cold dish, a drink or a side).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial

from mechuri.knowledge.foods import Dish, load_food_table
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
SITUATION_OTHER = "{word}에 잘 어울려요"
SIDE_CATEGORIES = frozenset({"빵", "음료", "디저트", "반찬"})
"""Not a meal of their own: no weather or mood reason says they warm you up or fill you."""


def _warming(dish: Dish) -> bool:
    tags = set(dish.tags)
    return "차가운" not in tags and ("겨울" in tags or {"국물", "따뜻한"} <= tags)


def _cooling(dish: Dish) -> bool:
    tags = set(dish.tags)
    return "따뜻한" not in tags and bool({"여름", "차가운", "시원한"} & tags)


def _gentle(dish: Dish) -> bool:
    return "매운" not in dish.tags and ("담백한" in dish.tags or dish.category == "죽")


_SITUATION_FITS: dict[str, Callable[[Dish], bool]] = {
    "겨울": _warming, "추운날": _warming, "여름": _cooling, "더운날": _cooling, "아플때": _gentle,
}
"""Situations whose sentence claims something of the dish (it warms, it cools, it is gentle): said only
when the dish's own tags say so, beyond the scorer's looser match."""
_MEAL_SITUATIONS = frozenset({"겨울", "추운날", "여름", "더운날", "아플때", "피곤", "야근", "혼밥", "회식"})
"""Situation sentences about a meal: never said of a side, a drink, bread or a dessert."""

# -- what the dish is, from its row of the table ---------------------------------------------------------
_CATEGORY_NOUN = {
    "면": "면 요리", "볶음": "볶음 요리", "구이": "구이 요리", "튀김": "튀김 요리", "찜": "찜 요리",
    "조림": "조림 요리", "고기": "고기 요리", "기타": "메뉴", "전": "전 요리", "밥": "밥 요리",
}
_SOUP_CATEGORIES = frozenset({"찌개", "탕", "국", "전골"})
_FLAVOUR_WORDS = (("매운", "매콤한"), ("달콤한", "달콤한"), ("짭짤한", "짭짤한"), ("담백한", "담백한"),
                  ("시원한", "시원한"))
_SEASONINGS = frozenset({
    "고추장", "고춧가루", "간장", "설탕", "소금", "마늘", "대파", "파", "양파", "식용유", "참기름", "들기름", "후추",
    "깨", "물엿", "케첩", "밀가루", "튀김옷", "부침가루", "튀김가루", "육수", "물", "식초", "올리브유", "버터",
    "생강", "고추", "청양고추", "빵가루", "만두피", "밥", "다시마", "멸치", "카레가루", "소스", "마요네즈", "머스터드", "올리고당", "꿀",
})
"""Ingredients that season a dish rather than make it: not what 「…이 들어간」 names."""


def _noun(dish: Dish) -> str:
    return _CATEGORY_NOUN.get(dish.category, dish.category)


def _is(noun: str) -> str:
    return attach(noun, "이에요/예요")


def _main_ingredients(dish: Dish) -> list[str]:
    """Up to two of the first three listed ingredients that make the dish (not its seasoning or itself)."""
    names = {dish.name, dish.category, *dish.aliases}
    return [i for i in dish.ingredients[:3] if i not in _SEASONINGS and i not in names
            and not _names_another_dish(i, dish)][:2]


@lru_cache(maxsize=1)
def _menu_words() -> tuple[dict[str, frozenset[str]], int]:
    """Every name and alias of the shipped table (two letters or more), as the guardrail reads dish names:
    normalised word → the dishes it names, and the longest word's length."""
    found: dict[str, set[str]] = {}
    for dish in load_food_table():
        for word in (dish.name, *dish.aliases):
            if len(key := normalize_key(word)) >= 2:
                found.setdefault(key, set()).add(dish.name)
    return {key: frozenset(names) for key, names in found.items()}, max(map(len, found), default=0)


def _names_another_dish(text: str, dish: Dish) -> bool:
    """Whether ``text`` holds a menu name other than ``dish``'s own (「김치」 is 배추김치's alias, 「만두」 고기만두's):
    a reason that names one would read as recommending that dish too, and the guardrail would say so.

    Looks every piece of the text up among the menu words (a sentence has a few hundred pieces up to the
    longest word) rather than every menu word up in the text (~1,600 scans per sentence): a dish's first
    descriptions cost ~2 ms each that way, on the first recommendation that shows it."""
    key = normalize_key(text)
    words, longest = _menu_words()
    for start in range(len(key) - 1):
        for end in range(start + 2, min(len(key), start + longest) + 1):
            names = words.get(key[start:end])
            if names is not None and (len(names) > 1 or dish.name not in names):
                return True
    return False


def dish_descriptions(dish: Dish) -> list[str]:
    """What the dish itself is, in a few short sentences of different kinds, built only from its row of
    the table (category, tags, main ingredients, cuisine): 「얼큰한 국물에 밥 말아 먹기 좋은 찌개예요」,
    「돼지고기·두부가 들어간 찌개예요」, and last, always, what kind of dish it is and its own energy and
    protein as the Turn shows them (so every card of a list has a reason of its own); no word the table
    reads as another menu (김치 is 배추김치's name), so none reads as recommending a dish not listed; the most
    characteristic first."""
    return list(_descriptions(dish))


@lru_cache(maxsize=4096)
def _descriptions(dish: Dish) -> tuple[str, ...]:
    tags = set(dish.tags)
    noun, out = _noun(dish), []
    if dish.category in _SOUP_CATEGORIES and "국물" in tags:
        adj = ("얼큰한 " if "매운" in tags else "시원한 " if "시원한" in tags else
               "뜨끈한 " if "따뜻한" in tags else "")
        out.append(SOUP.format(adj=adj, what=_is(noun)))
    flavours = [word for tag, word in _FLAVOUR_WORDS if tag in tags and not (tag == "시원한" and out)]
    if {"매운", "달콤한"} <= tags:
        flavours = ["매콤달콤한", *[f for f in flavours if f not in ("매콤한", "달콤한")]]
    if flavours and dish.category not in _SOUP_CATEGORIES | {"음료"}:
        out.append(FLAVOUR.format(flavour=flavours[0], what=_is(noun)))
    main = _main_ingredients(dish)
    if main:
        out.append(INGREDIENT.format(main=attach("·".join(main), "이/가"), what=_is(noun)))
    if "바삭한" in tags:
        out.append(TEXTURE.format(what=_is(noun)))
    if "차가운" in tags and dish.category != "음료":
        out.append(COLD.format(what=_is(noun)))
    if dish.cuisine != "한식" and dish.cuisine in CUISINES:
        out.append(CUISINE.format(cuisine=dish.cuisine))
    if "든든한" in tags and dish.category not in SIDE_CATEGORIES:
        out.append(HEARTY.format(what=_is(noun)))
    elif "간편" in tags:
        out.append(EASY.format(what=_is(noun)))
    elif "가벼운" in tags:
        out.append(LIGHT.format(what=_is(noun)))
    out.append(KIND.format(cuisine=dish.cuisine, what=_is(noun)))
    out.append(NUMBERS.format(kcal=kcal_text(dish.kcal), g=g_text(dish.protein_g), what=_is(noun)))
    return tuple(text for text in out if not _names_another_dish(text, dish))


# -- the templates: every reason is one of these, and its kind is what a list must not repeat -------------
REQUESTED_DISH = "찾으시던 {dish}"
REQUESTED_PART = "찾으시던 {terms} 들어간 메뉴예요"
REQUESTED_WORDS = "요청하신 {words} 메뉴예요"
REQUESTED_INGREDIENTS = "요청하신 {ingredients} 들어가요"
SALTY_EARLIER = "나트륨이 {mg}mg으로 {earlier} 짠 메뉴를 덜어 줘요"
LIGHT_SODIUM = "나트륨이 {mg}mg으로 {meal} 권장량(약 {cap}mg)보다 훨씬 적어요"
PROTEIN_SHORT = "단백질 {g}g으로 오늘 부족했던 단백질을 채워요"
PROTEIN_BULK = "단백질이 {g}g으로 근육을 키우는 데 좋아요"
PROTEIN_HIGH = "단백질이 {g}g으로 든든해요"
CARB_EARLIER = "탄수화물이 {g}g으로 {earlier} 탄수화물을 덜어 줘요"
KCAL_LIGHTER = "{kcal}kcal로 {meal} 권장 열량(약 {target}kcal)보다 가벼워요"
KCAL_FITS = "{meal} 권장 열량(약 {target}kcal)에 맞는 {kcal}kcal예요"
FIBER = "식이섬유가 {g}g으로 넉넉해요"
DIET_TEXT = {
    "저염": "나트륨 {mg}mg으로 저염 식단에 맞아요",
    "저탄수": "탄수화물 {carb}g으로 저탄수 식단에 맞아요",
    "당뇨관리": "당류 {sugar}g, 탄수화물 {carb}g으로 혈당 관리에 무리가 적어요",
    "비건": "동물성 재료가 없는 비건 메뉴예요",
    "채식": "고기·해산물이 없는 채식 메뉴예요",
    "할랄": "돼지고기와 술이 들어가지 않은 메뉴예요",
    "유당불내증": "우유·유제품이 들어가지 않은 메뉴예요",
    "페스코": "고기 없이 먹을 수 있는 메뉴예요",
    "글루텐프리": "밀·보리 같은 글루텐 곡물이 재료에 없는 메뉴예요",
}
LIKED_TASTE = "좋아하시는 {term} 맛이에요"
LIKED_KIND = "좋아하시는 {term} 메뉴예요"
TASTE_LIKE = "지난번에 고르신 {chosen}처럼 {what} 메뉴예요"
LIKED_DISH = "좋아하시는 메뉴예요"
LIKED_PART = "좋아하시는 {term} 들어가요"
GROUP = "함께 나눠 먹기 좋아요"
ALONE = "혼자 먹기 편해요"
VALUE = "가성비가 좋아요"
CHEAP = "부담 없는 가격이에요"
PLAIN = "{kcal}kcal, 단백질 {g}g인 {meal} 메뉴예요"
SOUP = "{adj}국물에 밥 말아 먹기 좋은 {what}"
FLAVOUR = "{flavour} 맛의 {what}"
INGREDIENT = "{main} 들어간 {what}"
TEXTURE = "바삭한 식감의 {what}"
COLD = "차갑게 즐기는 {what}"
CUISINE = "입맛을 바꿔 보기 좋은 {cuisine} 메뉴예요"
HEARTY = "한 끼 든든하게 채워 주는 {what}"
EASY = "간편하게 먹기 좋은 {what}"
LIGHT = "가볍게 먹기 좋은 {what}"
KIND = "{cuisine} {what}"
NUMBERS = "열량 {kcal}kcal, 단백질 {g}g인 {what}"

_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("requested", REQUESTED_DISH), ("requested", REQUESTED_PART), ("requested", REQUESTED_WORDS),
    ("requested_ingredients", REQUESTED_INGREDIENTS),
    ("sodium", SALTY_EARLIER), ("sodium", LIGHT_SODIUM),
    ("protein", PROTEIN_SHORT), ("protein", PROTEIN_BULK), ("protein", PROTEIN_HIGH),
    ("carbohydrate", CARB_EARLIER), ("kcal", KCAL_LIGHTER), ("kcal", KCAL_FITS), ("fiber", FIBER),
    *((f"diet:{diet}", text) for diet, text in DIET_TEXT.items()),
    ("liked", LIKED_TASTE), ("liked", LIKED_KIND), ("liked", LIKED_DISH), ("liked", LIKED_PART),
    ("taste", TASTE_LIKE),
    *((f"situation:{text}", text) for text in dict.fromkeys(_SITUATION_TEXT.values())),
    ("situation", SITUATION_OTHER), ("group", GROUP), ("alone", ALONE), ("price", VALUE), ("price", CHEAP),
    ("plain", PLAIN), ("soup", SOUP), ("flavour", FLAVOUR), ("ingredient", INGREDIENT), ("texture", TEXTURE),
    ("cold", COLD), ("cuisine", CUISINE), ("hearty", HEARTY), ("easy", EASY), ("light", LIGHT),
    ("numbers", NUMBERS), ("kind", KIND),
)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", template)
    cuisines = "|".join(map(re.escape, CUISINES))
    return re.compile("".join(f"(?:{cuisines})" if part == "{cuisine}" else "(.*?)" if part.startswith("{")
                              else re.escape(part) for part in parts))


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, _pattern(template)) for kind, template in
    sorted(_TEMPLATES, key=lambda kt: -len(re.sub(r"\{\w+\}", "", kt[1]))))
"""Most literal text first, so 「좋아하시는 메뉴예요」 is not read as 「좋아하시는 {term} 메뉴예요」."""


def reason_kind(reason: str) -> str:
    """The kind of template ``reason`` was built from (「kcal」, 「soup」, 「situation:…」); an unknown
    sentence is its own kind."""
    return next((kind for kind, pattern in _PATTERNS if pattern.fullmatch(reason)), reason)


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


DESCRIPTION_PRIORITY = 44
"""Where the dish's own description ranks among its reasons: above the plain nutrition remarks (low
sodium, protein, fibre), below anything the user asked for or the day needs."""


def dish_reasons(dish: Dish, request: RecommendationRequest, context: MealContext,
                 components: dict[str, float], matches: Callable[[str], bool] | None = None,
                 lookup: Callable[[str], Dish | None] | None = None) -> list[str]:
    """One to three short 해요체 reasons for recommending ``dish``, most telling first.

    ``matches(term)`` says whether a liked or requested word applies to the dish (``prefer`` mode);
    the recommender passes its index's cached answer, others get ``dish_matches_term``. ``lookup`` finds
    a dish by name (the dishes the person chose, for a reason the learned taste gives).
    """
    if matches is None:
        matches = partial(dish_matches_term, dish, mode="prefer")
    found = _Candidates([])
    _requested(found, dish, request, matches)
    _balance(found, dish, request, context)
    _diets(found, dish, request)
    _liked(found, dish, request, matches)
    _situations(found, dish, request)
    _taste(found, dish, request, components, lookup)
    if request.cheap and components.get("cheap", 0.0) > 0:
        found.add(45, VALUE if "가성비" in dish.tags else CHEAP)
    descriptions = dish_descriptions(dish)
    if descriptions:
        found.add(DESCRIPTION_PRIORITY, descriptions[0])
    ranked = sorted(found.items, key=lambda item: -item[0])  # stable: equal priorities keep their order
    reasons = [text for _, text in ranked[:MAX_REASONS]]
    if not reasons:
        reasons.append(PLAIN.format(kcal=kcal_text(dish.kcal), g=g_text(dish.protein_g), meal=_meal_word(context)))
    return reasons


TASTE_WORDS = {"category": "{value} 요리인", "cuisine": "{value}"}
TASTE_TAG_WORDS = {"매운": "매콤한", "국물": "국물 있는", "면": "면 요리인", "밥": "밥이 든든한", "고기": "고기가 들어간",
                   "해산물": "해산물이 들어간", "달콤한": "달콤한", "짭짤한": "짭짤한", "담백한": "담백한",
                   "바삭한": "바삭한", "시원한": "시원한", "기름진": "고소하고 기름진", "따뜻한": "따뜻한",
                   "차가운": "시원하게 먹는", "빵": "빵으로 된", "떡": "떡이 들어간", "튀김": "튀긴", "구이": "구운",
                   "든든한": "든든한", "가벼운": "가벼운", "발효": "발효 음식인"}
TASTE_PRIORITY = 58
"""A reason the person's own choices give ranks above remembered likes (55): it is what they did."""
MIN_TASTE_LIFT = 0.55
"""The ``taste`` component must be at least this (0.5 = no opinion) for the reason to be said."""


def _taste(found: _Candidates, dish: Dish, request: RecommendationRequest, components: dict[str, float],
           lookup: Callable[[str], Dish | None] | None) -> None:
    """「지난번에 고르신 제육볶음처럼 매콤한 메뉴예요」: when the learned taste lifted the dish, the feature that
    lifted it most and the latest dish the person chose that shares it."""
    taste = request.taste
    if taste is None or lookup is None or components.get("taste", 0.0) < MIN_TASTE_LIFT:
        return
    grounds = taste.because(dish, lookup)
    if grounds is None:
        return
    chosen, feature = grounds
    found.add(TASTE_PRIORITY, TASTE_LIKE.format(chosen=chosen, what=taste_feature_words(feature)))


def taste_feature_words(feature: str) -> str:
    """A taste model feature (``recommend.taste.dish_features``) as the words before 「메뉴예요」:
    tag:매운 → 매콤한, ingredient:김치 / protein:돼지고기 → 김치가 / 돼지고기가 들어간, combo:매운+돼지고기 →
    매콤한 돼지고기 요리인, category:볶음 → 볶음 요리인, cuisine:중식 → 중식."""
    kind, _, value = feature.partition(":")
    if kind == "tag":
        return TASTE_TAG_WORDS.get(value, value)
    if kind in ("ingredient", "protein"):
        return f"{attach(value, '이/가')} 들어간"
    if kind == "combo":
        heat, _, protein = value.partition("+")
        return f"{'매콤한' if heat == '매운' else '맵지 않은'} {protein} 요리인"
    return TASTE_WORDS[kind].format(value=value)


def _meal_word(context: MealContext) -> str:
    return context.meal if context.meal_named else "한 끼"


def _requested(found: _Candidates, dish: Dish, request: RecommendationRequest,
               matches: Callable[[str], bool]) -> None:
    names = {normalize_key(word) for word in (dish.name, *dish.aliases)}
    if any(normalize_key(term) in names for term in request.wanted_dishes):
        found.add(100, REQUESTED_DISH.format(dish=attach(dish.name, "이에요/예요")))
    else:
        related = [term for term in sorted(request.wanted_dishes) if matches(term)]
        if related:
            found.add(95, REQUESTED_PART.format(terms=attach("·".join(related), "이/가")))
    words = [w for w in sorted(request.wanted_tags | request.wanted_categories | request.wanted_cuisines)
             if matches(w)]
    if words:
        found.add(90, REQUESTED_WORDS.format(words="·".join(words)))
    ingredients = [w for w in sorted(request.wanted_ingredients) if matches(w)]
    if ingredients:
        found.add(85, REQUESTED_INGREDIENTS.format(ingredients=attach("·".join(ingredients), "이/가")))


def _balance(found: _Candidates, dish: Dish, request: RecommendationRequest, context: MealContext) -> None:
    per_meal = context.per_meal
    earlier = f"{context.last_meal}의" if context.last_meal else "앞선 식사의"
    meal = _meal_word(context)
    if context.salty_so_far and dish.sodium_mg <= per_meal.sodium_mg_max:
        found.add(80, SALTY_EARLIER.format(mg=mg_text(dish.sodium_mg), earlier=earlier))
    elif dish.sodium_mg <= LIGHT_SODIUM_SHARE * per_meal.sodium_mg_max:
        found.add(42, LIGHT_SODIUM.format(mg=mg_text(dish.sodium_mg), meal=meal,
                                          cap=mg_text(per_meal.sodium_mg_max)))
    if context.protein_short_so_far and dish.protein_g >= per_meal.protein_g.min:
        found.add(78, PROTEIN_SHORT.format(g=g_text(dish.protein_g)))
    elif request.goal == "벌크업" and dish.protein_g >= per_meal.protein_g.mid:
        found.add(70, PROTEIN_BULK.format(g=g_text(dish.protein_g)))
    elif dish.protein_g >= HIGH_PROTEIN_G:
        found.add(40, PROTEIN_HIGH.format(g=g_text(dish.protein_g)))
    if context.carb_heavy_so_far and dish.carbohydrate_g <= per_meal.carbohydrate_g.min:
        found.add(76, CARB_EARLIER.format(g=g_text(dish.carbohydrate_g), earlier=earlier))
    target = per_meal.kcal
    if request.goal == "다이어트" and dish.kcal < (1 - CLOSE_TO_TARGET) * target:
        found.add(70, KCAL_LIGHTER.format(kcal=kcal_text(dish.kcal), meal=meal, target=kcal_text(target)))
    elif abs(dish.kcal - target) <= CLOSE_TO_TARGET * target and context.energy_target == target:
        found.add(60, KCAL_FITS.format(meal=meal, target=kcal_text(target), kcal=kcal_text(dish.kcal)))
    if dish.fiber_g >= HIGH_FIBER_G:
        found.add(35, FIBER.format(g=g_text(dish.fiber_g)))


def _diets(found: _Candidates, dish: Dish, request: RecommendationRequest) -> None:
    values = {"mg": mg_text(dish.sodium_mg), "carb": g_text(dish.carbohydrate_g), "sugar": g_text(dish.sugar_g)}
    for diet in sorted(request.diets):
        if (diet == "채식" and "비건" in request.diets) or (diet == "페스코" and {"채식", "비건"} & request.diets):
            continue
        found.add(65, DIET_TEXT[diet].format(**values))


def _liked(found: _Candidates, dish: Dish, request: RecommendationRequest, matches: Callable[[str], bool]) -> None:
    for term in sorted(request.liked):
        if not matches(term):
            continue
        if term in TASTE_TAGS:
            found.add(55, LIKED_TASTE.format(term=term))
        elif term in TAGS or term in CATEGORIES or term in CUISINES:
            found.add(55, LIKED_KIND.format(term=term))
        elif term in (dish.name, *dish.aliases):
            found.add(55, LIKED_DISH)
        else:
            found.add(55, LIKED_PART.format(term=attach(term, "이/가")))


def _situations(found: _Candidates, dish: Dish, request: RecommendationRequest) -> None:
    """A situation's sentence, only when the dish's tags suit it — and, where the sentence claims something of
    the dish (it warms you, it cools you, it is gentle, it fills you), when the dish really is so."""
    tags = set(dish.tags)
    for word in sorted(request.situations):
        suits = situation_tags(word)
        if not (suits and suits & tags):
            continue
        if word in _MEAL_SITUATIONS and dish.category in SIDE_CATEGORIES:
            continue
        fits = _SITUATION_FITS.get(word)
        if fits is not None and not fits(dish):
            continue
        found.add(50, _SITUATION_TEXT.get(word, SITUATION_OTHER.format(word=word)))
    if request.people is not None and request.people >= GROUP_SIZE and (
            "회식" in tags or dish.category in GROUP_CATEGORIES):
        found.add(50, GROUP)
    elif request.people == 1 and "혼밥" in tags:
        found.add(50, ALONE)


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


def fresh_reason(reasons: Iterable[str], said: set[str], descriptions: Iterable[str] = ()) -> str:
    """The dish's best reason whose template kind (``reason_kind``) no card of the same list used yet
    (added to ``said``): three menus each 「…에 맞는 750kcal예요」 read as one reason said three times. When
    every reason's kind was used, the dish's own ``descriptions`` (``dish_descriptions``) say something new."""
    reasons = list(reasons)
    for reason in (*reasons, *descriptions):
        kind = reason_kind(reason)
        if kind not in said:
            said.add(kind)
            return reason
    return reasons[0] if reasons else ""
