"""Menu recommendation: hard constraints → soft scores → diverse top-k with grounded Korean reasons.

``recommend(table, request)`` is the one entry point. It takes plain data (dishes and a
``RecommendationRequest``) and returns plain data, reading no database and no clock, so the dialogue
manager, the CLI, benchmarks and tests all call it the same way. It never breaks a hard constraint:
when too few dishes fit, it returns the ones that do and lists the relaxations the user could choose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial

from mechuri.knowledge.foods import Dish
from mechuri.recommend.constraints import (
    Relaxation,
    check_constraints,
    dish_matches_term,
    explain_exclusions,
    find_relaxations,
    implied_constraints,
)
from mechuri.recommend.diversify import mmr, pool_size
from mechuri.recommend.index import DishIndex
from mechuri.recommend.reasons import dish_reasons, relaxation_text, shortfall_notice
from mechuri.recommend.request import RecommendationRequest
from mechuri.recommend.sampling import discovery_slots, perturbed
from mechuri.recommend.scoring import WEIGHTS, Scorer

__all__ = [
    "WEIGHTS", "DishIndex", "RecommendationRequest", "RecommendationResult", "Relaxation", "ScoredDish",
    "dish_matches_term", "explain_exclusions", "recommend",
]

SCORE_DIGITS = 4
"""Scores and components are rounded for display and comparison; ties then fall to the dish name."""


@dataclass(frozen=True)
class ScoredDish:
    """One recommended dish: its total score, the components behind it and the reasons to say."""

    dish: Dish
    score: float
    components: dict[str, float]
    reasons: list[str]

    @property
    def reason(self) -> str:
        """The most telling reason: the one sentence the Turn's ``Recommendation.reason`` carries."""
        return self.reasons[0]


@dataclass
class RecommendationResult:
    """The answer: up to ``k`` dishes, and when fewer fit, why and what could be relaxed."""

    items: list[ScoredDish]
    relaxations: list[Relaxation]
    candidates_count: int
    """Dishes that satisfied every hard constraint (before scoring picked the top ``k``)."""
    excluded_counts: dict[str, int]
    """Constraint name → dishes it excluded (a dish breaking two constraints counts under both)."""
    notice_ko: str | None = None
    """「조건에 모두 맞는 메뉴가 1개뿐이에요」 when fewer than ``k`` dishes fit, else None."""
    _explain: Callable[[], dict[str, tuple[str, ...]]] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def why_excluded(self) -> dict[str, tuple[str, ...]]:
        """Dish name → the constraints it breaks, for every excluded dish (worked out on first use:
        most turns never ask, and naming every excluded dish costs more than recommending)."""
        return self._explain() if self._explain is not None else {}

    @property
    def names(self) -> list[str]:
        return [item.dish.name for item in self.items]

    @property
    def short(self) -> bool:
        """Whether fewer dishes fit than were asked for."""
        return self.notice_ko is not None


def _matches(index: DishIndex, position: int, term: str) -> bool:
    return position in index.matching(term, "prefer")


def _draw(index: DishIndex, scored: list[tuple[float, str, int, int]], order: list[int], values: list[float],
          seed: int, n: int, picked: list[int]) -> list[int]:
    """``n`` picks (indexes into ``scored``) drawn from the best ``pool_size`` of ``order`` (sorted best
    ``values`` first): a seeded Plackett–Luce order of that pool, then MMR over it (see ``sampling``)."""
    pool = order[:pool_size(n)]
    keys = perturbed([scored[i][1] for i in pool], [values[i] for i in pool], seed)
    ranked = sorted(range(len(pool)), key=lambda j: (-round(keys[j], SCORE_DIGITS), scored[pool[j]][1]))
    candidates = [(index.dishes[scored[pool[j]][3]], keys[j]) for j in ranked]
    found = mmr(candidates, n, against=[index.dishes[scored[i][3]] for i in picked])
    return [pool[ranked[j]] for j in found]


def _discovery(index: DishIndex, scored: list[tuple[float, str, int, int]], table: dict[str, list[float]],
               scorer: Scorer, picks: list[int], seed: int, n: int) -> list[int]:
    """``n`` picks among the dishes that are not everyday at this meal, by their score without the
    ``familiar`` component: a less common dish that fits well competes on fit alone (see ``sampling``)."""
    familiar = table["familiar"]
    weight = scorer.weights["familiar"]
    prior = scorer.prior
    meal = scorer.context.meal
    chosen = set(picks)
    values = [item[0] - weight * familiar[item[2]] for item in scored]
    order = sorted((i for i, item in enumerate(scored)
                    if i not in chosen and prior.tier(item[1], meal) != "everyday"),
                   key=lambda i: (-round(values[i], SCORE_DIGITS), scored[i][1]))
    return _draw(index, scored, order, values, seed, n, picks)


def _dish_named(index: DishIndex, name: str) -> Dish | None:
    position = index.positions.get(name)
    return index.dishes[position] if position is not None else None


def recommend(table: Iterable[Dish], request: RecommendationRequest) -> RecommendationResult:
    """The best ``request.k`` dishes of ``table`` that break no hard constraint, diversified, with reasons.

    Steps: constraints (``constraints``) → score every remaining dish (``scoring``) → order by
    score then name, or with ``request.seed`` by a seeded Plackett–Luce draw over the scores
    (``sampling``) → MMR over the top of that list (``diversify``), with one of three picks kept for a
    less common dish when seeded → reasons (``reasons``). When
    fewer than ``k`` dishes remain, ``relaxations`` lists what loosening each relaxable constraint
    alone would make available; nothing is loosened here.
    """
    index = DishIndex.of(table)
    check = check_constraints(index, request)
    scorer = Scorer(index, request)
    totals, table = scorer.totals(check.passing)
    scored = sorted(
        ((round(total, SCORE_DIGITS), index.dishes[position].name, row, position)
         for row, (position, total) in enumerate(zip(check.passing, totals, strict=True))),
        key=lambda item: (-item[0], item[1]),
    )
    for _name, implied in implied_constraints(index, request):
        kept = [item for item in scored if item[3] not in implied]
        if len(kept) >= request.k:
            scored = kept
    if request.seed is None:
        picks = mmr([(index.dishes[item[3]], item[0]) for item in scored], request.k)
    else:
        discover = discovery_slots(request.k) if "requested" not in table else 0
        picks = _draw(index, scored, list(range(len(scored))), [item[0] for item in scored],
                      request.seed, request.k - discover, [])
        if discover:
            picks += _discovery(index, scored, table, scorer, picks, request.seed, discover)
        short = min(request.k, len(scored)) - len(picks)
        if short > 0:  # no less common dish fits: the list is filled from the rest as usual
            rest = [i for i in range(len(scored)) if i not in set(picks)]
            picks += _draw(index, scored, rest, [item[0] for item in scored], request.seed, short, picks)
    items = []
    for pick in picks:
        total, _name, row, position = scored[pick]
        dish = index.dishes[position]
        components = {name: values[row] for name, values in table.items()}
        items.append(ScoredDish(
            dish=dish,
            score=total,
            components={name: round(value, SCORE_DIGITS) for name, value in components.items()},
            reasons=dish_reasons(dish, request, scorer.context, components,
                                 matches=partial(_matches, index, position), lookup=partial(_dish_named, index)),
        ))
    relaxations = [
        Relaxation("+".join(names), relaxation_text(names, request, available, value), available, value)
        for names, available, value in find_relaxations(index, request, check)
    ]
    return RecommendationResult(
        items=items,
        relaxations=relaxations,
        candidates_count=len(check.passing),
        excluded_counts=check.counts(),
        notice_ko=shortfall_notice(len(check.passing), request.k),
        _explain=partial(check.by_dish, index),
    )
