"""Food the table lacks, said as eaten: with the energy the user gave it is a custom meal log (its
nutrition snapshot holds only ``kcal`` and ``kcal_only: true``: the other nutrients are unknown, not 0),
counted in the day's energy and read back honestly by 「오늘 뭐 먹었지?」; without it, the reply says it was
not logged and how to give the energy."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from mechuri.conversation.turn import CustomLoggedMeal, MealLogOutcome, Turn
from mechuri.db import crud
from mechuri.memory import typical_eaten_at
from mechuri.nlu import Understanding, meal_at

KCAL_ONLY = "kcal_only"
"""The snapshot key that marks a custom entry: only its energy is known."""


def log_custom(u: Understanding, turn: Turn, outcome: MealLogOutcome, sv) -> None:
    """Write each 「식빵 2장 200kcal」 of the message; note each food eaten that the table lacks."""
    local_now = sv.now.astimezone(ZoneInfo(sv.timezone))
    for item in u.custom_meals:
        meal = item.meal or u.slots.meal or meal_at(local_now)
        day = local_now.date() + timedelta(days=item.day_offset)
        eaten_at = typical_eaten_at(meal, day, sv.now, sv.timezone)
        row = crud.log_meal(sv.session, sv.user, food_name=item.name[:64], meal_type=meal, servings=1.0,
                            nutrition={"kcal": round(item.kcal), KCAL_ONLY: True}, eaten_at=eaten_at,
                            source_message=sv.message)
        turn.custom_logged.append(CustomLoggedMeal(id=row.id, name=row.food_name, meal=meal, kcal=round(item.kcal),
                                                   eaten_at=row.eaten_at.isoformat()))
    outcome.unknown += [name for name in u.unlisted_eaten if name not in outcome.unknown]
