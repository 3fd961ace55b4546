"""Diversity: re-rank the best candidates so that three suggestions are three different ideas.

Pure score order tends to return near-duplicates (짬뽕, 삼선짬뽕, 굴짬뽕): each scores well for the same
reasons, and the user learns nothing from the second and third. Maximal Marginal Relevance (Carbonell
& Goldstein, 1998) picks, one at a time, the candidate that best trades its own relevance against its
similarity to what was already picked.
"""

from __future__ import annotations

from collections.abc import Sequence

from mechuri.knowledge.foods import Dish

MMR_LAMBDA = 0.5
"""Weight of relevance against novelty within the list. The first pick is always the best dish; with
relevance rescaled to [0, 1] over the pool, 0.5 lets a dish in the upper half of the pool beat a
near-duplicate (same category and cuisine, similarity ≈ 0.6–0.8) of what was already picked, while a
dish requested by name (``requested`` weighs more than everything else together) still wins. At 1.0
MMR is plain ranking; at 0.7 three 회 for 야식 came back in a row."""
POOL_PER_ITEM = 6
POOL_MIN = 24
"""Only the top ``max(POOL_MIN, POOL_PER_ITEM·k)`` candidates are re-ranked: diversity should choose
among good dishes, not reach down to poor ones."""
MAIN_INGREDIENTS = 3
"""The first ingredients of a row are its main ones (the table lists them in that order)."""

SIMILARITY_WEIGHTS = {"category": 0.40, "cuisine": 0.15, "ingredients": 0.25, "tags": 0.20}
"""Same category is the strongest sign of "the same idea"; cuisine alone is weak (most dishes are 한식)."""


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def similarity(a: Dish, b: Dish) -> float:
    """How alike two dishes are, in [0, 1]: shared category, cuisine, main ingredients and tags."""
    return (
        SIMILARITY_WEIGHTS["category"] * (a.category == b.category)
        + SIMILARITY_WEIGHTS["cuisine"] * (a.cuisine == b.cuisine)
        + SIMILARITY_WEIGHTS["ingredients"] * _jaccard(frozenset(a.ingredients[:MAIN_INGREDIENTS]),
                                                       frozenset(b.ingredients[:MAIN_INGREDIENTS]))
        + SIMILARITY_WEIGHTS["tags"] * _jaccard(frozenset(a.tags), frozenset(b.tags))
    )


def pool_size(k: int) -> int:
    """How many of the best candidates a pick of ``k`` chooses among (MMR re-ranks them; a seeded draw
    orders them first, see ``sampling``)."""
    return max(POOL_MIN, POOL_PER_ITEM * k)


def mmr(ranked: Sequence[tuple[Dish, float]], k: int, lam: float = MMR_LAMBDA,
        against: Sequence[Dish] = ()) -> list[int]:
    """Indexes into ``ranked`` (sorted best first) of ``k`` picks by MMR.

    Relevance is the score rescaled to [0, 1] over the pool (best 1, weakest 0), so λ means the same
    whatever the weights add up to and a component that lifts every dish alike changes nothing.
    Ties go to the earlier (better-ranked, then alphabetical) candidate: deterministic. ``against`` are
    dishes already chosen for the same list (the discovery slot): they are left out of the pool and count
    as picked for the similarity penalty, so the new pick is a different idea, not a fourth 찌개.
    """
    pool = [i for i in range(min(len(ranked), pool_size(k)))
            if all(ranked[i][0].name != dish.name for dish in against)]
    if not pool:
        return []
    low = ranked[pool[-1]][1]
    spread = max(ranked[pool[0]][1] - low, 1e-9)
    closest = {i: max((similarity(ranked[i][0], dish) for dish in against), default=0.0) for i in pool}
    picked: list[int] = []
    while pool and len(picked) < k:
        best = max(pool, key=lambda i: (lam * (ranked[i][1] - low) / spread - (1 - lam) * closest[i], -i))
        picked.append(best)
        pool.remove(best)
        for i in pool:
            closest[i] = max(closest[i], similarity(ranked[i][0], ranked[best][0]))
    return picked
