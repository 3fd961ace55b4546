"""Logging a meal from the web (「이 식단 기록하기」): dish names in, the food table's numbers stored.

Why names only: a client that could send its own kcal could write any number into someone's history, and
every later recommendation and plan would balance against it. So the body names dishes and servings, the
server looks each dish up, and ``memory.log_eaten_meal`` stores the table's snapshot — exactly as a meal
said in chat is stored.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from mechuri.db import crud
from mechuri.db.models import MEAL_TYPES, MealLog, User
from mechuri.knowledge.foods import Dish, FoodTable
from mechuri.knowledge.lookup import FoodLookup
from mechuri.knowledge.vocab import NUTRIENT_FIELDS
from mechuri.memory import log_eaten_meal, typical_eaten_at
from mechuri.web import strings as S
from mechuri.web.errors import ApiError
from mechuri.web.schemas import MEAL_ITEMS_MAX as MAX_ITEMS
from mechuri.web.schemas import SERVINGS_RANGE, MealEditIn, MealLogIn

MAX_AGE_DAYS = 7
"""How far back a meal may be dated: "recent" in memory means the last 7 days, older logs change nothing."""
CLOCK_SLACK = timedelta(minutes=2)
"""A browser's clock a little ahead of the server's must not turn 「지금」 into the future (editing a time)."""


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


def _edit_problems(body: MealEditIn, now: datetime, timezone: str) -> dict[str, str]:
    """Field → Korean problem for an edit (the same rules as logging: servings, meal words, 7 days back)."""
    problems: dict[str, str] = {}
    if body.servings is None and body.meal is None and body.eaten_at is None:
        problems["body"] = S.MEAL_EDIT_EMPTY
    if body.meal is not None and body.meal not in MEAL_TYPES:
        problems["meal"] = S.MEAL_TYPE.format(choices=", ".join(MEAL_TYPES))
    low, high = SERVINGS_RANGE
    if body.servings is not None and not low <= body.servings <= high:  # also refuses NaN
        problems["servings"] = S.MEAL_SERVINGS.format(min=low, max=high)
    if body.eaten_at is not None:
        zone = ZoneInfo(timezone)
        when = body.eaten_at if body.eaten_at.tzinfo else body.eaten_at.replace(tzinfo=zone)
        oldest = datetime.combine(now.astimezone(zone).date() - timedelta(days=MAX_AGE_DAYS), time(0), tzinfo=zone)
        if when > now + CLOCK_SLACK:
            problems["eaten_at"] = S.MEAL_TIME_FUTURE
        elif when < oldest:
            problems["eaten_at"] = S.MEAL_DATE_OLD.format(days=MAX_AGE_DAYS)
    return problems



def rescaled_snapshot(meal: MealLog, servings: float, table: FoodTable) -> dict[str, Any]:
    """The nutrition snapshot for ``servings`` of the meal's dish: the food table's own numbers when the dish
    is still there (as logging stores them), else the stored snapshot scaled, rounded the way the table rounds."""
    dish = table.get(meal.food_name)
    if dish is not None:
        return dish.to_dict(servings)
    ratio = servings / meal.servings
    snapshot = dict(meal.nutrition)
    for key in NUTRIENT_FIELDS:
        if isinstance(snapshot.get(key), (int, float)):
            value = snapshot[key] * ratio
            snapshot[key] = round(value) if key in ("kcal", "sodium_mg") else round(value, 1)
    if isinstance(snapshot.get("serving_g"), (int, float)):
        snapshot["serving_g"] = round(snapshot["serving_g"] * ratio)
    snapshot["servings"] = servings
    return snapshot


def edit_meal(session: Session, user: User, meal_id: int, body: MealEditIn, table: FoodTable, now: datetime,
              timezone: str) -> MealLog:
    """Change the servings, meal or time of one of ``user``'s logged meals (another's id: a 404).

    Why servings recompute the nutrition instead of taking numbers: the same reason logging takes names
    only — what is stored is always the food table's numbers for what was eaten.
    """
    try:
        meal = crud.get_meal(session, user, meal_id)
    except crud.NotFoundError as exc:
        raise ApiError(404, "not_found", S.NOT_FOUND) from exc
    problems = _edit_problems(body, now, timezone)
    if problems:
        raise ApiError(422, "invalid_input", next(iter(problems.values())), details=problems)
    if body.servings is not None and body.servings != meal.servings:
        meal.nutrition = rescaled_snapshot(meal, body.servings, table)
        meal.servings = body.servings
    if body.meal is not None:
        meal.meal_type = body.meal
    if body.eaten_at is not None:
        meal.eaten_at = body.eaten_at if body.eaten_at.tzinfo else body.eaten_at.replace(tzinfo=ZoneInfo(timezone))
    session.flush()
    return meal
