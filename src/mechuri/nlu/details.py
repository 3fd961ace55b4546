"""The details of a message that the walk does not read: a plan's daily energy target and meals, 「다시」,
which day is meant, and whether dishes are compared or chosen between.

They are read here, once, so that the dialogue manager acts on typed fields and never looks at the raw
text again (a second parser in the conversation layer used to disagree with the first).
"""

from __future__ import annotations

from mechuri.nlu import lexicon as lx
from mechuri.nlu.model import PlanAsk
from mechuri.plan.request import MAX_DAY_KCAL, MIN_DAY_KCAL


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


def chooses(text: str) -> bool:
    """Whether the message asks to choose among the dishes it names (「A랑 B 중에 뭐가 나아?」)."""
    return bool(lx.CHOICE.search(text))


def resets_taste(text: str) -> bool:
    """「내 입맛 초기화」: the learned taste is to be forgotten (what was said — allergies, dislikes — stays)."""
    return bool(lx.TASTE_RESET.search(text))
