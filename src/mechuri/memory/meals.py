"""Logging meals with the food table's numbers, and recalling what was eaten or recommended lately."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from mechuri.db import crud
from mechuri.db.models import MealLog, Message, User
from mechuri.knowledge.foods import Dish

TYPICAL_MEAL_TIME: Final = {"아침": time(8), "점심": time(12, 30), "저녁": time(19), "간식": time(16), "야식": time(22)}
"""When each meal is usually eaten: a meal logged after the fact ("점심에 비빔밥 먹었어") is placed here."""


def typical_eaten_at(meal: str, day: date, now: datetime, timezone: str) -> datetime:
    """When a ``meal`` of the local ``day`` was eaten, as far as a log can tell: its usual time, but never
    later than ``now`` (a lunch logged at 11:40 was eaten before it was logged, and "today" must stay today)."""
    zone = ZoneInfo(timezone)
    return min(datetime.combine(day, TYPICAL_MEAL_TIME[meal], tzinfo=zone), now.astimezone(zone))


def log_eaten_meal(session: Session, user: User, dish: Dish, *, meal: str, servings: float = 1.0,
                   eaten_at: datetime, source_message: Message | None = None) -> MealLog:
    """Store a meal with a nutrition snapshot for the servings eaten, so totals never depend on later
    edits of the table."""
    snapshot = dish.to_dict(servings)
    return crud.log_meal(session, user, food_name=dish.name, meal_type=meal, servings=servings,
                         nutrition=snapshot, eaten_at=eaten_at, source_message=source_message)


def recent_foods(session: Session, user: User, now: datetime, days: int = 7) -> dict[str, int]:
    """Dish name → whole days since it was last eaten or recommended (0 = today), over the last ``days``."""
    since = now - timedelta(days=days)
    recent: dict[str, int] = {}
    eaten = crud.meals_between(session, user, since, now + timedelta(days=1))
    recommended = crud.recommended_since(session, user, since)
    for name, when in [(m.food_name, m.eaten_at) for m in eaten] + [(r.food_name, r.created_at) for r in recommended]:
        age = max(0, (now - when).days)
        recent[name] = min(age, recent.get(name, age))
    return recent
