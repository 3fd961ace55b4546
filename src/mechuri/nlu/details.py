"""The details of a message that the walk does not read: a plan's daily energy target and meals, 「다시」,
which day is meant, and whether dishes are compared or chosen between.

They are read here, once, so that the dialogue manager acts on typed fields and never looks at the raw
text again (a second parser in the conversation layer used to disagree with the first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from mechuri.nlu import lexicon as lx
from mechuri.nlu.model import FoodMention, PlanAsk, Rating, YesNo
from mechuri.plan.request import MAX_DAY_KCAL, MIN_DAY_KCAL

_ENDING = r"(?:아|어|아요|어요|나|나요|니|냐|지|지요|죠|은가|은가요|ㄴ가|가|가요|요|야)?\s*[?？]*\s*$"
_WH = re.compile(r"뭐|무엇|어느|어떤|어떻|어때|얼마|몇|왜|언제|누가|중에|vs|아니면")
_MORE = re.compile(r"(?:많|높|크|커|세)" + _ENDING)
_LESS = re.compile(r"(?:적|낮|작|덜\s*나가)" + _ENDING)
_SALTY = re.compile(r"(?<!덜\s)(?<!덜)(?:짜|짭짤해|짠가|짜요|짜니|짜나)" + _ENDING)
_LESS_TASTE = re.compile(r"(?:덜|안)\s*(?:살\s*(?:이\s*)?)?(?:짜|짠|달|느끼|기름|쪄|찌)|싱거|싱겁")
_NOT_SALTY = re.compile(r"덜\s*(?:짜|짠가|짜요|짜니|짜나)" + _ENDING + r"|싱거워" + _ENDING)
_PROPERTIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (tag, re.compile(r"(?:" + words + r")" + _ENDING)) for tag, words in (
        ("매운", r"매워|맵|매운가|매운\s*편이|매콤해"), ("달콤한", r"달아|달|단가|달콤해|달달해"),
        ("기름진", r"느끼해|기름져|느끼한가"), ("차가운", r"차가워|차가운가|차게\s*먹"),
        ("따뜻한", r"따뜻해|뜨거워|따뜻한가|뜨끈해"), ("바삭한", r"바삭해|바삭한가"), ("담백한", r"담백해|담백한가"),
        ("시원한", r"시원해|시원한가"), ("국물", r"국물\s*(?:있|이\s*있)(?:어|나|니|냐|어요|나요|지)?"),
    ))
"""「떡볶이 매워?」: the adjective of a yes/no question about a dish → the table tag that answers it."""
_DEGREE = r"(?:덜|더|안|제일|가장|많이|훨씬|좀\s*더)\s*"
_TASTE_NUTRIENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (nutrient, re.compile(_DEGREE + r"(?:" + words + r")|(?:" + asked + r")" + _ENDING)) for nutrient, words, asked in (
        ("sodium_mg", r"짜|짠|짭짤|싱거|싱겁", r"짜|짭짤해|짠가|짜요|짜니|짜나|싱거워|싱겁"),
        ("sugar_g", r"달아|달지|달까|달달|달콤|단\s*(?:거|것|편|음식)", r"달아|달아요|단가|달달해|달콤해|달지"),
        ("fat_g", r"느끼|기름지|기름져|기름진", r"느끼해|기름져|느끼한가|기름진가"),
        ("kcal", r"살\s*(?:이\s*)?(?:덜\s*|더\s*|안\s*|많이\s*|잘\s*)?(?:쪄|찌|찐)", r"살\s*(?:이\s*)?(?:덜\s*|더\s*|안\s*|많이\s*|잘\s*)?(?:쪄|찌|찔까|찐다)"),
    ))
"""「떡볶이랑 순대 중에 뭐가 덜 짜?」, 「케이크가 마카롱보다 달아?」, 「삼겹살이랑 족발 중에 뭐가 살 덜 쪄?」: how a
dish tastes (or what it does to one's weight) asked *between dishes* is a question about a nutrient — sodium,
sugar, fat, energy — not a request for a list. The adjective must be a predicate (after 덜/더/안 …, or ending
the question), so 짜장면 and 단백질 are not read as 짜 or 단."""


def plan_ask(text: str) -> PlanAsk:
    """The plan details of ``text`` (empty when it says none)."""
    only: tuple[str, ...] = ()
    match = lx.MEALS_ONLY.search(text)
    if match:
        only = tuple(dict.fromkeys(lx.MEAL_WORD.findall(match.group(1))))
    return PlanAsk(day_kcal=day_kcal(text), only_meals=only,
                   meals_out=tuple(dict.fromkeys(lx.MEAL_OUT.findall(text))),
                   again=bool(lx.REPLAN.search(text)), tomorrow=bool(lx.TOMORROW.search(text)))


def day_kcal(text: str) -> float | None:
    """A daily energy target said in the message (「1800kcal로」, 「하루 1,500칼로리」), when plausible for a day."""
    match = lx.DAY_KCAL.search(text)
    if not match:
        return None
    kcal = float(match.group(1).replace(",", ""))
    return kcal if MIN_DAY_KCAL <= kcal <= MAX_DAY_KCAL else None


def day_offset(text: str) -> int:
    """The day the message is about, counted from today: 「어제」 → -1, 「그저께」 → -2, else 0."""
    return next((offset for pattern, offset in lx.DAY_OFFSET if pattern.search(text)), 0)


def compares(text: str) -> bool:
    """Whether a nutrition question asks for the differences between the dishes it names."""
    return bool(lx.NUTRIENT_COMPARISON.search(text))


def yes_no(text: str, foods: Sequence[FoodMention], nutrients: Sequence[str]) -> YesNo | None:
    """A question about the dishes named that wants 네 or 아니요 first: which dish has more or less of a
    nutrient (「라면이 김밥보다 나트륨 더 많아?」), whether one dish's value is high or low for a meal
    (「김치찌개 칼로리 높아?」, 「라면 짜?」), or whether it is what the table tags it (「떡볶이 매워?」). None for
    questions that ask which or how much (「뭐가 더 …」, 「얼마야?」)."""
    dishes = [m for m in foods if m.dish]
    if not dishes or _WH.search(text):
        return None
    more, less = bool(_MORE.search(text)), bool(_LESS.search(text))
    salty, bland = bool(_SALTY.search(text)), bool(_NOT_SALTY.search(text))
    nutrient = nutrients[0] if nutrients else ("sodium_mg" if salty or bland else None)
    tasted = taste_nutrient(text)
    if bland:
        more, less = False, True
    elif salty and (not nutrients or nutrient == "sodium_mg") and not (more or less):
        more, less = True, False
    elif tasted is not None and tasted == nutrient and not (more or less):
        # 「케이크가 마카롱보다 달아?」 asks for more sugar; 「… 살 덜 쪄?」 for less energy
        less = bool(_LESS_TASTE.search(text))
        more = not less
    if len(dishes) >= 2 and (more or less) and "보다" in text:
        other = next((m for m in dishes if re.search(re.escape(m.text) + r"\s*(?:이|가)?\s*보다", text)), None)
        subject = next((m for m in dishes if m is not other), None)
        if other is None or subject is None or other.dish == subject.dish:
            return None
        return YesNo("more" if more else "less", subject.dish or "", nutrient or "kcal", other=other.dish)
    if len(dishes) != 1:
        return None
    dish = dishes[0].dish or ""
    if nutrient is not None and (more or less):
        return YesNo("high" if more else "low", dish, nutrient)
    if nutrient is None:
        tag = next((tag for tag, pattern in _PROPERTIES if pattern.search(text)), None)
        if tag is not None:
            return YesNo("is", dish, tag=tag)
    return None


_ASKS_LESS = re.compile(r"적|낮|작|덜|싱거|싱겁|가벼|가볍|안\s*(?:짜|짠|달|단|느끼|기름|살)")
_ASKS_MORE = re.compile(r"많|높|크|큰|(?:더|제일|가장|많이|훨씬)\s*(?:짜|짠|짭짤|달|단\s*(?:거|것)|느끼|기름|살)"
                        r"|살\s*(?:이\s*)?(?:더\s*|많이\s*|잘\s*)?(?:쪄|찌|찐)")


def direction(text: str) -> Literal["more", "less"] | None:
    """Which way a comparison asks: 「뭐가 덜 짜?」, 「칼로리 낮은 건?」 → less; 「뭐가 더 달아?」, 「단백질 많은 거」
    → more; None when it says neither (「둘 비교해줘」)."""
    if _ASKS_LESS.search(text):
        return "less"
    return "more" if _ASKS_MORE.search(text) else None


_WHOLE_LIST = re.compile(r"(?:이|그|저|셋|세\s*개|세\s*가지|추천(?:해\s*준|한|해준|하신)\s*(?:거|것|메뉴)|방금\s*(?:거|꺼|것)"
                         r"|아까\s*(?:거|꺼|것)|위에\s*(?:거|꺼|것)|목록|리스트|메뉴들)\s*(?:들\s*)?중(?:에|에서)?\s")
_SUPERLATIVE = re.compile(r"제일|젤|가장|최고로|젤루")
_LIGHT = re.compile(r"가벼|가볍")


def whole_list(text: str) -> bool:
    """「이 중에 뭐가 제일 덜 짜?」, 「아까 추천한 거 중에 젤 단백질 많은 거」, 「셋 중에 칼로리 제일 낮은 거」: a
    question across the whole last list (a superlative said over it), not about one place in it."""
    return bool(_WHOLE_LIST.search(text + " ") and (_SUPERLATIVE.search(text) or compares(text)))


def said_nutrient(text: str) -> str | None:
    """A nutrient named anywhere in ``text`` (even where the walk read 「단백질 많은」 as the 고단백 wish), a
    taste that stands for one (「덜 짜」), or energy for 「가벼운」 — for a question across a list."""
    key = re.sub(r"\s+", "", text)
    for nutrient, words in lx.NUTRIENT_WORDS.items():
        if any(len(word) >= 2 and word in key for word in words):
            return nutrient
    return taste_nutrient(text) or ("kcal" if _LIGHT.search(text) else None)


def taste_nutrient(text: str) -> str | None:
    """The nutrient a taste comparison asks about (see ``_TASTE_NUTRIENTS``), or None."""
    return next((nutrient for nutrient, pattern in _TASTE_NUTRIENTS if pattern.search(text)), None)


_ASKS_RECIPE = re.compile(r"레시피|만드는|만들|요리법|조리법|끓이는|끓이|볶는|굽는|담그는|해\s*먹는|how\s*to", re.I)
_ASKS_STORAGE = re.compile(r"보관|냉동|냉장|데우")
_ASKS_STORY = re.compile(r"유래|역사|어원|기원|문화")


def cooking_kinds(text: str) -> tuple[str, ...]:
    """The kinds of Q&A entry a cooking question about a listed dish wants: 「첫 번째 거 만드는 법」 is a recipe,
    never that dish's history; empty when the message does not say (any entry about the dish will do)."""
    if _ASKS_RECIPE.search(text):
        return ("recipe", "ingredients")
    if _ASKS_STORAGE.search(text):
        return ("storage",)
    return ("culture",) if _ASKS_STORY.search(text) else ()


_PERMISSION = re.compile(r"(?:먹어도|마셔도|먹으면|마시면)\s*(?:돼|되|될까|괜찮|안\s*돼|안\s*되|문제)")


def asks_permission(text: str) -> bool:
    """「잡곡밥이랑 된장찌개 먹어도 되나요?」, 「라면 먹으면 안 돼?」: whether the dishes named fit the person — a
    question about them (their numbers and what they break), not a request for a new list."""
    return bool(_PERMISSION.search(text))


_MEAL_DROPPED = re.compile(r"(아침|점심|저녁)\s*(?:은|는|도|엔|에는)?\s*[^.?!]{0,16}?(?:빼고|빼줘|빼\s*줘|빼|제외|없이)")


def meals_dropped(text: str) -> tuple[str, ...]:
    """「점심은 회사에서 먹어서 빼고」 right after a plan: the meals to leave out of it."""
    return tuple(dict.fromkeys(m.group(1) for m in _MEAL_DROPPED.finditer(text)))


def chooses(text: str) -> bool:
    """Whether the message asks to choose among the dishes it names (「A랑 B 중에 뭐가 나아?」)."""
    return bool(lx.CHOICE.search(text))


def resets_taste(text: str) -> bool:
    """「내 입맛 초기화」: the learned taste is to be forgotten (what was said — allergies, dislikes — stays)."""
    return bool(lx.TASTE_RESET.search(text))


def rating(text: str, *, has_ref: bool, rejected: bool, reference: int | None, settled: bool) -> Rating | None:
    """「2번 별로야」 (down) or 「첫 번째 거 좋다」 (up): a listed dish rated, not chosen and not asked about."""
    if not has_ref or settled or "?" in text:
        return None
    if rejected:
        return Rating("down", reference)
    return Rating("up", reference) if lx.RATE_UP.search(text) else None
