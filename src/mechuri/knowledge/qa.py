"""Answers to cooking and food questions from the bundled Q&A collection, by BM25 over Kiwi morphemes.

BM25 on morphemes rather than on raw text because Korean glues particles and endings onto words
(삼계탕은, 끓이는) — the morphemes are what two phrasings of one question share. A match must clear a
score floor and share a content word with the question; otherwise the caller says nothing relevant
was found instead of answering a different question.
"""

from __future__ import annotations

import json
import math
from collections import Counter
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
        # each dish and keyword read on its own: read as one run, Kiwi glues them into one long noun
        corpus = [content_words(e.question) + [w for term in (*e.dishes, *e.keywords, *e.dishes)
                                               for w in content_words(term)] for e in entries]
        self._vocabulary = {word for doc in corpus for word in doc}
        self._doc_words = [frozenset(doc) for doc in corpus]
        self._question_words = [frozenset(w for w in content_words(e.question) if w not in _GENERIC and len(w) >= 2)
                                for e in entries]
        frequency = Counter(w for doc in self._doc_words for w in doc)
        self._idf = {w: math.log(len(entries) / n) for w, n in frequency.items()}
        self._retriever = bm25s.BM25()
        self._retriever.index(corpus, show_progress=False)

    def search(self, question: str, k: int = 3) -> list[QAHit]:
        """Entries that answer ``question``, best first; empty when nothing is relevant.

        BM25 finds the candidates; they are then ordered by the rarity (IDF) of the telling words they share
        with the question — full weight where their own question names the word (소불고기 names 불고기), half where only
        a keyword does —, then by how few telling words their own question adds, then by score:
        「수육 삶는 법」 is 돼지고기 수육's entry, not 닭가슴살's that lists 수육 as a keyword; 「잡채 만드는
        방법」 is not 잡채 데우는 법; 「김장 김치 담그는 법」 is 배추김치, not 김장 culture."""
        all_words = content_words(question)
        words = [w for w in all_words if w in self._vocabulary]
        if not any(w not in _GENERIC for w in words):
            return []
        pool = min(max(4 * k, 12), len(self.entries))
        indices, scores = self._retriever.retrieve([words], k=pool, show_progress=False)
        telling = {w for w in words if w not in _GENERIC and len(w) >= 2}
        asked = set(all_words)
        ranked = []
        for index, score in zip(np.asarray(indices)[0], np.asarray(scores)[0], strict=True):
            # A hit must clear the score floor and share a telling word (not a one-syllable stem like 사)
            shared = telling & self._doc_words[int(index)]
            if score >= MIN_SCORE and shared:
                own = self._question_words[int(index)]
                weight = sum(self._idf[w] * (1.0 if any(w in q for q in own) else 0.5) for w in shared)
                added = len(self._question_words[int(index)] - asked)
                ranked.append((-round(weight, 6), added, -float(score), int(index)))
        ranked.sort()
        return [QAHit(self.entries[index], -negative) for *_, negative, index in ranked[:k]]


@lru_cache(maxsize=1)
def default_qa_index() -> QAIndex:
    return QAIndex(load_qa())
