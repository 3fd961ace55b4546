"""The fast ROUGE-L dedupe makes exactly the keep/drop decisions of plain rouge_score."""

from __future__ import annotations

import random

import pytest
from rouge_score import rouge_scorer

from mechuri.data.dedupe import (
    RougeLIndex,
    dedupe_token_lists,
    lcs_length,
    near_duplicate_workload,
    rouge_l_fmeasure,
)
from mechuri.data.seed import load_seed_tasks
from mechuri.data.synthesize import ASKS
from mechuri.knowledge.foods import load_food_table
from mechuri.knowledge.qa import load_qa


def reference_decisions(token_lists, threshold=0.7):
    """Self-Instruct's rule, scored by rouge_score itself (``_score_lcs(new, kept)``, as Self-Instruct and
    Alpaca call it): drop when any kept list reaches ``threshold``. Kept lists are scanned newest first
    and the scan stops at the first duplicate — the same decision as taking the maximum, sooner."""
    kept, dropped = [], []
    for tokens in token_lists:
        duplicate = any(rouge_scorer._score_lcs(tokens, other).fmeasure >= threshold for other in reversed(kept))
        dropped.append(duplicate)
        if not duplicate:
            kept.append(tokens)
    return dropped


def test_scores_are_bit_identical_to_rouge_score():
    rng = random.Random(3)
    for _ in range(5000):
        vocab = rng.randint(2, 12)
        a = [str(rng.randrange(vocab)) for _ in range(rng.randint(0, 30))]
        b = [str(rng.randrange(vocab)) for _ in range(rng.randint(0, 30))]
        reference = rouge_scorer._score_lcs(a, b)
        assert rouge_l_fmeasure(a, b) == reference.fmeasure
        if a and b:
            assert lcs_length(a, b) == round(reference.precision * len(b))


def test_float_ties_fall_the_way_rouge_score_computes_them():
    """2·21/(23+37) is 0.7 exactly, but rouge_score's float formula gives 0.6999999999999998: not a duplicate."""
    common = [f"w{k}" for k in range(21)]
    new, kept = [*common, "x", "y"], [*common, *(f"z{k}" for k in range(16))]
    assert rouge_scorer._score_lcs(new, kept).fmeasure < 0.7 <= 2 * 21 / (23 + 37)
    index = RougeLIndex(0.7)
    index.add(kept)
    assert index.most_similar(new) is None
    exact = [*common[:7], "a", "b", "c"]  # 2·7/(10+10) → 0.7 in floats too: a duplicate
    index.add([*common[:7], "d", "e", "f"])
    assert index.most_similar(exact) is not None


@pytest.mark.parametrize("threshold", [0.5, 0.7])
def test_random_lists_with_many_boundary_cases(threshold):
    rng = random.Random(int(threshold * 100))
    lists = []
    for _ in range(400):
        if lists and rng.random() < 0.6:
            tokens = list(rng.choice(lists[-30:]))
            for _ in range(rng.randint(1, 4)):
                tokens.insert(rng.randrange(len(tokens) + 1), str(rng.randrange(40)))
                if len(tokens) > 2 and rng.random() < 0.5:
                    del tokens[rng.randrange(len(tokens))]
        else:
            tokens = [str(rng.randrange(40)) for _ in range(rng.randint(0, 18))]
        lists.append(tokens)
    expected = reference_decisions(lists, threshold)
    assert [d is not None for d in dedupe_token_lists(lists, threshold)] == expected
    streaming = RougeLIndex(threshold)
    assert [streaming.offer(tokens) is not None for tokens in lists] == expected


def test_same_decisions_as_rouge_score_on_2000_korean_instructions(tokenizer):
    """2,000 Korean instructions like a Self-Instruct run's (distinct bases and one- or two-word edits of
    them), tokenized by the Kiwi tokenizer handed to rouge_score's own ``RougeScorer``."""
    table = load_food_table()
    bases = [task.instruction for task in load_seed_tasks()] + [entry.question for entry in load_qa()]
    bases += [ask.phrasings[k % len(ask.phrasings)].format(q=dish.name)
              for k, dish in enumerate(table) for ask in ASKS[k % 3::3]]
    texts = near_duplicate_workload(bases, 2000, seed=11, fresh=0.1, window=5, max_edits=2)
    scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=tokenizer)
    token_lists = [scorer._tokenizer.tokenize(text) for text in texts]

    kept: list[list[str]] = []
    expected, near_threshold = [], 0
    for tokens in token_lists:
        duplicate = False
        for other in reversed(kept):
            score = rouge_scorer._score_lcs(tokens, other).fmeasure
            near_threshold += 0.6 <= score < 0.8
            if score >= 0.7:
                duplicate = True
                break
        expected.append(duplicate)
        if not duplicate:
            kept.append(tokens)

    batch = dedupe_token_lists(token_lists)
    assert [d is not None for d in batch] == expected
    streaming = RougeLIndex()
    assert [streaming.offer(tokens) is not None for tokens in token_lists] == expected
    assert 300 < len(kept) < 1700 and near_threshold > 1000  # both decisions, and many close calls
    kept_positions = [k for k, d in enumerate(batch) if d is None]
    for position, duplicate in enumerate(batch):  # a drop points at a kept instruction that close
        if duplicate is not None:
            other = token_lists[kept_positions[duplicate.index]]
            assert rouge_scorer._score_lcs(token_lists[position], other).fmeasure == duplicate.score >= 0.7


def test_reference_lists_are_compared_but_never_dropped():
    seeds = [["김치", "찌개", "추천"], ["김치", "찌개", "추천"]]
    decisions = dedupe_token_lists([["김치", "찌개", "추천"], ["라면", "끓이", "는", "법"]], reference=seeds)
    assert decisions[0] is not None and decisions[0].index in (0, 1) and decisions[1] is None


def test_empty_token_lists_are_never_duplicates():
    index = RougeLIndex()
    assert index.offer([]) is None and index.offer([]) is None and len(index) == 2
