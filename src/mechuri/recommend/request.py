"""What the recommender is asked: one plain, immutable ``RecommendationRequest`` per chat turn.

The dialogue manager gathers everything here — the message's slots, the remembered profile, today's
meals, recent recommendations — so that ``recommend()`` reads no database and no clock. That keeps it
fast, deterministic and testable with nothing but the food table.

Words that drive hard constraints (meal, diets, goal) are checked against the closed vocabularies at
construction: a diet the recommender does not know would otherwise be silently ignored, which is the
one failure a constraint must never have.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from mechuri.knowledge.targets import NutritionTargets, default_targets
from mechuri.knowledge.vocab import DIETS, GOALS, MEALS, NUTRIENT_FIELDS
from mechuri.recommend.taste import TasteModel

_FROZEN_SET_FIELDS = (
    "allergies", "excluded", "diets", "wanted_tags", "wanted_categories", "wanted_cuisines",
    "wanted_ingredients", "wanted_dishes", "liked", "avoid_names", "situations",
)


def freeze_words(request: Any, names: tuple[str, ...]) -> None:
    """Set each field of ``names`` on a frozen dataclass to a frozenset of its stripped, non-empty words
    (callers pass sets, lists or tuples); a bare string is refused — it would become a set of letters."""
    for name in names:
        value: Any = getattr(request, name)
        if isinstance(value, str):
            raise TypeError(f"{name} must be a collection of words, not the string {value!r}")
        object.__setattr__(request, name, frozenset(word.strip() for word in value if word and word.strip()))


def check_diets(diets: frozenset[str]) -> None:
    unknown = sorted(diets - set(DIETS))
    if unknown:
        raise ValueError(f"unknown diets {unknown}; known: {', '.join(DIETS)}")


@dataclass(frozen=True)
class RecommendationRequest:
    """Everything one recommendation depends on; see the module docstring for why it is all here.

    Hard (never broken; see ``constraints``): ``allergies``, ``excluded``, ``diets``, ``kcal_max`` /
    ``kcal_min``, meal suitability, ``wanted_tags`` (all of them), ``wanted_categories`` (any),
    ``wanted_cuisines`` (any) and ``avoid_names``. Only some of these may be offered for relaxation,
    and only to the user — never applied silently.

    Soft (only change the order; see ``scoring``): ``wanted_ingredients`` and ``wanted_dishes``
    (strongly), ``liked``, ``goal``, ``situations``, ``people``, ``cheap``, ``recent`` and today's meals.
    """

    meal: str | None = None
    """아침/점심/저녁/간식/야식, or None when the user did not say and the caller cannot tell."""
    meal_explicit: bool = False
    """The user insisted on this kind of dish for this meal (삼겹살 at 아침): skip meal suitability."""
    k: int = 3
    kcal_max: float | None = None
    kcal_min: float | None = None
    allergies: frozenset[str] = frozenset()
    """Allergen words (새우, 밀 …), other ingredients (오이, 복숭아 …) or groups (갑각류, 견과류 …)."""
    excluded: frozenset[str] = frozenset()
    """Dislikes and this message's exclusions: tags, ingredients, categories, cuisines, dish names, groups."""
    diets: frozenset[str] = frozenset()
    """Words of ``vocab.DIETS``."""
    goal: str | None = None
    """A word of ``vocab.GOALS``."""
    wanted_tags: frozenset[str] = frozenset()
    wanted_categories: frozenset[str] = frozenset()
    wanted_cuisines: frozenset[str] = frozenset()
    wanted_ingredients: frozenset[str] = frozenset()
    wanted_dishes: frozenset[str] = frozenset()
    liked: frozenset[str] = frozenset()
    """Remembered likes: tags, ingredients, categories, cuisines or dish names."""
    targets: NutritionTargets = field(default_factory=default_targets)
    """The day's targets (``compute_targets`` or ``default_targets``); per-meal shares come from them."""
    eaten_totals: Mapping[str, float] = field(default_factory=dict)
    """What was eaten today so far, summed, keyed by ``vocab.NUTRIENT_FIELDS`` (missing keys are 0)."""
    eaten_meals: tuple[str, ...] = ()
    """Meal types already eaten today, in order (the last one is what reasons refer to: 「점심의 …」)."""
    recent: Mapping[str, int] = field(default_factory=dict)
    """Dish name → whole days since it was last recommended or eaten (0 = today)."""
    avoid_names: frozenset[str] = frozenset()
    """Dishes shown in the previous answer, left out when the user asks for 「다른 거」."""
    people: int | None = None
    cheap: bool = False
    situations: frozenset[str] = frozenset()
    """비오는날, 해장, 여름, 겨울, 혼밥, 회식, 스트레스 … (see ``scoring.SITUATION_TAGS``); 아이 (eating with a
    child) is a hard constraint: nothing spicy (``constraints.CHILD_SITUATION``)."""
    situations_inferred: bool = False
    """True when ``situations`` were not said but guessed by the caller (the season, from the date): scored
    as the lighter ``season`` component instead of ``situation`` (``scoring.WEIGHTS``)."""
    seed: int | None = None
    """Seeds the Plackett–Luce draw and the discovery slot (``sampling``); None ranks deterministically
    by score then name. The dialogue manager derives it from the user, the day and the request's rank
    within the day, so the same seed always gives the same list."""
    taste: TasteModel | None = field(default=None, compare=False, hash=False)
    """The person's learned taste (``recommend.taste``), or None: it adds the ``taste`` component, a
    Thompson draw from the model's posterior seeded like the list (explore where it is unsure)."""

    def __post_init__(self) -> None:
        """Normalise collections (callers pass sets or lists) and refuse words no constraint knows."""
        freeze_words(self, _FROZEN_SET_FIELDS)
        object.__setattr__(self, "eaten_meals", tuple(self.eaten_meals))
        object.__setattr__(self, "eaten_totals", MappingProxyType(dict(self.eaten_totals)))
        object.__setattr__(self, "recent", MappingProxyType(dict(self.recent)))
        if self.meal is not None and self.meal not in MEALS:
            raise ValueError(f"meal must be one of {', '.join(MEALS)}; got {self.meal!r}")
        for meal in self.eaten_meals:
            if meal not in MEALS:
                raise ValueError(f"eaten_meals must be words of {', '.join(MEALS)}; got {meal!r}")
        check_diets(self.diets)
        if self.goal is not None and self.goal not in GOALS:
            raise ValueError(f"goal must be one of {', '.join(GOALS)}; got {self.goal!r}")
        unknown = sorted(set(self.eaten_totals) - set(NUTRIENT_FIELDS))
        if unknown:
            raise ValueError(f"unknown nutrients in eaten_totals {unknown}; known: {', '.join(NUTRIENT_FIELDS)}")
        if self.k < 1:
            raise ValueError(f"k must be at least 1; got {self.k}")
        if self.people is not None and self.people < 1:
            raise ValueError(f"people must be at least 1; got {self.people}")

    def eaten(self, nutrient: str) -> float:
        """How much of ``nutrient`` was eaten today (0 when nothing was logged)."""
        return float(self.eaten_totals.get(nutrient, 0.0))
