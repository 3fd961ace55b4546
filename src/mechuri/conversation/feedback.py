"""What a turn teaches the taste model: the dish chosen from a list (and the ones passed over), meals eaten,
and a list skipped with 「다른 거」.

Nothing here asks the user anything: these are the signals a person gives by using the product. They are
stored as taste events (``memory.taste``) with the message that gave them; the recommender learns from
them on the next request.
"""

from __future__ import annotations

from mechuri.conversation.actions import TurnServices
from mechuri.conversation.context import DialogueContext
from mechuri.conversation.turn import RatedDish, Turn
from mechuri.memory import record_feedback, reset_taste
from mechuri.nlu import Understanding


def skips_last_list(u: Understanding, context: DialogueContext) -> bool:
    """「다른 거」 right after a recommendation list (not after a plan: 「다른 걸로」 then asks a new plan)."""
    return "another" in u.intents and bool(context.recommended) and not context.plan_request


def note_skipped_list(_u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """Every dish of the list the user passed over is a mild negative (before the new list replaces it)."""
    count = record_feedback(sv.session, sv.user, sv.context.recommended, "skipped", sv.message)
    turn.meta["taste_feedback"] = {**turn.meta.get("taste_feedback", {}), "skipped": count}


def learn_from_turn(_u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """A dish chosen from the list is a strong positive and the others shown with it mild negatives; any
    other dish logged as eaten is a positive."""
    noted: dict[str, int] = dict(turn.meta.get("taste_feedback", {}))
    chosen = turn.choice.dish if turn.choice is not None else None
    if chosen:
        noted["chose"] = record_feedback(sv.session, sv.user, [chosen], "chose", sv.message)
        passed = [name for name in turn.choice.shown if name != chosen] if turn.choice else []
        if passed:
            noted["passed"] = record_feedback(sv.session, sv.user, passed, "passed", sv.message)
    eaten = [meal.name for meal in turn.meal_logged if meal.name != chosen]
    if eaten:
        noted["ate"] = record_feedback(sv.session, sv.user, eaten, "ate", sv.message)
    if noted:
        turn.meta["taste_feedback"] = noted


def teaches(u: Understanding, _context: DialogueContext) -> bool:
    """A turn that may log a meal (a dish settled on from the list, or a meal said to be eaten) may teach."""
    return u.pick is not None or "meal_log" in u.intents


def forget_taste(_u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """「내 입맛 초기화」: delete every taste event of the user (stated preferences are not touched)."""
    turn.taste_reset = reset_taste(sv.session, sv.user)


def rates_listed_dish(u: Understanding, context: DialogueContext) -> bool:
    """「2번 별로야」, 「첫 번째 거 좋다」 right after a list."""
    return u.rating is not None and bool(context.recommended)


def rate_listed_dish(u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """A listed dish rated up is a strong positive (the dish itself is not logged: nobody said they ate
    it); rated down, a strong negative (the list is then skipped like 「다른 거」)."""
    assert u.rating is not None
    shown = sv.context.recommended
    if u.rating.reference is not None:
        index = u.rating.reference
        name = shown[index] if -len(shown) <= index < len(shown) else None
    else:
        name = sv.context.last_dish if sv.context.last_dish in shown else (shown[0] if len(shown) == 1 else None)
    if name is None:
        return
    record_feedback(sv.session, sv.user, [name], "liked" if u.rating.value == "up" else "disliked", sv.message)
    turn.rated = RatedDish(dish=name, value=u.rating.value, rank=shown.index(name) + 1)
