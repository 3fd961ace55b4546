"""Logging a meal from the web (「이 식단 기록하기」): dish names in, the food table's numbers stored.

Why names only: a client that could send its own kcal could write any number into someone's history, and
every later recommendation and plan would balance against it. So the body names dishes and servings, the
server looks each dish up, and ``memory.log_eaten_meal`` stores the table's snapshot — exactly as a meal
said in chat is stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from mechuri.db.models import MEAL_TYPES, MealLog, User
from mechuri.knowledge.foods import Dish
from mechuri.knowledge.lookup import FoodLookup
from mechuri.memory import log_eaten_meal, typical_eaten_at
from mechuri.web import strings as S
from mechuri.web.errors import ApiError
from mechuri.web.schemas import MEAL_ITEMS_MAX as MAX_ITEMS
from mechuri.web.schemas import SERVINGS_RANGE, MealLogIn

MAX_AGE_DAYS = 7
"""How far back a meal may be dated: "recent" in memory means the last 7 days, older logs change nothing."""


def find_dish(lookup: FoodLookup, name: str) -> Dish | str:
    """The dish ``name`` means (exact, alias or a confident typo match), or a Korean reason it was not found."""
    found = lookup.resolve(name)
    if found.dish is not None:
        return found.dish
    shown = name.strip()[:32]
    if found.suggestions:
        return S.DISH_UNKNOWN_SUGGEST.format(name=shown, suggestions=", ".join(found.suggestions))
    return S.DISH_UNKNOWN.format(name=shown)


def _checked(body: MealLogIn, lookup: FoodLookup, today: date) -> list[tuple[Dish, float]]:
    """The dishes and servings to store, or a 422 naming every problem by field."""
    problems: dict[str, str] = {}
    if body.meal not in MEAL_TYPES:
        problems["meal"] = S.MEAL_TYPE.format(choices=", ".join(MEAL_TYPES))
    if not 1 <= len(body.items) <= MAX_ITEMS:
        problems["items"] = S.MEAL_ITEMS.format(max=MAX_ITEMS)
    if body.date is not None and body.date > today:
        problems["date"] = S.MEAL_DATE_FUTURE
    elif body.date is not None and body.date < today - timedelta(days=MAX_AGE_DAYS):
        problems["date"] = S.MEAL_DATE_OLD.format(days=MAX_AGE_DAYS)
    dishes: list[tuple[Dish, float]] = []
    low, high = SERVINGS_RANGE
    for number, item in enumerate(body.items[:MAX_ITEMS]):
        if not low <= item.servings <= high:  # also refuses NaN
            problems[f"items[{number}].servings"] = S.MEAL_SERVINGS.format(min=low, max=high)
        dish = find_dish(lookup, item.name)
        if isinstance(dish, str):
            problems[f"items[{number}].name"] = dish
        else:
            dishes.append((dish, item.servings))
    if problems:
        raise ApiError(422, "invalid_input", next(iter(problems.values())), details=problems)
    return dishes


def log_meal(session: Session, user: User, body: MealLogIn, lookup: FoodLookup, now: datetime,
             timezone: str) -> list[MealLog]:
    """Store one meal (all its dishes, or none of them) at the meal's usual time of the day it was eaten."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    dishes = _checked(body, lookup, today)
    eaten_at = typical_eaten_at(body.meal, body.date or today, now, timezone)
    return [log_eaten_meal(session, user, dish, meal=body.meal, servings=servings, eaten_at=eaten_at)
            for dish, servings in dishes]
