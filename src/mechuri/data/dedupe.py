"""Near-duplicate removal by ROUGE-L, with the same keep/drop decisions as ``rouge_score`` but fast.

Self-Instruct and Stanford Alpaca keep a new instruction only when its ROUGE-L F-measure against every
instruction kept so far stays below a threshold, and they compute it by scoring the new instruction
against *all* kept ones with ``rouge_score`` in a process pool: quadratic, and slow long before 50k.

``RougeLIndex`` makes the same decision while looking at very few pairs. ROUGE-L F is
``2·LCS/(m+n)`` and the LCS is at most the multiset overlap of the two token lists, so a pair can only
reach threshold ``t`` when they share at least ``t·m/(2−t)`` tokens. That is a Dice-style overlap
join, for which the classic filters are exact:

* **prefix filter** — tokens are put in one global order (rare first); two lists sharing ``α`` tokens
  must share one among their first ``len−α+1``, so only those prefixes go into the inverted index;
* **length filter** — ``2·min(m,n)/(m+n) ≥ t``;
* **positional filter** — the first shared token at positions ``(i, j)`` leaves at most
  ``1 + min(m−1−i, n−1−j)`` shared tokens;
* **overlap filter** — the exact multiset overlap, counted with numpy for all survivors at once;

and only the pairs left get an exact LCS (bit-parallel, on Python ints). The final comparison uses
``rouge_score``'s own float formula — ``2·p·r/(p+r)`` with p = LCS/len(kept), r = LCS/len(new) — so
boundary cases such as 0.6999999999999998 fall the same way; the pruning steps keep a 1e-9 margin so
floating-point rounding can never prune a pair that the formula would call a duplicate.
``tests/data/test_dedupe.py`` checks the decisions against plain ``rouge_score`` on thousands of Korean
instructions, and ``benchmarks/dedupe_bench.py`` times both.

Tokens: ``rouge_score``'s default tokenizer keeps only ``[a-z0-9]`` and so throws Korean away; both
sides here use ``KoreanTokenizer`` (Kiwi morphemes, punctuation dropped), which can be handed to
``rouge_score.rouge_scorer.RougeScorer(['rougeL'], tokenizer=KoreanTokenizer())``.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

DEFAULT_THRESHOLD = 0.7
_EPS = 1e-9
"""Safety margin of every pruning test: pruning must only ever be more permissive than the formula."""
_DROPPED_TAG_PREFIX = "S"
_KEPT_SYMBOL_TAGS = frozenset({"SL", "SN", "SH"})
"""Of Kiwi's symbol tags (S*), keep foreign words, numbers and hanja; drop punctuation and brackets."""


class KoreanTokenizer:
    """Kiwi morphemes of a text, lowercased, punctuation dropped — a ``rouge_score`` tokenizer object.

    Morphemes rather than spaced words because Korean glues particles and endings onto words: 「추천해
    줘」 and 「추천해줘」 are the same request, and 「김치찌개는」 shares 「김치찌개」 with 「김치찌개를」.
    Results are cached because dedupe and ``rouge_score`` tokenize the same instruction many times.
    """

    def __init__(self, cache_size: int = 262_144) -> None:
        self._cached = lru_cache(maxsize=cache_size)(_kiwi_tokens)

    def tokenize(self, text: str) -> list[str]:
        return list(self._cached(text))


def _kiwi_tokens(text: str) -> tuple[str, ...]:
    from mechuri.knowledge.morph import get_kiwi  # late: Kiwi takes seconds to load

    return tuple(token.form.lower() for token in get_kiwi().tokenize(text)
                 if not token.tag.startswith(_DROPPED_TAG_PREFIX) or token.tag in _KEPT_SYMBOL_TAGS)


def lcs_length(a: Sequence[object], b: Sequence[object]) -> int:
    """Length of the longest common subsequence, bit-parallel (Hyyrö 2004): one big-int step per token
    of ``b`` instead of a ``len(a)·len(b)`` table."""
    if not a or not b:
        return 0
    return _lcs_with_masks(_match_masks(a), len(a), b)


def _match_masks(a: Sequence[object]) -> dict[object, int]:
    masks: dict[object, int] = {}
    for position, token in enumerate(a):
        masks[token] = masks.get(token, 0) | (1 << position)
    return masks


def _lcs_with_masks(masks: Mapping[object, int], m: int, b: Sequence[object]) -> int:
    full = (1 << m) - 1
    v = full
    for token in b:
        u = v & masks.get(token, 0)
        if u:
            v = ((v + u) | (v - u)) & full
    return m - v.bit_count()


def rouge_l_fmeasure(new: Sequence[object], kept: Sequence[object], lcs: int | None = None) -> float:
    """ROUGE-L F of ``new`` against ``kept``, computed exactly as ``rouge_score`` computes
    ``_score_lcs(new, kept).fmeasure`` (same operations in the same order, so the same float)."""
    if not new or not kept:
        return 0.0
    common = lcs_length(new, kept) if lcs is None else lcs
    precision = common / len(kept)
    recall = common / len(new)
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


def required_overlap(length: int, threshold: float) -> int:
    """The fewest tokens a list of ``length`` must share with any partner to reach ``threshold``
    (a partner is at least ``t/(2−t)`` as long, so the overlap needs ``t·length/(2−t)``)."""
    return max(1, math.ceil(threshold * length / (2 - threshold) - _EPS))


@dataclass(frozen=True)
class NearDuplicate:
    """The kept item a new one is too similar to (its position in the index) and their ROUGE-L F."""

    index: int
    score: float


class _Postings:
    """An inverted-index row that grows: kept items whose prefix holds a token, and where."""

    __slots__ = ("items", "positions", "size")

    def __init__(self) -> None:
        self.items = np.empty(4, dtype=np.int64)
        self.positions = np.empty(4, dtype=np.int64)
        self.size = 0

    def append(self, item: int, position: int) -> None:
        if self.size == len(self.items):
            self.items = np.resize(self.items, 2 * self.size)
            self.positions = np.resize(self.positions, 2 * self.size)
        self.items[self.size] = item
        self.positions[self.size] = position
        self.size += 1


class RougeLIndex:
    """Kept token lists, indexed so that "is this new one within ROUGE-L ``threshold`` of any of them?"
    is answered exactly without comparing against all of them.

    ``token_rank`` (token → frequency order) can be given when all lists are known up front; otherwise
    each token is ranked as rarer than every token seen before it, which is a valid global order too.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, *,
                 token_rank: Mapping[tuple[str, int], int] | None = None) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1]; got {threshold}")
        self.threshold = threshold
        self._rank: dict[tuple[str, int], int] = dict(token_rank or {})
        self._next_new_rank = -1
        self._ids: dict[str, int] = {}
        self._tokens: list[list[int]] = []
        self._lengths = np.zeros(1024, dtype=np.int64)
        self._offsets = np.zeros(1024, dtype=np.int64)
        self._flat = np.empty(16_384, dtype=np.int64)
        self._flat_size = 0
        self._postings: dict[int, _Postings] = {}

    def __len__(self) -> int:
        return len(self._tokens)

    def _keys(self, tokens: Sequence[str]) -> np.ndarray:
        """The list as a sorted array of global ranks; a repeated token becomes (token, 2nd) … so that
        a multiset overlap is a plain set overlap."""
        seen: Counter[str] = Counter()
        keys = []
        for token in tokens:
            seen[token] += 1
            element = (token, seen[token])
            rank = self._rank.get(element)
            if rank is None:
                rank = self._rank[element] = self._next_new_rank
                self._next_new_rank -= 1
            keys.append(rank)
        return np.sort(np.asarray(keys, dtype=np.int64))

    def _token_ids(self, tokens: Sequence[str]) -> list[int]:
        return [self._ids.setdefault(token, len(self._ids)) for token in tokens]

    def add(self, tokens: Sequence[str], keys: np.ndarray | None = None) -> int:
        """Index ``tokens`` as kept (no check); returns its position. ``keys``: ``_keys(tokens)`` if known."""
        position = len(self._tokens)
        self._tokens.append(self._token_ids(tokens))
        if position == len(self._lengths):
            self._lengths = np.resize(self._lengths, 2 * position)
            self._offsets = np.resize(self._offsets, 2 * position)
        n = len(tokens)
        self._lengths[position] = n
        self._offsets[position] = self._flat_size
        if n == 0:
            return position  # an empty list scores 0 against everything: nothing to index
        keys = self._keys(tokens) if keys is None else keys
        while self._flat_size + n > len(self._flat):
            self._flat = np.resize(self._flat, 2 * len(self._flat))
        self._flat[self._flat_size:self._flat_size + n] = keys
        self._flat_size += n
        for j in range(n - required_overlap(n, self.threshold) + 1):
            key = int(keys[j])
            postings = self._postings.get(key)
            if postings is None:
                postings = self._postings[key] = _Postings()
            postings.append(position, j)
        return position

    def _survivors(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Kept items that pass every filter (so might reach the threshold), and their lengths."""
        m = len(keys)
        items_parts, positions_parts, query_parts = [], [], []
        for i in range(m - required_overlap(m, self.threshold) + 1):
            postings = self._postings.get(int(keys[i]))
            if postings is not None:
                items_parts.append(postings.items[:postings.size])
                positions_parts.append(postings.positions[:postings.size])
                query_parts.append(np.full(postings.size, i, dtype=np.int64))
        empty = np.empty(0, dtype=np.int64)
        if not items_parts:
            return empty, empty
        items = np.concatenate(items_parts)
        candidates, first = np.unique(items, return_index=True)  # first hit = first shared token
        i0 = np.concatenate(query_parts)[first]
        j0 = np.concatenate(positions_parts)[first]
        n = self._lengths[candidates]
        t = self.threshold
        need = t * (m + n) / 2 - _EPS
        ok = (np.minimum(m, n) >= need) & (1 + np.minimum(m - 1 - i0, n - 1 - j0) >= need)
        candidates, n, need = candidates[ok], n[ok], need[ok]
        if not len(candidates):
            return empty, empty
        starts = self._offsets[candidates]
        ends = np.cumsum(n)
        gather = np.arange(int(ends[-1])) - np.repeat(ends - n, n) + np.repeat(starts, n)
        values = self._flat[gather]
        where = np.minimum(np.searchsorted(keys, values), m - 1)
        overlap = np.add.reduceat((keys[where] == values).astype(np.int64), ends - n)
        ok = overlap >= need
        return candidates[ok], n[ok]

    def most_similar(self, tokens: Sequence[str], keys: np.ndarray | None = None) -> NearDuplicate | None:
        """The kept item most similar to ``tokens`` if its ROUGE-L F reaches the threshold, else None."""
        if not tokens or not self._tokens:
            return None
        candidates, _ = self._survivors(self._keys(tokens) if keys is None else keys)
        if not len(candidates):
            return None
        query = [self._ids.get(token, -1 - k) for k, token in enumerate(tokens)]  # unknown: unique, no match
        masks = _match_masks(query)
        best: NearDuplicate | None = None
        for item in candidates.tolist():
            kept = self._tokens[item]
            score = rouge_l_fmeasure(query, kept, _lcs_with_masks(masks, len(query), kept))
            if score >= self.threshold and (best is None or score > best.score):
                best = NearDuplicate(item, score)
        return best

    def offer(self, tokens: Sequence[str]) -> NearDuplicate | None:
        """Keep ``tokens`` unless a kept item is a near-duplicate; returns that duplicate, or None if kept."""
        keys = self._keys(tokens) if tokens else None
        duplicate = self.most_similar(tokens, keys)
        if duplicate is None:
            self.add(tokens, keys)
        return duplicate


def frequency_rank(token_lists: Iterable[Sequence[str]]) -> dict[tuple[str, int], int]:
    """A global token order for ``RougeLIndex``: rarest first, which keeps prefixes (and so the
    inverted-index rows read per query) short."""
    counts: Counter[tuple[str, int]] = Counter()
    for tokens in token_lists:
        seen: Counter[str] = Counter()
        for token in tokens:
            seen[token] += 1
            counts[(token, seen[token])] += 1
    ordered = sorted(counts, key=lambda element: counts[element])
    return {element: rank for rank, element in enumerate(ordered)}


def dedupe_token_lists(token_lists: Sequence[Sequence[str]], threshold: float = DEFAULT_THRESHOLD, *,
                       reference: Sequence[Sequence[str]] = ()) -> list[NearDuplicate | None]:
    """Greedy Self-Instruct dedupe of ``token_lists`` in order: for each, the near-duplicate that made it
    drop (``index`` counts ``reference`` first, then kept items), or None when it was kept.
    ``reference`` lists (e.g. the seed tasks) are kept unconditionally and only compared against."""
    index = RougeLIndex(threshold, token_rank=frequency_rank([*reference, *token_lists]))
    for tokens in reference:
        index.add(tokens)
    return [index.offer(tokens) for tokens in token_lists]


_FILLERS = ("좀", "혹시", "오늘", "진짜", "빨리", "간단히", "꼭", "지금", "요즘", "그냥", "한번", "제발")


def near_duplicate_workload(bases: Sequence[str], n: int, *, seed: int = 0, fresh: float = 0.3,
                            window: int = 20, max_edits: int = 3) -> list[str]:
    """``n`` instructions like a Self-Instruct run produces them, for tests and benchmarks: a share
    ``fresh`` of distinct base instructions, the rest 1–``max_edits`` word edits (drop, swap, insert,
    replace) of one of the last ``window`` bases — many land just above or just below the 0.7 line."""
    rng = random.Random(seed)
    pool = list(dict.fromkeys(bases))
    rng.shuffle(pool)
    words = sorted({word for base in pool for word in base.split()})
    out: list[str] = []
    recent: list[str] = []
    next_base = 0
    for _ in range(n):
        if not recent or rng.random() < fresh:
            if next_base < len(pool):
                recent.append(pool[next_base])
                next_base += 1
            else:
                recent.append(f"{rng.choice(pool)} {rng.choice(pool)}")
            recent = recent[-window:]
            out.append(recent[-1])
            continue
        text = rng.choice(recent).split()
        for _ in range(rng.randint(1, max_edits)):
            op = rng.random()
            at = rng.randrange(len(text))
            if op < 0.3 and len(text) > 2:
                del text[at]
            elif op < 0.5 and len(text) > 1:
                other = min(at + 1, len(text) - 1)
                text[at], text[other] = text[other], text[at]
            elif op < 0.75:
                text.insert(at, rng.choice(_FILLERS))
            else:
                text[at] = rng.choice(words)
        out.append(" ".join(text))
    return out
