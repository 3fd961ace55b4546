"""Answers to cooking and food questions from the bundled Q&A collection, by BM25 over Kiwi morphemes.

BM25 on morphemes rather than on raw text because Korean glues particles and endings onto words
(삼계탕은, 끓이는) — the morphemes are what two phrasings of one question share. A match must clear a
score floor and share a content word with the question; otherwise the caller says nothing relevant
was found instead of answering a different question.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np

from mechuri.knowledge.morph import content_words

QA_PATH = Path(__file__).parent / "data" / "food_qa.jsonl"
QA_KINDS = ("recipe", "ingredients", "storage", "tip", "nutrition", "culture")
MIN_SCORE = 2.0
"""BM25 score below which a hit is treated as unrelated (calibrated on the collection's own questions)."""

_GENERIC = frozenset({"어떻", "하", "알리", "주", "방법", "법", "뭐", "무엇", "좀", "만들", "요리", "음식", "먹"})
"""Words every question shares; a hit that matches only these is not an answer."""


@dataclass(frozen=True)
class QAEntry:
    id: str
    kind: str
    dishes: tuple[str, ...]
    question: str
    answer: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class QAHit:
    entry: QAEntry
    score: float


def load_qa(path: Path = QA_PATH) -> list[QAEntry]:
    """The Q&A collection, one JSON object per line."""
    entries = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                entries.append(QAEntry(id=row["id"], kind=row["kind"], dishes=tuple(row.get("dishes", ())),
                                       question=row["question"], answer=row["answer"],
                                       keywords=tuple(row.get("keywords", ()))))
    return entries


class QAIndex:
    """A BM25 index over question + dishes + keywords of every entry (answers are left out: they mention
    many side ingredients that would pull unrelated questions in)."""

    def __init__(self, entries: list[QAEntry]) -> None:
        self.entries = entries
        corpus = [content_words(" ".join((e.question, *e.dishes, *e.keywords, *e.dishes))) for e in entries]
        self._vocabulary = {word for doc in corpus for word in doc}
        self._doc_words = [frozenset(doc) for doc in corpus]
        self._retriever = bm25s.BM25()
        self._retriever.index(corpus, show_progress=False)

    def search(self, question: str, k: int = 3) -> list[QAHit]:
        """Entries that answer ``question``, best first; empty when nothing is relevant."""
        words = [w for w in content_words(question) if w in self._vocabulary]
        if not any(w not in _GENERIC for w in words):
            return []
        indices, scores = self._retriever.retrieve([words], k=min(k, len(self.entries)), show_progress=False)
        hits = []
        telling = {w for w in words if w not in _GENERIC and len(w) >= 2}
        for index, score in zip(np.asarray(indices)[0], np.asarray(scores)[0], strict=True):
            # A hit must clear the score floor and share a telling word (not a one-syllable stem like 사)
            if score >= MIN_SCORE and telling & self._doc_words[int(index)]:
                hits.append(QAHit(self.entries[int(index)], float(score)))
        return hits


@lru_cache(maxsize=1)
def default_qa_index() -> QAIndex:
    return QAIndex(load_qa())
