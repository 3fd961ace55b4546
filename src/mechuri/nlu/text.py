"""Cleaning a raw chat message and reading it with Kiwi: the one place that touches the raw string.

Chat text is messy on purpose (ㅋㅋㅋㅋ, 「머먹지」, HTML pasted from somewhere, a 10,000-character paste);
everything after this module sees one tidy string, its Kiwi tokens and the problems found on the way.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from mechuri.knowledge.morph import KIWI_LOCK, get_kiwi
from mechuri.nlu import lexicon as lx

MAX_CHARS = 1000
"""Only the first 1,000 characters are analysed: nobody orders lunch in a longer message, and the
time per message must stay bounded whatever is pasted."""

def kiwi() -> Any:
    """The process-wide ``Kiwi`` shared with the rest of mechuri (Q&A retrieval, dataset tools), which
    already knows every dish name of the food table as a word."""
    return get_kiwi()


@dataclass(frozen=True)
class Token:
    """One Kiwi morpheme with its place in the analysed text."""

    form: str
    tag: str
    start: int
    end: int


@dataclass(frozen=True)
class CleanText:
    """The text to analyse, what to show as ``Understanding.text``, and what was wrong with the input."""

    shown: str
    analysed: str
    issues: tuple[str, ...]


def clean(raw: object) -> CleanText:
    """Normalize a message: NFC, no markup, no control characters, squeezed repeats and spaces, truncated."""
    issues: list[str] = []
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    text = unicodedata.normalize("NFC", text)
    if len(text) > MAX_CHARS:
        issues.append("too_long")
        text = text[: MAX_CHARS * 2]
    if lx.HTML_TAG.search(text):
        issues.append("markup")
        text = lx.HTML_TAG.sub(" ", text)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = " ".join(text.split())[:MAX_CHARS]
    if not text:
        return CleanText("", "", (*issues, "empty"))
    if not lx.HANGUL.search(text):
        issues.append("no_korean")
    analysed = lx.LAUGH.sub(r"\1\1", text)
    analysed = lx.REPEAT.sub(r"\1\1\1", analysed)
    for wrong, right in lx.SPELLING.items():
        if wrong in analysed:
            analysed = analysed.replace(wrong, right)
    return CleanText(text, analysed, tuple(issues))


def tokenize(text: str) -> list[Token]:
    """Kiwi's morphemes for ``text`` (empty for text without Hangul: Kiwi has nothing to add there)."""
    if not lx.HANGUL.search(text):
        return []
    analyzer = kiwi()
    with KIWI_LOCK:  # one shared analyzer; the web app may call from several threads
        morphemes = analyzer.tokenize(text)
    return [Token(t.form, t.tag, t.start, t.start + t.len) for t in morphemes]
