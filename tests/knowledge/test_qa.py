"""Cooking and food questions answered from the bundled Q&A collection — or honestly not at all."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from mechuri.knowledge.qa import QA_KINDS, default_qa_index, load_qa

ENTRIES = load_qa()


def test_the_collection_is_large_varied_and_well_formed():
    assert len(ENTRIES) >= 300
    assert len({e.id for e in ENTRIES}) == len(ENTRIES)
    kinds = Counter(e.kind for e in ENTRIES)
    assert set(kinds) <= set(QA_KINDS) and all(kinds[k] >= 20 for k in QA_KINDS)
    assert len({d for e in ENTRIES for d in e.dishes}) >= 150
    for entry in ENTRIES:
        assert entry.question.strip() and len(entry.answer) >= 30
        assert not re.search(r"\d+\s*(kcal|칼로리)", entry.answer), entry.id  # numbers come from the food table


def test_every_question_finds_its_own_entry_first():
    index = default_qa_index()
    misses = [e.id for e in ENTRIES if not (hits := index.search(e.question)) or hits[0].entry.id != e.id]
    assert len(misses) <= len(ENTRIES) * 0.02, misses[:20]


@pytest.mark.parametrize(("question", "dish"), [
    ("삼계탕 뭐 넣고 만들어?", "삼계탕"),
    ("김치찌개 맛있게 끓이려면 어떻게 해요", "김치찌개"),
    ("남은 치킨 데우는 법", None),
    ("닭가슴살 요리법 알려줘", "닭가슴살"),
])
def test_differently_worded_questions_find_a_relevant_entry(question, dish):
    hits = default_qa_index().search(question)
    assert hits
    if dish:
        assert any(dish in d for d in hits[0].entry.dishes) or dish in hits[0].entry.question


@pytest.mark.parametrize("question", ["우주선 엔진 고치는 법", "주식 어떻게 사요", "ㅋㅋㅋ", "", "hello"])
def test_unrelated_questions_find_nothing(question):
    assert default_qa_index().search(question) == []
