"""What a word like 새우, 견과류, 고기 or 면 means for one dish: the term matching behind every constraint.

People state allergies and dislikes in their own words — an allergen (새우), an ingredient (오이), a
group (갑각류, 견과류, 해산물), a tag (매운), a category (면), a cuisine (중식), a dish (김치찌개). This module
turns each word into the atoms the food table uses and tests them against one dish.

Three modes, because a wrong answer costs differently in each:

* ``"allergy"`` — a miss can hurt someone, so it matches as widely as the data allows: declared
  allergens, allergens the ingredients imply (``vocab.INGREDIENT_ALLERGENS`` and ``EXTRA_IMPLIED``,
  also when an ingredient or name merely *contains* a known word, 새우튀김 → 새우) and the allergens
  the stated word itself implies (an allergy to 간장 avoids 대두 and 밀). Over-cautious on purpose:
  치킨돈가스 is kept from a pork allergy by its name alone.
* ``"avoid"`` — dislikes and exclusions: as wide as allergies, except that the word is not turned
  into allergens (disliking 치즈 is not avoiding all milk).
* ``"prefer"`` — likes and requests: only what the dish declares, no substrings, so that a liked
  고기 does not light up every dish with a spoon of 굴소스 in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.hangul import normalize_key
from mechuri.knowledge.vocab import CATEGORIES, CUISINES, INGREDIENT_ALLERGENS, TAGS

MatchMode = Literal["allergy", "avoid", "prefer"]

MIN_SUBSTRING = 2
"""Words shorter than this never match inside a longer word: 파 is not in 양파, 게 is not in 게임."""

EXTRA_IMPLIED: dict[str, tuple[str, ...]] = {
    "굴소스": ("조개류",), "돈가스": ("돼지고기", "밀"), "어묵": ("밀",), "파마산": ("우유",),
    "요구르트": ("우유",), "아이스크림": ("우유",), "카레": ("밀",), "유청": ("우유",),
}
"""Ingredients whose allergen the labeling list does not name but which usually carry one; only
widens allergy matching (an over-cautious miss costs a menu, an under-cautious one a reaction)."""

NOT_WHEAT_NOODLES: frozenset[str] = frozenset(
    {"쌀국수면", "쌀국수", "쌀면", "당면", "중국당면", "곤약면", "메밀면", "라이스페이퍼", "감자전분"}
)
"""Ingredients that contain a wheat word (국수, 면) without being wheat: substring implication skips them."""

FISH: frozenset[str] = frozenset({
    "생선", "연어", "참치", "멸치", "명태", "동태", "황태", "북어", "코다리", "대구", "갈치", "삼치", "꽁치", "장어",
    "아귀", "광어", "우럭", "도미", "방어", "가자미", "고등어", "어묵", "가쓰오부시", "피시소스", "액젓", "멸치액젓",
    "까나리액젓", "날치알", "명란", "명란젓", "연어알", "임연수", "조기", "굴비", "과메기", "전어", "쥐포",
})
SHELLFISH_AND_MORE: frozenset[str] = frozenset({
    "새우", "게", "꽃게", "대게", "킹크랩", "게살", "맛살", "게맛살", "대하", "새우젓", "랍스터", "가재", "크랩",
    "오징어", "한치", "갑오징어", "문어", "낙지", "주꾸미", "쭈꾸미", "해삼", "멍게", "성게", "해파리", "미더덕",
    "조개", "조개류", "바지락", "홍합", "굴", "전복", "가리비", "꼬막", "키조개", "모시조개", "재첩", "관자", "소라",
    "골뱅이", "젓갈",
})
MEAT: frozenset[str] = frozenset({
    "돼지고기", "쇠고기", "소고기", "닭고기", "양고기", "오리고기", "오리", "곱창", "소곱창", "막창", "대창", "갈비",
    "육포", "편육", "보쌈", "다짐육",
})

GROUPS: dict[str, frozenset[str]] = {
    "해산물": frozenset({"해산물", *FISH, *SHELLFISH_AND_MORE}),
    "해물": frozenset({"해산물", *FISH, *SHELLFISH_AND_MORE}),
    "생선": frozenset(FISH),
    "갑각류": frozenset({"새우", "게", "꽃게", "대게", "킹크랩", "게살", "대하", "랍스터", "가재", "크랩"}),
    "조개": frozenset({"조개류", "조개"}),
    "견과류": frozenset({"땅콩", "호두", "잣", "아몬드", "캐슈넛", "피스타치오", "마카다미아", "헤이즐넛", "피칸", "견과"}),
    "견과": frozenset({"땅콩", "호두", "잣", "아몬드", "캐슈넛", "피스타치오", "마카다미아", "헤이즐넛", "피칸", "견과"}),
    "유제품": frozenset({"우유"}),
    "계란": frozenset({"난류", "계란"}),
    "달걀": frozenset({"난류", "달걀"}),
    "알류": frozenset({"난류"}),
    "고기": frozenset({"고기", "돼지고기", "쇠고기", "닭고기", *MEAT}),
    "육류": frozenset({"고기", "돼지고기", "쇠고기", "닭고기", *MEAT}),
    "돼지고기": frozenset({"돼지고기"}),
    "돼지": frozenset({"돼지고기"}),
    "소고기": frozenset({"쇠고기", "소고기"}),
    "쇠고기": frozenset({"쇠고기", "소고기"}),
    "닭고기": frozenset({"닭고기"}),
    "닭": frozenset({"닭고기", "닭"}),
    "밀가루": frozenset({"밀", "밀가루"}),
    "글루텐": frozenset({"밀"}),
    "대두": frozenset({"대두"}),
    "매운거": frozenset({"매운"}),
    "매운것": frozenset({"매운"}),
    "매운음식": frozenset({"매운"}),
    "튀긴거": frozenset({"튀김"}),
    "중국음식": frozenset({"중식"}),
    "중국요리": frozenset({"중식"}),
    "일본음식": frozenset({"일식"}),
    "일본요리": frozenset({"일식"}),
    "한국음식": frozenset({"한식"}),
    "서양음식": frozenset({"양식"}),
}
"""Group word → the atoms it stands for (allergen, tag, category, cuisine or ingredient words)."""

_VOCAB_WORDS = frozenset(TAGS) | frozenset(CATEGORIES) | frozenset(CUISINES)


@dataclass(frozen=True, slots=True)
class DishTerms:
    """Every word one dish answers to, precomputed once so each constraint is a set lookup."""

    names: frozenset[str]
    """Name and aliases, normalised (no spaces)."""
    declared: frozenset[str]
    """Names, tags, category, cuisine, ingredients and declared allergens: what ``prefer`` sees."""
    cautious: frozenset[str]
    """``declared`` plus every allergen the ingredients or names imply: what ``allergy``/``avoid`` see."""
    texts: str
    """Names and ingredients joined by newlines, for ``avoid``/``allergy`` words found inside longer words
    (새우 in 새우튀김); one string so that the search is a single ``in``."""


def _implied_by(word: str) -> set[str]:
    """Allergens an ingredient or dish name implies, exactly or by containing a known ingredient word.

    Words of ``NOT_WHEAT_NOODLES`` are cut out before the containment search, so 베트남쌀국수 does not
    imply 밀 through 국수 (the food table names non-wheat noodles for what they are made of).
    """
    found = set(INGREDIENT_ALLERGENS.get(word, ())) | set(EXTRA_IMPLIED.get(word, ()))
    rest = word
    for noodle in NOT_WHEAT_NOODLES:
        rest = rest.replace(noodle, "\n")
    for known, allergens in (*INGREDIENT_ALLERGENS.items(), *EXTRA_IMPLIED.items()):
        if len(known) >= MIN_SUBSTRING and known != word and known in rest:
            found.update(allergens)
    return found


def build_dish_terms(dish: Dish) -> DishTerms:
    """The words ``dish`` matches in each mode (see the module docstring)."""
    names = frozenset(normalize_key(word) for word in (dish.name, *dish.aliases) if normalize_key(word))
    ingredients = frozenset(normalize_key(word) for word in dish.ingredients)
    declared = names | ingredients | {dish.category, dish.cuisine, *dish.tags, *dish.allergens}
    implied: set[str] = set()
    for word in (*ingredients, *names):
        implied |= _implied_by(word)
    return DishTerms(
        names=names,
        declared=frozenset(declared),
        cautious=frozenset(declared | implied),
        texts="\n".join(sorted(names | ingredients)),
    )


@lru_cache(maxsize=4096)
def expand_term(term: str, mode: MatchMode) -> frozenset[str]:
    """The atoms ``term`` stands for in ``mode``: itself, its group, and for allergies its allergens.

    In ``prefer`` a word that is itself a tag, category or cuisine means exactly that (a requested
    고기 is the 고기 tag or category, not every dish with some pork in the sauce).
    """
    key = normalize_key(term)
    if not key:
        return frozenset()
    if mode == "prefer" and key in _VOCAB_WORDS:
        return frozenset({key})
    atoms = {key, *GROUPS.get(key, ())}
    if mode == "allergy":
        # Only the word said: 간장 → 대두, 밀. Not the group's members (어묵 in 해산물 is there as fish,
        # and must not turn a seafood allergy into a wheat allergy).
        atoms.update(INGREDIENT_ALLERGENS.get(key, ()))
        atoms.update(EXTRA_IMPLIED.get(key, ()))
    return frozenset(atoms)


def terms_match(terms: DishTerms, atoms: Iterable[str], mode: MatchMode) -> bool:
    """Whether a dish with ``terms`` matches any of ``atoms`` (already expanded) in ``mode``."""
    if mode == "prefer":
        return any(atom in terms.declared for atom in atoms)
    for atom in atoms:
        if atom in terms.cautious:
            return True
        if len(atom) >= MIN_SUBSTRING and atom in terms.texts:
            return True
    return False


@lru_cache(maxsize=2048)
def _terms_of(dish: Dish) -> DishTerms:
    return build_dish_terms(dish)


def dish_matches_term(dish: Dish, term: str, mode: MatchMode = "avoid") -> bool:
    """Whether ``term`` (a dish name, alias, tag, category, cuisine, ingredient, allergen or group word)
    applies to ``dish``; ``mode`` picks how widely (see the module docstring; the default is the
    cautious one used for dislikes and exclusions)."""
    return terms_match(_terms_of(dish), expand_term(term, mode), mode)
