"""Day and week meal plans that meet the user's targets under every hard constraint (HiGHS).

``plan_meals(table, request, targets)`` is the one entry point: plain data in (the food table, a
``PlanRequest``, the person's ``NutritionTargets``), a ``MealPlan`` out, no database and no clock.
"""

from mechuri.plan.planner import plan_meals
from mechuri.plan.request import DEFAULT_MEALS, ENERGY_TOLERANCE, PLAN_DAYS, PlanRequest, with_energy
from mechuri.plan.result import DayCheck, MealPlan, PlanDay, PlannedItem, PlannedMeal

__all__ = [
    "DEFAULT_MEALS", "ENERGY_TOLERANCE", "PLAN_DAYS", "DayCheck", "MealPlan", "PlanDay", "PlanRequest",
    "PlannedItem", "PlannedMeal", "plan_meals", "with_energy",
]
