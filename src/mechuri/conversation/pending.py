"""The answer to 「어떤 걸 드셨어요?」: a meal said with a kind of dish (「저녁에 치킨 반 마리 먹었어」) is not
logged — the table has 후라이드치킨, 양념치킨, 간장치킨 … — and the reply asks which. People answer the
question, not the whole sentence again: 「양념치킨이요」, 「두 번째」, 「양념」. That short answer must log the meal
that was said (저녁, 반 마리, 어제 …), not show the dish's nutrition card.

The question's details travel in the dialogue context (``DialogueContext.pending_log``) for one answer only;
the next message is read as the answer when it is short, asks nothing, and names exactly one dish — by name,
by its place in the offered list, or by a word only one offered dish contains.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from mechuri.nlu import Understanding
from mechuri.nlu.model import FoodMention, MealStatement

MAX_ANSWER_CHARS = 25
"""Longer messages say something of their own; a short one answers the question."""
_ENDINGS = re.compile(r"(?:이었어요|였어요|이었어|였어|이에요|예요|이요|요|임|이야|야|인데|먹었어요|먹었어|먹음)$")
_NOT_AN_ANSWER = frozenset({"plan", "memory", "preference", "allergy", "diet", "unsafe", "today", "recipe"})


def pending_log(mention: FoodMention, meal: str, day_offset: int) -> dict[str, Any]:
    """What the next message needs to log the meal once it says which dish (stored in the context)."""
    return {"query": mention.text, "options": list(mention.suggestions), "meal": meal,
            "servings": mention.servings, "unit": mention.unit, "day_offset": day_offset}


def answer_pending(u: Understanding, pending: dict[str, Any]) -> Understanding | None:
    """``u`` read as the answer to the pending question — a meal log of the dish it names, with the meal,
    servings, unit and day said before — or None when the message is something else."""
    text = u.text.strip()
    if (not pending or not text or len(text) > MAX_ANSWER_CHARS or "?" in text or u.meals or u.nutrients
            or u.preferences or set(u.intents) & _NOT_AN_ANSWER):
        return None
    options: list[str] = list(pending.get("options") or [])
    dish = _named(u, options)
    if dish is None:
        return None
    meal = MealStatement(dish, pending.get("meal"), float(pending.get("servings") or 1.0),
                         int(pending.get("day_offset") or 0), str(pending.get("unit") or ""))
    return replace(u, intents=["meal_log"], meals=[meal], reference=None, references=(), pick=None)


def _named(u: Understanding, options: list[str]) -> str | None:
    """The one dish the answer names: a dish of the table, a place in the offered list, or a word that only
    one offered dish contains (「양념」 → 양념치킨)."""
    dishes = list(dict.fromkeys(m.dish for m in u.foods if m.dish))
    if len(dishes) > 1:
        return None
    if dishes and dishes[0] in options:
        return dishes[0]
    said = [option for option in options for m in u.foods if len(m.text) >= 2 and m.text in option]
    if len(said) == 1:  # 「불고기요」 after 콤비네이션피자, 페퍼로니피자, 불고기피자: the 불고기피자
        return said[0]
    if dishes:
        return dishes[0]
    reference = u.reference if u.reference is not None else (u.pick.reference if u.pick is not None else None)
    if reference is not None and -len(options) <= reference < len(options):
        return options[reference]
    word = _ENDINGS.sub("", re.sub(r"[\s.!~ㅎㅋ]+", "", u.text))
    matching = [option for option in options if len(word) >= 2 and word in option]
    return matching[0] if len(matching) == 1 else None
