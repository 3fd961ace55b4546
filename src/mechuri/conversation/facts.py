"""Facts derived from a Turn that the grounded reply and the LLM prompt both state: the words for the
constraints a dish breaks, the differences between compared dishes, and why the better one wins.

One module for both, so the prompt's facts and the grounded reply cannot drift apart (the guardrail
checks a model's reply against the prompt's facts, and the grounded reply is its fallback).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from mechuri import units
from mechuri.conversation import strings as S
from mechuri.conversation.turn import DishFacts, NutritionAnswer, Recommendation, YesNoAnswer
from mechuri.knowledge.korean import attach, particle
from mechuri.knowledge.vocab import NUTRIENT_LABELS, NUTRIENT_UNITS

CONSTRAINT_KO = {"allergy": "알레르기", "excluded": "빼 달라고 하신 재료나 싫어하시는 음식", "kcal_max": "열량 상한",
                 "kcal_min": "열량 하한", "meal": "끼니", "avoid": "방금 보여드린 메뉴"}


def constraint_words(broken: list[str]) -> str:
    """The hard constraints a dish breaks, in Korean: 「알레르기, 비건 식단」 (empty when none is named)."""
    return ", ".join(CONSTRAINT_KO.get(c, c.replace("diet:", "") + " 식단") for c in broken)


class Gap(NamedTuple):
    """One difference between compared dishes: 「열량은 된장찌개가 86kcal 적어요」."""

    label: str
    name: str
    amount: float
    unit: str
    more: bool
    """True where having more is the point (protein, fibre): the dish named has more, not less."""
    same: int = 0
    """How many dishes share one value (then ``name`` is empty and ``amount`` is that value)."""
    among: int = 2
    value: float = 0.0
    """Over more than two dishes (「이 중에 뭐가 제일 덜 짜?」) the dish named is the least or the most of all,
    said with its own ``value`` (「나트륨은 설렁탕이 154mg으로 가장 적어요」): a gap to which one would be vague."""

    def sentence(self) -> str:
        if self.same:
            amount = f"{S.number(self.amount)}{self.unit}"
            return S.SAME_LINE.format(label=self.label, both=self._both(), amount=amount,
                                      copula=particle(amount, "이에요/예요"))
        if self.among > 2:
            value = f"{S.number(self.value)}{self.unit}"
            return S.TOP_LINE.format(label=self.label, name=self.name, amount=value, by=particle(value, "으로/로"),
                                     word="많아요" if self.more else "적어요")
        return S.GAP_LINE.format(label=self.label, name=self.name, amount=S.number(self.amount), unit=self.unit,
                                 word="많아요" if self.more else "적어요")

    def fact(self) -> str:
        if self.same:
            amount = f"{S.number(self.amount)}{self.unit}"
            return f"{attach(self.label, '은/는')} {self._both()} {attach(amount, '으로/로')} 같음"
        if self.among > 2:
            value = f"{S.number(self.value)}{self.unit}"
            return (f"{attach(self.label, '은/는')} {self.name}이(가) {attach(value, '으로/로')} 가장 "
                    f"{'많음' if self.more else '적음'}")
        return (f"{attach(self.label, '은/는')} {self.name}이(가) {S.number(self.amount)}{self.unit} "
                f"{'많음' if self.more else '적음'}")

    def _both(self) -> str:
        return "둘 다" if self.same == 2 else "모두"


MORE_IS_BETTER = frozenset({"protein_g", "fiber_g"})
GAP_NUTRIENTS = ("kcal", "sodium_mg")
"""What a 「뭐가 나아?」 comparison states when no nutrient was named: energy and sodium."""


def comparison_gaps(items: Sequence[DishFacts], fields: Sequence[str] = GAP_NUTRIENTS,
                    direction: str | None = None) -> list[Gap]:
    """How the compared dishes differ in each of ``fields``: the lighter (or, for protein and fibre, the
    richer) dish and by how much — or, when the question asked a ``direction`` (「뭐가 더 달아?」), the dish
    that answers it. The grounded reply says these, so the LLM prompt lists them as facts too."""
    gaps = []
    if len(items) >= 2:
        for field in fields:
            low = min(items, key=lambda i: (getattr(i, field), i.name))
            high = max(items, key=lambda i: (getattr(i, field), i.name))
            more = direction == "more" if direction else field in MORE_IS_BETTER
            label, unit = NUTRIENT_LABELS[field], NUTRIENT_UNITS[field]
            if getattr(high, field) > getattr(low, field):
                named = high if more else low
                gaps.append(Gap(label, named.name, getattr(high, field) - getattr(low, field), unit, more,
                                among=len(items), value=getattr(named, field)))
            else:  # all the same: say so rather than leave the question unanswered
                gaps.append(Gap(label, "", getattr(low, field), unit, more, len(items)))
    return gaps


def nutrition_gaps(answer: NutritionAnswer) -> list[Gap]:
    """The differences a nutrition question about several dishes states — the nutrients asked, else energy
    and sodium — when it asked which has more or less (none otherwise). Reply and LLM facts both use it."""
    if not answer.compare:
        return []
    return comparison_gaps(answer.dishes, answer.nutrients or GAP_NUTRIENTS,
                           answer.direction if answer.nutrients else None)


def comparison_reason(item: Recommendation) -> str:
    """Why the first of the compared dishes is the better one: its first reason that is not 「찾으시던 …」
    (every compared dish was asked for). The LLM prompt states the same reason as a fact."""
    return next((r for r in item.reasons if not r.startswith(("찾으시던", "요청하신"))), "")


def _amount(field: str, value: float) -> str:
    """A value as the nutrition sentences state it: :func:`mechuri.units.amount`, as the cards beside them."""
    return units.amount(value, NUTRIENT_UNITS[field])


def verdict_sentence(verdict: YesNoAnswer) -> str:
    """「네, 라면이 김밥보다 나트륨이 800mg 많아요.」: the 네/아니요 answer first, then the numbers that decide
    it. The grounded reply starts with it and the LLM prompt states it as the answer to give."""
    answer = S.YES if verdict.yes else S.NO
    if verdict.claim == "is":
        term = S.TAG_TERMS.get(verdict.tag or "", verdict.tag or "")
        template = S.ANSWER_TAG_YES if verdict.yes else S.ANSWER_TAG_NO
        return template.format(answer=answer, dish=attach(verdict.dish, "은/는"), term=term)
    field = verdict.nutrient or "kcal"
    label = NUTRIENT_LABELS[field]
    value = verdict.value or 0.0
    if verdict.claim in ("more", "less"):
        other = verdict.other_value or 0.0
        if value == other:
            amount = _amount(field, value)
            return S.ANSWER_SAME.format(answer=answer, dish=attach(verdict.dish, "과/와"), other=verdict.other,
                                        label=attach(label, "은/는"), amount=amount,
                                        copula=particle(amount, "으로/로"))
        return S.ANSWER_MORE.format(answer=answer, dish=attach(verdict.dish, "이/가"), other=verdict.other,
                                    label=attach(label, "이/가"), amount=_amount(field, verdict.difference or 0.0),
                                    word="많아요" if value > other else "적어요")
    amount = _amount(field, value)
    high = value > (verdict.reference or 0.0)
    words = ("높아요", "낮아요") if field == "kcal" else ("많아요", "적어요")
    return S.ANSWER_SHARE.format(answer=answer, dish=attach(verdict.dish, "은/는"), label=attach(label, "이/가"),
                                 amount=amount, by=particle(amount, "으로/로"), meal=verdict.meal or "한 끼",
                                 reference=_amount(field, verdict.reference or 0.0),
                                 word=words[0] if high else words[1])


def verdict_gaps(answer: NutritionAnswer) -> list[Gap]:
    """The differences stated after a verdict: those of ``nutrition_gaps`` the verdict did not already say."""
    gaps = nutrition_gaps(answer)
    verdict = answer.verdict
    if verdict is None or verdict.claim not in ("more", "less"):
        return gaps
    said = NUTRIENT_LABELS[verdict.nutrient or "kcal"]
    return [gap for gap in gaps if gap.label != said]
