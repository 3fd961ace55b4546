"""Messages that get a refusal or a redirection instead of an answer, read once like everything else.

Someone who may hurt themselves gets the crisis line; a request to hurt others (weapons, poison, a drug
slipped into a drink), or to see or undo the bot's instructions, gets a short refusal. Food talk that
borrows the words — 「죽을 만큼 배고파」, 「매워 죽겠어」, 「폭탄 계란찜」, 「마약김밥」, 「독일 음식」,
「칼국수」 — is food talk: a harmful word right before or inside a food word describes the food.
"""

from __future__ import annotations

from collections.abc import Sequence

from mechuri.nlu import lexicon as lx
from mechuri.nlu.model import RefusalKind
from mechuri.nlu.spans import CONTENT_KINDS, Span


def refusal(text: str, spans: Sequence[Span] = ()) -> RefusalKind | None:
    """Why ``text`` gets no food answer (``off_topic`` is decided with the intents, not here)."""
    for match in lx.SELF_HARM.finditer(text):
        if not lx.SELF_HARM_HYPERBOLE.match(text[match.end():]):
            return "self_harm"
    if lx.PROMPT_ATTACK.search(text):
        return "prompt"
    foods = [span for span in spans if span.kind in CONTENT_KINDS]
    for pattern in lx.HARM:
        for match in pattern.finditer(text):
            group = next((i for i in range(1, (pattern.groups or 0) + 1) if match.group(i)), 0)
            start, end = match.span(group)
            if not _describes_food(text, start, end, foods):
                return "harm"
    return None


def _describes_food(text: str, start: int, end: int, foods: Sequence[Span]) -> bool:
    """Whether the word at ``start:end`` is part of a food word or stands right before one (of two syllables
    at least: 「상사 죽이는」 is no 죽)."""
    for span in foods:
        if span.start <= start < span.end or (span.start >= end and span.end - span.start >= 2
                                             and not text[end:span.start].strip()):
            return True
    return False
