"""Logging meals with the food table's numbers, and recalling what was eaten or recommended lately."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from mechuri.db import crud
from mechuri.db.models import MealLog, Message, User
from mechuri.knowledge.foods import Dish


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
