"""Hard constraints: which dishes may be recommended at all, why the others may not, and what to relax.

A constraint here is never traded against a score: a dish that breaks one is out. When too few dishes
are left, the recommender does not quietly drop a constraint; it returns what does fit and lists the
nearest relaxations (how many dishes each would bring back), so the user can choose. Allergies,
dislikes and the ethical, religious and medical diets (채식, 비건, 당뇨관리, 할랄, 유당불내증, 페스코,
글루텐프리) are never offered for relaxation.

Constraint names (``excluded_counts`` keys, ``Relaxation.constraint``):
``allergy``, ``excluded``, ``diet:<diet>``, ``kcal_max``, ``kcal_min``, ``meal``, ``wanted_tag``
(every requested tag), ``wanted_category`` (any requested category), ``wanted_cuisine`` (any requested
cuisine), ``avoid`` (dishes shown in the previous answer), ``children`` (eating with a child: nothing
spicy). Two *implied* constraints (``implied_constraints``) apply only while at least ``k`` dishes
still fit, since the user did not state them, and are never offered for relaxation: ``meal_floor`` (a main meal must be a meal: at least ``MEAL_FLOOR_SHARE`` of
the meal's energy target, and no side dish, drink or dessert alone) and ``party`` (three or more people:
dishes to share at the table).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.hangul import normalize_key
from mechuri.knowledge.targets import meal_targets
from mechuri.recommend.index import DishIndex
from mechuri.recommend.request import RecommendationRequest
from mechuri.recommend.scoring import GROUP_CATEGORIES, meal_kcal
from mechuri.recommend.terms import dish_matches_term

__all__ = [
    "EXCLUDING_SLOTS", "NEVER_RELAXED", "RELAXABLE", "ConstraintCheck", "HardConstraints", "Relaxation", "check_constraints", "dish_conflicts",
    "dish_matches_term", "explain_exclusions", "find_relaxations", "meal_waived",
]

RELAXABLE: tuple[str, ...] = (
    "meal", "kcal_max", "kcal_min", "wanted_tag", "wanted_category", "wanted_cuisine", "avoid",
    "diet:저염", "diet:저탄수",
)
"""Constraints the user may be offered to loosen, in the order ties are listed."""
NEVER_RELAXED: frozenset[str] = frozenset({"allergy", "excluded", "diet:채식", "diet:비건", "diet:당뇨관리",
                                          "diet:할랄", "diet:유당불내증", "diet:페스코", "diet:글루텐프리"})
EXCLUDING_SLOTS: tuple[str, ...] = ("tags_excluded", "ingredients_excluded", "dishes_excluded",
                                    "categories_excluded", "cuisines_excluded")
"""The request slots whose words a dish must not match (「오이 빼고」, 「중식 말고」)."""


CHILD_SITUATION = "아이"
"""The situation word of 「아이랑」, 「애들이랑」: nothing tagged 매운 (never relaxed: a child's meal)."""
MEAL_FLOOR_SHARE = 0.35
"""A main meal's dish carries at least 35 % of the meal's energy target (≈ 250 kcal at lunch), so
「저녁은 가볍게」 gives a light meal, not 흰죽 or 된장국 alone (66 kcal); under a stated ``kcal_max`` the
floor is at most half of it."""
NOT_A_MEAL_ALONE = frozenset({"반찬", "음료", "디저트"})
"""Categories that are not a breakfast, lunch or dinner on their own (unless asked for by name)."""
SIDE_DISH_SHARE = 0.15
"""…and on its own, before the bowl of rice it is eaten with (``scoring.meal_kcal``), at least 15 % of
it (≈ 100 kcal at dinner): 오이냉국 (52 kcal) or 된장국 (66 kcal) with rice is a side dish and rice."""
PLAIN_RICE = frozenset({"흰쌀밥", "현미밥", "잡곡밥", "즉석밥", "곤약밥"})
"""A bowl of rice alone is not a meal either (it goes with the dishes listed without one)."""
MAIN_MEALS = ("아침", "점심", "저녁")
PARTY_SIZE = 3
"""From three people on, the list is made of dishes to share (``scoring.GROUP_CATEGORIES`` or 회식)."""


def _words(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({value.strip() for value in values if value and value.strip()}))


@dataclass(frozen=True)
class HardConstraints:
    """What no dish of a turn may break: the user's allergies and diets, their dislikes and what the
    message excludes. Built once per turn and handed to the recommender, the planner, the web plan view
    and the guardrail, so the four never disagree on what is forbidden (sorted tuples: stable JSON)."""

    allergies: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    diets: tuple[str, ...] = ()

    @classmethod
    def of(cls, preferences: Mapping[str, Iterable[str]], slots: Mapping[str, object] | None = None,
           ) -> HardConstraints:
        """From the remembered preferences (``memory.preference_sets``) and a request's slots."""
        excluded = list(preferences.get("dislike", ()))
        for name in EXCLUDING_SLOTS:
            value = (slots or {}).get(name)
            if isinstance(value, (list, tuple, set, frozenset)):
                excluded += [str(word) for word in value]
        return cls(allergies=_words(preferences.get("allergy", ())), excluded=_words(excluded),
                   diets=_words(preferences.get("diet", ())))

    @classmethod
    def of_request(cls, request: RecommendationRequest | object) -> HardConstraints:
        """The hard part of a recommendation or plan request (both carry allergies, excluded, diets)."""
        return cls(*(_words(getattr(request, name)) for name in ("allergies", "excluded", "diets")))

    def as_request(self) -> RecommendationRequest:
        """These constraints alone as a request, for ``check_constraints`` (the inverse of ``of_request``)."""
        return RecommendationRequest(allergies=frozenset(self.allergies), excluded=frozenset(self.excluded),
                                     diets=frozenset(self.diets))

    def __bool__(self) -> bool:
        return bool(self.allergies or self.excluded or self.diets)

    def never_relaxed(self) -> HardConstraints:
        """Only what is never offered for relaxation (저염, 저탄수 may be loosened; 비건 never)."""
        return HardConstraints(self.allergies, self.excluded,
                               tuple(d for d in self.diets if f"diet:{d}" in NEVER_RELAXED))


@dataclass(frozen=True)
class Relaxation:
    """One constraint the user could loosen, and how many dishes would then fit everything else.

    ``constraint`` is a constraint name, or two joined by ``+`` when only loosening both helps.
    ``available`` counts every dish that would satisfy all constraints with this one relaxed (those
    that already fit included). ``value`` is the loosened threshold for a numeric constraint
    (the new calorie cap or floor, the new sodium line), ``None`` when the constraint is dropped.
    """

    constraint: str
    description_ko: str
    available: int
    value: float | None = None


@dataclass(frozen=True)
class ConstraintCheck:
    """The verdict of every hard constraint on every dish of an index."""

    failing: dict[str, frozenset[int]]
    """Constraint → positions of the dishes that break it (only constraints that are active)."""
    passing: tuple[int, ...]
    """Positions of the dishes that break nothing, in table order."""

    def failures(self, position: int) -> tuple[str, ...]:
        """The constraints the dish at ``position`` breaks, in a stable order."""
        return tuple(name for name, positions in self.failing.items() if position in positions)

    def by_dish(self, index: DishIndex) -> dict[str, tuple[str, ...]]:
        """Dish name → the constraints it breaks, for every dish that breaks at least one."""
        broken = sorted(frozenset().union(*self.failing.values())) if self.failing else []
        return {index.dishes[position].name: self.failures(position) for position in broken}

    def counts(self) -> dict[str, int]:
        """How many dishes each active constraint excludes (a dish may count under several)."""
        return {name: len(positions) for name, positions in self.failing.items()}


def meal_waived(index: DishIndex, request: RecommendationRequest) -> frozenset[int]:
    """Dishes exempt from meal suitability: the user named them or their category (삼겹살 for 아침).

    Only the dish named (by name or alias) is exempt, not every dish sharing its word: asking for
    삼겹살 at breakfast does not make 오삼불고기 a breakfast.
    """
    if request.meal_explicit:
        return index.everything
    return index.named(request.wanted_dishes) | index.matching_any(request.wanted_categories, "prefer")


def check_constraints(index: DishIndex, request: RecommendationRequest) -> ConstraintCheck:
    """Evaluate every active hard constraint of ``request`` on every dish of ``index``."""
    everything = index.everything
    failing: dict[str, frozenset[int]] = {}
    if request.allergies:
        failing["allergy"] = index.matching_any(request.allergies, "allergy")
    if request.excluded:
        failing["excluded"] = index.matching_any(request.excluded, "avoid")
    for diet in sorted(request.diets):
        failing[f"diet:{diet}"] = index.diet_failing[diet]
    if request.kcal_max is not None:
        cap = request.kcal_max
        failing["kcal_max"] = frozenset(i for i, dish in enumerate(index.dishes) if dish.kcal > cap)
    if request.kcal_min is not None:
        floor = request.kcal_min
        failing["kcal_min"] = frozenset(i for i, dish in enumerate(index.dishes) if dish.kcal < floor)
    if request.meal is not None:
        failing["meal"] = everything - index.meal_fit[request.meal] - meal_waived(index, request)
    if request.wanted_tags:
        missing: frozenset[int] = frozenset()
        for tag in request.wanted_tags:
            missing |= everything - index.matching(tag, "prefer")
        failing["wanted_tag"] = missing
    if request.wanted_categories:
        failing["wanted_category"] = everything - index.matching_any(request.wanted_categories, "prefer")
    if request.wanted_cuisines:
        failing["wanted_cuisine"] = everything - index.matching_any(request.wanted_cuisines, "prefer")
    if request.avoid_names:
        failing["avoid"] = index.named(request.avoid_names)
    if CHILD_SITUATION in request.situations:
        failing["children"] = index.tagged({"매운"})
    broken: frozenset[int] = frozenset().union(*failing.values()) if failing else frozenset()
    return ConstraintCheck(failing=failing, passing=tuple(sorted(everything - broken)))


def implied_constraints(index: DishIndex, request: RecommendationRequest) -> list[tuple[str, frozenset[int]]]:
    """The implied constraints of the module docstring, each as the dishes it would exclude. They are not
    part of ``check_constraints`` (nor of its counts and relaxations): ``recommend`` applies each in
    turn to the dishes that passed, while at least ``k`` of them are left."""
    found: list[tuple[str, frozenset[int]]] = []
    if request.meal in MAIN_MEALS and not request.meal_explicit:
        target = meal_targets(request.targets, request.meal).kcal
        floor = MEAL_FLOOR_SHARE * target
        if request.kcal_max is not None:
            floor = min(floor, 0.5 * request.kcal_max)
        side = SIDE_DISH_SHARE * target
        waived = meal_waived(index, request)
        found.append(("meal_floor", frozenset(
            i for i, dish in enumerate(index.dishes)
            if (meal_kcal(dish) < floor or dish.kcal < side or dish.category in NOT_A_MEAL_ALONE or dish.name in PLAIN_RICE)
            and i not in waived)))
    if request.people is not None and request.people >= PARTY_SIZE:
        shared = index.tagged({"회식"}) | index.in_categories(GROUP_CATEGORIES)
        found.append(("party", index.everything - shared - index.named(request.wanted_dishes)))
    return found


def explain_exclusions(table: Iterable[Dish], request: RecommendationRequest) -> dict[str, tuple[str, ...]]:
    """For each dish that may not be recommended, the names of the constraints it breaks."""
    index = DishIndex.of(table)
    return check_constraints(index, request).by_dish(index)


def dish_conflicts(table: Iterable[Dish], name: str, allergies: Iterable[str], diets: Iterable[str],
                   ) -> list[tuple[str, str]]:
    """``("allergy", word)`` for each of the user's allergies that ``name`` touches and ``("diet", diet)``
    for each diet it breaks, by the recommender's own matching: what an answer about that dish (a
    nutrition question, not a recommendation) must warn of, since nothing filtered it out."""
    index = DishIndex.of(table)
    position = index.positions.get(normalize_key(name))
    if position is None or index.dishes[position].name != name:
        return []
    found = [("allergy", word) for word in sorted(allergies) if position in index.matching(word, "allergy")]
    found += [("diet", diet) for diet in sorted(diets) if position in index.diet_failing.get(diet, frozenset())]
    return found


def find_relaxations(index: DishIndex, request: RecommendationRequest, check: ConstraintCheck,
                     ) -> list[tuple[tuple[str, ...], int, float | None]]:
    """What could be relaxed when fewer than ``k`` dishes fit: ``(constraints, available, value)`` each.

    Each relaxable constraint alone first: only dishes whose *sole* broken constraint is that one come
    back, so each count is exact for relaxing that constraint alone. Numeric constraints are loosened
    just far enough to reach ``k`` dishes where that is possible (``value`` = the new threshold),
    else dropped. Only when no single relaxation brings back anything are pairs tried (both dropped),
    so the user still hears a way forward. Sorted by ``available``, largest first; the Korean wording
    is added by ``reasons``.
    """
    have = len(check.passing)
    if have >= request.k:
        return []
    broken_by: dict[int, set[str]] = {}
    for name, positions in check.failing.items():
        for position in positions:
            broken_by.setdefault(position, set()).add(name)
    relaxable = [name for name in RELAXABLE if name in check.failing]
    needed = request.k - have
    found: list[tuple[tuple[str, ...], int, float | None]] = []
    for name in relaxable:
        back = sorted(p for p, names in broken_by.items() if names == {name})
        if not back:
            continue
        value: float | None = None
        measure = _THRESHOLDS.get(name)
        if measure is not None and len(back) >= needed:
            ordered = sorted((measure(index.dishes[p]) for p in back), reverse=(name == "kcal_min"))
            value = float(math.floor(ordered[needed - 1]) if name == "kcal_min" else math.ceil(ordered[needed - 1]))
            back = [p for p in back if _within(name, measure(index.dishes[p]), value)]
        found.append(((name,), have + len(back), value))
    if not found:
        for pair in combinations(relaxable, 2):
            count = sum(1 for names in broken_by.values() if names <= set(pair))
            if count:
                found.append((pair, have + count, None))
    order = {name: rank for rank, name in enumerate(RELAXABLE)}
    return sorted(found, key=lambda item: (-item[1], [order[name] for name in item[0]]))


_THRESHOLDS = {
    "kcal_max": lambda dish: float(dish.kcal),
    "kcal_min": lambda dish: float(dish.kcal),
    "diet:저염": lambda dish: float(dish.sodium_mg),
}
"""Numeric constraints that can be loosened step by step rather than dropped."""


def _within(name: str, amount: float, value: float) -> bool:
    return amount >= value if name == "kcal_min" else amount <= value

