"""The moves of a turn, in the order they run: each is (when it applies, what it does).

A message can do several things at once (「새우 알레르기 있어, 점심 추천해줘」 remembers the allergy, then
recommends under it), so every move whose condition holds runs, in this order: memory first (what the
user just told us binds the answer; what it holds, when asked), then answers about what exists
(nutrition, recipes, the day), then at most one list of dishes (a plan or a recommendation), and last
what the turn teaches the taste model (a dish chosen or eaten, a list skipped). A refusal
comes before all of them and ends the turn: a message that gets one is answered with nothing else.
A new move is one entry here and one function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mechuri.conversation.actions import (
    TurnServices,
    answer_cooking_question,
    answer_nutrition,
    log_meals,
    recall_preferences,
    recommend_menus,
    refuse,
    remember_preferences,
)
from mechuri.conversation.context import DialogueContext
from mechuri.conversation.feedback import (
    forget_taste,
    learn_from_turn,
    note_skipped_list,
    rate_listed_dish,
    rates_listed_dish,
    skips_last_list,
    teaches,
)
from mechuri.conversation.intake import report_intake
from mechuri.conversation.planning import answer_plan, wants_replan
from mechuri.conversation.turn import Turn
from mechuri.nlu import DISH_REQUESTS, Understanding

STATEMENTS = frozenset({"preference", "allergy", "diet"})


@dataclass(frozen=True)
class Move:
    """One thing a turn may do. ``applies`` reads only the understood message and the dialogue context
    (never the raw text); ``act`` fills its part of the Turn and may write memory."""

    name: str
    applies: Callable[[Understanding, DialogueContext], bool]
    act: Callable[[Understanding, Turn, TurnServices], None]
    final: bool = False
    """No move after this one runs (a refusal answers nothing else of the message)."""


def _plans(u: Understanding, context: DialogueContext) -> bool:
    return "plan" in u.intents or wants_replan(u, context)


def _asks_nutrition(u: Understanding, _context: DialogueContext) -> bool:
    """「김치찌개 칼로리」, or 「그거 나트륨은?」 about the last answer (unless the message asks for dishes, asks
    how to cook it, or settles on it: 「첫 번째 걸로 할게」 logs the dish, with no nutrition card)."""
    return "nutrition" in u.intents or ("followup" in u.intents and not DISH_REQUESTS & set(u.intents)
                                        and "recipe" not in u.intents and u.pick is None
                                        and u.rating is None)


MOVES: tuple[Move, ...] = (
    Move("refuse", lambda u, _c: u.refusal is not None, refuse, final=True),
    Move("remember", lambda u, _c: bool(STATEMENTS & set(u.intents) or u.preferences or u.forget),
         remember_preferences),
    Move("recall", lambda u, _c: "memory" in u.intents, recall_preferences),
    Move("reset_taste", lambda u, _c: u.reset_taste, forget_taste),
    Move("rate", rates_listed_dish, rate_listed_dish),
    Move("log", lambda u, _c: "meal_log" in u.intents or u.pick is not None, log_meals),
    Move("nutrition", _asks_nutrition, answer_nutrition),
    Move("recipe", lambda u, _c: "recipe" in u.intents, answer_cooking_question),
    Move("today", lambda u, _c: "today" in u.intents, report_intake),
    Move("plan", _plans, answer_plan),
    Move("skipped", skips_last_list, note_skipped_list),
    Move("recommend", lambda u, c: bool(DISH_REQUESTS & set(u.intents)) and not _plans(u, c), recommend_menus),
    Move("learn", teaches, learn_from_turn),
)


def play(u: Understanding, turn: Turn, services: TurnServices, moves: tuple[Move, ...] = MOVES) -> list[str]:
    """Run every move that applies, in order; the names of those that ran (kept in the turn's trace)."""
    played: list[str] = []
    for move in moves:
        if move.applies(u, services.context):
            move.act(u, turn, services)
            played.append(move.name)
            if move.final:
                break
    return played
