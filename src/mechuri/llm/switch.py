"""What the grounded reply adds once a streamed model reply has to stop midway.

The LLM writer shows a model's reply sentence by sentence, each checked first. When a sentence fails (or
the model errs, stalls, or finishes without a fact it had to give), what was shown stays — every one of
those sentences passed — and the rest of the answer comes from the grounded reply. Not the whole grounded
reply: its opening and the facts the shown sentences already gave would be said twice. So the grounded
reply is cut into sentences (the rule the stream uses, ``sentences``) and a sentence is left out when

- it states facts — dish names, amounts (「닭칼국수」, 「666kcal」, 「2,210mg」; a portion's weight in
  brackets is a detail, not a fact) and the Turn's warning words (「새우」 said outside 「새우볶음밥」) — and
  every one of them was already shown; or
- it states none (「점심 메뉴로 이런 건 어떠세요?」) and comes before the first sentence that does: the
  model has already opened the reply.

The rest keeps the grounded order, so the joined reply reads as the model's opening and first facts, then
the grounded answer from the first fact not yet given. A fact that only the whole reply can show missing
(a caution word said inside another sentence) is not tracked here: the writer checks the joined reply,
and if it still lacks something, it takes every grounded sentence after the opening (``rest(...,
covered=False)``) — repetitive, never incomplete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mechuri.llm.guardrails import DishNames
from mechuri.llm.sentences import split_sentences

_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s?(kcal|칼로리|mg|g)(?![A-Za-z])")
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s+")
_PORTION = re.compile(r"\(\s*[\d,.]+\s?g(?=[,)\s])")
"""A portion's weight in brackets (「1인분(400g)」, 「(700g, 168kcal)」): a detail of the dish, not a fact the
model must have said for a sentence to count as said."""


def amounts(text: str) -> set[tuple[float, str]]:
    """The amounts a text states, as (value, unit): 「약 666kcal」 → (666.0, kcal); 칼로리 counts as kcal."""
    found = set()
    for match in _AMOUNT.finditer(text):
        value = float(match.group(1).replace(",", "") + ("." + match.group(2) if match.group(2) else ""))
        found.add((round(value, 1), "kcal" if match.group(3) == "칼로리" else match.group(3)))
    return found


@dataclass(frozen=True)
class Facts:
    """The checkable facts of a text: the food-table dishes it names and the amounts it states."""

    dishes: frozenset[str]
    amounts: frozenset[tuple[float, str]]
    words: frozenset[str] = frozenset()
    """Warning words said outside a dish's name (「새우」 of 「새우 알레르기」, not of 「새우볶음밥」)."""

    @classmethod
    def of(cls, text: str, names: DishNames, words: Iterable[str] = ()) -> Facts:
        text = _PORTION.sub("(", _LIST_MARKER.sub("", text))
        dishes = names.named(text)
        bare = text
        for dish in sorted(dishes, key=lambda d: -len(d.name)):
            bare = bare.replace(dish.name, " ")
        return cls(frozenset(dish.name for dish in dishes), frozenset(amounts(text)),
                   frozenset(word for word in words if word in bare))

    def __bool__(self) -> bool:
        return bool(self.dishes or self.amounts or self.words)

    def within(self, other: Facts) -> bool:
        return self.dishes <= other.dishes and self.amounts <= other.amounts and self.words <= other.words


def grounded_rest(shown: str, grounded: str, names: DishNames, *, words: Iterable[str] = (),
                  covered: bool = True) -> list[str]:
    """The grounded reply's sentences that follow ``shown`` (the model's sentences already sent), in
    order; ``words``: the Turn's warning words (an allergen, a diet), facts like a dish or an amount;
    ``covered=False`` keeps the sentences whose facts were shown too (only the opening goes)."""
    words = tuple(words)
    told = Facts.of(shown, names, words)
    opening = bool(shown.strip())
    rest = []
    for sentence in split_sentences(grounded):
        facts = Facts.of(sentence, names, words)
        if facts:
            if not (covered and facts.within(told)):
                rest.append(sentence)
            opening = False
        elif not opening:
            rest.append(sentence)
    return rest
