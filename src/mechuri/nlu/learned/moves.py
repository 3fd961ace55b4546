"""The moves a message can ask of the bot: finer than the primary intent where the conversation layer
acts differently (choose a listed dish, compare, ask what is remembered, forget, refuse …)."""

from __future__ import annotations

from mechuri.nlu.model import Understanding

MOVES: tuple[str, ...] = (
    "recommend", "another", "plan", "choose", "compare", "nutrition", "recipe", "log", "today",
    "ask_memory", "forget", "state", "refuse", "off_topic", "greeting", "thanks", "smalltalk",
)
"""The moves reported (tests/nlu/data/heldout.jsonl labels them)."""
REFUSE_KINDS: tuple[str, ...] = ("self_harm", "harm", "prompt")
"""The model learns ``refuse_<kind>`` so a refusal it adds knows which answer it gets (109 for self-harm)."""
FOOD_MOVES = frozenset({"recommend", "another", "plan", "choose", "compare", "nutrition", "recipe", "log",
                        "today"})
"""Moves answered with food (a list, a card, a recipe, a log): never for an unsafe message."""


def collapse(move: str) -> str:
    """``refuse_harm`` → ``refuse``: the reported move of a fine-grained label."""
    return "refuse" if move.startswith("refuse") else move


def move_of(u: Understanding) -> str:
    """The move the rules' Understanding asks of the conversation layer (what moves.py would do)."""
    intents = u.intents or ["out_of_domain"]
    first = intents[0]
    if first == "unsafe" or u.refusal in REFUSE_KINDS:
        return "refuse"
    if first == "out_of_domain":
        return "off_topic"
    if first == "memory" or u.recall:
        return "ask_memory"
    if u.forget or any(p.polarity == "remove" for p in u.preferences):
        return "forget"
    if u.pick is not None:
        return "choose"
    if (u.compare or u.choice) and (len(u.references) >= 2 or len({f.dish for f in u.foods if f.dish}) >= 2
                                    or first == "followup"):
        return "compare"
    table = {"recommend": "recommend", "another": "another", "plan": "plan", "today": "today",
             "meal_log": "log", "recipe": "recipe", "nutrition": "nutrition", "preference": "state",
             "allergy": "state", "diet": "state", "greeting": "greeting", "thanks": "thanks",
             "smalltalk": "smalltalk"}
    if first == "followup":
        rest = [i for i in intents[1:] if i in ("recipe", "nutrition", "meal_log")]
        return {"recipe": "recipe", "meal_log": "choose"}.get(rest[0], "nutrition") if rest else "nutrition"
    return table.get(first, "smalltalk")
