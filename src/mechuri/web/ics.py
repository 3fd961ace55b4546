"""A meal plan as an iCalendar file (RFC 5545): one event per planned meal, at the meal's usual time.

Why the server writes it rather than the page: the numbers in each event (kcal, sodium …) must be the food
table's, so the body names dishes and servings only — as logging a meal does — and the server looks them
up; the usual meal times (``memory.meals.TYPICAL_MEAL_TIME``) and the time zone are the server's too.
Times are written in UTC (``…Z``), which every calendar reads without a VTIMEZONE block. Each event's UID is
a digest of the user, day, meal and dishes, so importing the same plan twice updates rather than doubles it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from mechuri.db.models import MEAL_TYPES
from mechuri.knowledge.foods import Dish
from mechuri.knowledge.lookup import FoodLookup
from mechuri.memory.meals import TYPICAL_MEAL_TIME
from mechuri.units import amount
from mechuri.web import strings as S
from mechuri.web.errors import ApiError
from mechuri.web.meals import MAX_ITEMS, SERVINGS_RANGE, find_dish
from mechuri.web.schemas import IcsIn

MAX_DAYS = 7
"""A plan is a day or a week."""
DATE_WINDOW = (-7, 31)
"""Days before and after today a planned day may fall on: a week plan saved a few days late still exports."""
MEAL_MINUTES = 30
"""How long each meal event lasts in the calendar."""
LINE_OCTETS = 75
"""RFC 5545 §3.1: lines longer than 75 octets are folded."""


def _checked(body: IcsIn, lookup: FoodLookup, today: date) -> list[tuple[date, str, list[tuple[Dish, float]]]]:
    """The meals to write with their dishes from the table, or a 422 naming every problem by field."""
    problems: dict[str, str] = {}
    if not 1 <= len(body.days) <= MAX_DAYS:
        problems["days"] = S.ICS_DAYS.format(max=MAX_DAYS)
    low, high = SERVINGS_RANGE
    meals: list[tuple[date, str, list[tuple[Dish, float]]]] = []
    for d, day in enumerate(body.days[:MAX_DAYS]):
        if not DATE_WINDOW[0] <= (day.date - today).days <= DATE_WINDOW[1]:
            problems[f"days[{d}].date"] = S.ICS_DATE.format(before=-DATE_WINDOW[0], after=DATE_WINDOW[1])
        if not day.meals:
            problems[f"days[{d}].meals"] = S.PLAN_NO_MEALS
        for m, meal in enumerate(day.meals[: len(MEAL_TYPES)]):
            where = f"days[{d}].meals[{m}]"
            if meal.meal not in MEAL_TYPES:
                problems[f"{where}.meal"] = S.MEAL_TYPE.format(choices=", ".join(MEAL_TYPES))
            if not 1 <= len(meal.items) <= MAX_ITEMS:
                problems[f"{where}.items"] = S.MEAL_ITEMS.format(max=MAX_ITEMS)
            dishes: list[tuple[Dish, float]] = []
            for i, item in enumerate(meal.items[:MAX_ITEMS]):
                if not low <= item.servings <= high:
                    problems[f"{where}.items[{i}].servings"] = S.MEAL_SERVINGS.format(min=low, max=high)
                dish = find_dish(lookup, item.name)
                if isinstance(dish, str):
                    problems[f"{where}.items[{i}].name"] = dish
                else:
                    dishes.append((dish, item.servings))
            meals.append((day.date, meal.meal, dishes))
    if problems:
        raise ApiError(422, "invalid_input", next(iter(problems.values())), details=problems)
    return meals


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, newlines as ``\\n``."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 character (Korean is 3 octets a syllable)."""
    parts: list[str] = []
    current, size = "", 0
    limit = LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, LINE_OCTETS - 1  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _portion(servings: float) -> str:
    return f"{servings:g}인분"


def plan_calendar(body: IcsIn, lookup: FoodLookup, user_id: int, now: datetime, timezone: str) -> str:
    """The iCalendar text (CRLF line ends) for the plan's meals."""
    zone = ZoneInfo(timezone)
    meals = _checked(body, lookup, now.astimezone(zone).date())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//mechuri//meal plan//KO", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape(S.ICS_CALENDAR_NAME)}", f"X-WR-TIMEZONE:{timezone}"]
    for day, meal, dishes in meals:
        start = datetime.combine(day, TYPICAL_MEAL_TIME[meal], tzinfo=zone)
        numbers = [(dish, servings, dish.nutrition(servings)) for dish, servings in dishes]
        kcal = sum(n["kcal"] for _, _, n in numbers)
        sodium = sum(n["sodium_mg"] for _, _, n in numbers)
        names = ", ".join(dish.name for dish, _, _ in numbers)
        detail = [S.ICS_DISH.format(name=dish.name, portion=_portion(servings), kcal=amount(n["kcal"], "kcal"),
                                    carbohydrate=amount(n["carbohydrate_g"], "g"), protein=amount(n["protein_g"], "g"),
                                    fat=amount(n["fat_g"], "g"), sodium=amount(n["sodium_mg"], "mg"))
                  for dish, servings, n in numbers]
        detail.append(S.ICS_TOTAL.format(kcal=amount(kcal, "kcal"), sodium=amount(sodium, "mg")))
        key = f"{user_id}|{day.isoformat()}|{meal}|" + "|".join(f"{d.name}:{s:g}" for d, s, _ in numbers)
        uid = hashlib.sha256(key.encode()).hexdigest()[:24]
        lines += ["BEGIN:VEVENT", f"UID:{uid}@mechuri", f"DTSTAMP:{_stamp(now)}", f"DTSTART:{_stamp(start)}",
                  f"DTEND:{_stamp(start + timedelta(minutes=MEAL_MINUTES))}",
                  f"SUMMARY:{escape(S.ICS_SUMMARY.format(meal=meal, names=names, kcal=amount(kcal, 'kcal')))}",
                  f"DESCRIPTION:{escape(chr(10).join(detail))}", "CATEGORIES:" + escape(S.ICS_CATEGORY),
                  "TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
