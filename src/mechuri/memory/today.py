"""A user's day: their targets, the meals eaten, totals and what is left — "today" in their timezone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from mechuri.db import crud
from mechuri.db.models import MealLog, User
from mechuri.knowledge.targets import NutritionTargets, age_from_birth_year, compute_targets, default_targets
from mechuri.knowledge.vocab import NUTRIENT_FIELDS


def user_targets(user: User, today: date) -> NutritionTargets:
    """Targets from the profile when sex and birth year are known; the documented default otherwise.

    A profile that is partly filled (height without weight) still gets its KDRI band; only a complete
    body profile switches to Mifflin–St Jeor (``compute_targets`` decides).
    """
    if user.sex in ("M", "F") and user.birth_year:
        try:
            age = age_from_birth_year(user.birth_year, today)
            return compute_targets(user.sex, age, height_cm=user.height_cm, weight_kg=user.weight_kg,
                                   activity=user.activity_level, goal=user.goal or "maintain")  # type: ignore[arg-type]
        except ValueError:
            pass  # a profile the targets cannot use falls back to the default rather than failing a chat turn
    return default_targets()


def day_bounds(now: datetime, timezone: str, day_offset: int = 0) -> tuple[datetime, datetime]:
    """The start and end (UTC) of the local calendar day ``day_offset`` days from ``now``."""
    zone = ZoneInfo(timezone)
    local_day = now.astimezone(zone).date() + timedelta(days=day_offset)
    start = datetime.combine(local_day, time(0), tzinfo=zone)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


@dataclass
class DaySummary:
    """What the user ate on one local day against their targets."""

    day: date
    targets: NutritionTargets
    meals: list[MealLog] = field(default_factory=list)
    totals: dict[str, float] = field(default_factory=dict)

    @property
    def remaining_kcal(self) -> float:
        return self.targets.kcal - self.totals.get("kcal", 0.0)

    @property
    def meal_types(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(meal.meal_type for meal in self.meals))


def day_summary(session: Session, user: User, now: datetime, timezone: str, day_offset: int = 0) -> DaySummary:
    """Meals and nutrient totals for the user's local day, with the targets they are measured against."""
    start, end = day_bounds(now, timezone, day_offset)
    meals = crud.meals_between(session, user, start, end)
    totals = {key: 0.0 for key in NUTRIENT_FIELDS}
    for meal in meals:
        for key in NUTRIENT_FIELDS:
            totals[key] += float(meal.nutrition.get(key, 0.0))
    totals = {key: round(value, 1) for key, value in totals.items()}
    local_day = now.astimezone(ZoneInfo(timezone)).date() + timedelta(days=day_offset)
    return DaySummary(day=local_day, targets=user_targets(user, local_day), meals=meals, totals=totals)
