"""When the learned model's reading replaces the rules' (rules first, the model when the rules are unsure).

Modes (the ``nlu_learned`` setting): ``unsure`` asks the model only where the rules fell back;
``disagree`` also lets it overrule them; ``auto`` (the default) is the mode and threshold chosen at training
by cross-validation (``model.json``; see ``train.py``). The rules are *unsure* when they fell back: their reading is small talk, or off-topic without any
off-topic cue (no refusal). Then the model's move is taken when its probability is at least
``FALLBACK_P``. Otherwise the rules stand — always where their reading is exact (``exact``) — unless the model disagrees with a
probability of at least the
threshold chosen at training for the move the rules read (``model.json``, chosen by cross-validation on the
training set: lower where the rules' reading is often wrong, higher where it is exact). The model never
undoes a refusal of the rules, and adds one only at ``REFUSE_P`` or more. Whatever the move, the exact
things — dish names, numbers, allergens, list references, meals — still come from the rules.
"""

from __future__ import annotations

import json
from functools import lru_cache

from mechuri.nlu.learned.classifier import MODEL_PATH, Guess
from mechuri.nlu.learned.moves import collapse
from mechuri.nlu.model import Understanding

FALLBACK_P = 0.5
REFUSE_P = 0.9
DEFAULT_THRESHOLD = 0.8
FITS: dict[str, tuple[str, ...]] = {
    "recommend": ("recommend",), "another": ("another",), "plan": ("plan",), "choose": ("followup", "meal_log"),
    "compare": ("followup", "nutrition"), "nutrition": ("nutrition", "followup"), "recipe": ("recipe", "followup"),
    "log": ("meal_log",), "today": ("today",), "ask_memory": ("memory",), "forget": ("preference", "allergy", "diet"),
    "state": ("preference", "allergy", "diet"), "refuse": ("unsafe",), "off_topic": ("out_of_domain",),
    "greeting": ("greeting",), "thanks": ("thanks",), "smalltalk": ("smalltalk",),
}
"""The primary intents that go with each move."""


@lru_cache(maxsize=1)
def _meta() -> dict:
    try:
        return json.loads(MODEL_PATH.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def threshold(rules_move: str | None = None) -> float:
    """The disagreement threshold saved with the model for the move the rules read (the threshold chosen
    for that move at training, else the overall one; ``DEFAULT_THRESHOLD`` without a saved one)."""
    meta = _meta()
    try:
        by_move = meta.get("thresholds_by_rules_move") or {}
        return float(by_move[rules_move]) if rules_move in by_move else float(meta["threshold"])
    except (KeyError, TypeError, ValueError):
        return DEFAULT_THRESHOLD


def resolve(mode: str) -> str:
    """``auto`` → the mode chosen at training (``unsure`` when the model's file does not say)."""
    if mode != "auto":
        return mode
    chosen = _meta().get("mode")
    return chosen if chosen in MODES[1:] else "unsure"


MODES = ("auto", "off", "unsure", "disagree")
"""``auto``: the mode chosen at training; ``off``: rules only; ``unsure``: the model only where the rules
fell back; ``disagree``: also where it disagrees with the rules at the training threshold or more."""


def exact(u: Understanding, rules_move: str) -> bool:
    """Whether the rules' reading rests on one of their exact patterns, which the model does not overrule:
    a dish settled on (「탕수육 먹을게 고마워」), a listed dish rated (「첫 번째 거 맛있겠다」: no choice), a taste reset, a memory question with its kinds, something to
    forget, a look at the day's log, an off-topic request with its cue, a meal left out of a plan, a 「먹어도 돼?」
    question, a nutrient compared across listed dishes. The model has no slots; where the
    rules found one of these, they also found what it is about."""
    return (u.pick is not None or u.rating is not None or u.reset_taste or bool(u.recall) or bool(u.forget)
            or rules_move == "today" or u.refusal == "off_topic"
            # a meal left out of the plan just made, 「먹어도 돼?」 about named dishes, several listed dishes compared
            or (rules_move == "plan" and u.plan.again and bool(u.plan.meals_out)) or u.permission
            or (u.compare and len(u.references) >= 2 and bool(u.nutrients)))


REQUESTS = frozenset({"recommend", "another", "plan"})
"""Requests for dishes: a memory question over one of them (「내가 좋아하는 거 추천해줘」) is one the rules
already weighed and set aside, so the model does not add it."""


def combined_move(rules_move: str, u: Understanding, guess: Guess, at: float | None = None,
                  mode: str = "disagree") -> tuple[str, str | None]:
    """The move to act on and, when it is the model's, the primary intent that goes with it (else None)."""
    move = collapse(guess.move)
    if rules_move == "refuse" or move == rules_move or mode == "off" or exact(u, rules_move) or (
            move == "ask_memory" and rules_move in REQUESTS) or (
            move == "log" and not u.foods and not u.custom_meals and not u.unlisted_eaten):
        return rules_move, None  # (a log with nothing named to log — 「저녁」 alone — is no log)
    fell_back = rules_move == "smalltalk" or (rules_move == "off_topic" and u.refusal is None)
    if not fell_back and mode == "unsure":
        return rules_move, None
    at = threshold(rules_move) if at is None else at
    need = min(FALLBACK_P, at) if fell_back else at
    if move == "refuse":
        need = max(need, REFUSE_P)
    if guess.move_p < need:
        return rules_move, None
    intent = max(FITS[move], key=lambda i: guess.intents.get(i, 0.0))
    return move, intent
