"""What a plan is: days of meals of dishes, each day's totals and the checks against its targets.

The checks are computed here from the table's numbers, not taken from the solver: the solver works in
rounded integers, and the user is shown what the food table says. ``MealPlan.to_json`` is the shape the
Turn's ``plan`` carries (``[{day, meals: [{meal, name, serving_g, kcal, …}], totals}]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.targets import NutritionTargets
from mechuri.knowledge.vocab import NUTRIENT_FIELDS
from mechuri.plan.composition import Role
from mechuri.plan.request import ENERGY_TOLERANCE, PlanRequest

ITEM_KEYS: tuple[str, ...] = (
    "name", "cuisine", "category", "servings", "serving_g", "kcal", "carbohydrate_g", "sugar_g", "protein_g",
    "fat_g", "saturated_fat_g", "sodium_mg", "fiber_g", "allergens", "tags", "estimated",
)
"""Keys of one planned dish in JSON: the recommendation keys of ARCHITECTURE's contract, and more."""


@dataclass(frozen=True)
class PlannedItem:
    """One dish of one meal, with the servings planned (rice may be half a bowl or one and a half)."""

    dish: Dish
    servings: float = 1.0
    role: Role = "main"
    fixed: bool = False
    """The user said they will eat this (「점심은 짜장면 먹을 거야」); planned around, not chosen."""

    def nutrition(self) -> dict[str, float]:
        return {key: getattr(self.dish, key) * self.servings for key in NUTRIENT_FIELDS}

    def to_json(self, meal: str) -> dict[str, Any]:
        data = self.dish.to_dict(self.servings)
        item = {"meal": meal, **{key: data[key] for key in ITEM_KEYS}}
        item.update(role=self.role, fixed=self.fixed)
        return item


@dataclass(frozen=True)
class PlannedMeal:
    """One meal of a day: its dishes in serving order (main, rice, sides, extra)."""

    meal: str
    items: tuple[PlannedItem, ...]

    @property
    def fixed(self) -> bool:
        return any(item.fixed for item in self.items)

    @property
    def names(self) -> list[str]:
        return [item.dish.name for item in self.items]

    def kcal(self) -> float:
        return sum(item.dish.kcal * item.servings for item in self.items)


@dataclass(frozen=True)
class DayCheck:
    """How one day measures against its targets; ``ok`` fields are what tests and the benchmark count."""

    energy_error_pct: float
    """(planned − target) / target × 100, signed."""
    energy_ok: bool
    carbohydrate_ok: bool
    protein_ok: bool
    fat_ok: bool
    sodium_ok: bool

    @property
    def macros_ok(self) -> bool:
        return self.carbohydrate_ok and self.protein_ok and self.fat_ok

    def to_json(self) -> dict[str, Any]:
        return {"energy_error_pct": round(self.energy_error_pct, 2), "energy_ok": self.energy_ok,
                "carbohydrate_ok": self.carbohydrate_ok, "protein_ok": self.protein_ok, "fat_ok": self.fat_ok,
                "sodium_ok": self.sodium_ok}


def check_day(totals: dict[str, float], targets: NutritionTargets) -> DayCheck:
    """Compare a day's totals with its targets; a tiny epsilon absorbs float noise at a range's edge."""
    eps = 1e-6
    error = (totals["kcal"] - targets.kcal) / targets.kcal * 100
    inside = {name: getattr(targets, name).min - eps <= totals[name] <= getattr(targets, name).max + eps
              for name in ("carbohydrate_g", "protein_g", "fat_g")}
    return DayCheck(
        energy_error_pct=error,
        energy_ok=abs(error) <= ENERGY_TOLERANCE * 100 + eps,
        carbohydrate_ok=inside["carbohydrate_g"],
        protein_ok=inside["protein_g"],
        fat_ok=inside["fat_g"],
        sodium_ok=totals["sodium_mg"] <= targets.sodium_mg_max + eps,
    )


@dataclass(frozen=True)
class PlanDay:
    """One planned day: its meals, its targets (the planned meals' share) and how it measures up."""

    day: int
    meals: tuple[PlannedMeal, ...]
    targets: NutritionTargets

    @property
    def items(self) -> list[PlannedItem]:
        return [item for meal in self.meals for item in meal.items]

    def totals(self) -> dict[str, float]:
        sums = dict.fromkeys(NUTRIENT_FIELDS, 0.0)
        for item in self.items:
            for key, value in item.nutrition().items():
                sums[key] += value
        return sums

    def check(self) -> DayCheck:
        return check_day(self.totals(), self.targets)

    def to_json(self) -> dict[str, Any]:
        totals = self.totals()
        t = self.targets
        return {
            "day": self.day,
            "meals": [item.to_json(meal.meal) for meal in self.meals for item in meal.items],
            "totals": {key: round(value) if key in ("kcal", "sodium_mg") else round(value, 1)
                       for key, value in totals.items()},
            "target": {"kcal": round(t.kcal), "carbohydrate_g": [round(t.carbohydrate_g.min), round(t.carbohydrate_g.max)],
                       "protein_g": [round(t.protein_g.min), round(t.protein_g.max)],
                       "fat_g": [round(t.fat_g.min), round(t.fat_g.max)], "sodium_mg_max": round(t.sodium_mg_max)},
            "checks": self.check().to_json(),
        }


@dataclass
class MealPlan:
    """The planner's answer: the days, or — when no plan can meet the request — why, in Korean.

    ``feasible`` is False only when no plan was produced; ``problems_ko`` then says what cannot fit with
    what. ``notes_ko`` are honest remarks on a produced plan (sodium over the line because the allowed
    dishes are salty, a fixed dish that breaks an allergy, repeats the pool forced …).
    """

    request: PlanRequest
    days: list[PlanDay] = field(default_factory=list)
    feasible: bool = True
    problems_ko: list[str] = field(default_factory=list)
    notes_ko: list[str] = field(default_factory=list)
    status: str = ""
    """The solver's verdict (OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN) or the check that stopped it."""
    solve_seconds: float = 0.0
    repeats_allowed: bool = False
    """True when the pool was too small for a week without repeats and repeats had to be allowed."""

    @property
    def planned_items(self) -> list[PlannedItem]:
        """Every dish the planner chose (fixed dishes are the user's, not chosen)."""
        return [item for day in self.days for item in day.items if not item.fixed]

    def to_json(self) -> list[dict[str, Any]]:
        return [day.to_json() for day in self.days]
