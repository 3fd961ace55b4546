"""「오늘 뭐 먹었지?」, 「지금까지 몇 칼로리 먹었어?」: the day's log read back against the user's targets.

The web app shows the same numbers in its today panel; this is the chat's (and the CLI's) way to see them.
``report_intake`` puts the day on the Turn (``turn.intake``) from the stored meal logs — their nutrition
snapshots, never a recomputation — and ``intake_lines`` phrases it: what was eaten, the totals against the
day's targets, and the one gap most worth closing at the next meal.
"""

from __future__ import annotations

from typing import Any

from mechuri.conversation import log_strings as L
from mechuri.conversation import strings as S
from mechuri.conversation.actions import TurnServices
from mechuri.conversation.turn import Turn
from mechuri.knowledge import vocab
from mechuri.knowledge.korean import attach, particle
from mechuri.memory import day_summary
from mechuri.nlu import Understanding
from mechuri.units import amount

MEAL_ORDER = ("아침", "점심", "저녁", "간식", "야식")
DAY_NUTRIENTS = ("kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg")
NUTRIENT_LABELS = {key: vocab.NUTRIENT_LABELS[key] for key in DAY_NUTRIENTS}
"""The nutrients a day's intake is read back with, in that order (labels from the vocabulary)."""
UNITS = {key: vocab.NUTRIENT_UNITS[key] for key in DAY_NUTRIENTS}


def report_intake(u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """Read the day asked about (today, 어제 or 그저께) from the meal log, with its targets and what is left."""
    day_offset = u.day_offset
    summary = day_summary(sv.session, sv.user, sv.now, sv.timezone, day_offset=day_offset)
    t = summary.targets
    meals = sorted(summary.meals, key=lambda m: (MEAL_ORDER.index(m.meal_type) if m.meal_type in MEAL_ORDER
                                                  else len(MEAL_ORDER), m.eaten_at))
    turn.intake = {
        "day": summary.day.isoformat(),
        "day_offset": day_offset,
        "meals": [{"id": m.id, "meal": m.meal_type, "name": m.food_name, "servings": m.servings,
                   "kcal": round(float(m.nutrition.get("kcal", 0.0))),
                   "kcal_only": bool(m.nutrition.get("kcal_only"))} for m in meals],
        "totals": {key: round(summary.totals.get(key, 0.0), 1) for key in NUTRIENT_LABELS},
        "targets": {"kcal": round(t.kcal), "carbohydrate_g": [round(t.carbohydrate_g.min), round(t.carbohydrate_g.max)],
                    "protein_g": [round(t.protein_g.min), round(t.protein_g.max)],
                    "fat_g": [round(t.fat_g.min), round(t.fat_g.max)], "sodium_mg_max": round(t.sodium_mg_max)},
        "asked": list(u.nutrients),
    }


def _amount(key: str, value: float) -> str:
    """A total as the 오늘 chart writes it (mechuri.units): grams keep their decimal, halves round up."""
    return amount(value, UNITS[key])


def intake_lines(turn: Turn) -> list[str]:
    """The day in a few short lines: meals, totals against targets, and the gap worth closing next."""
    data: dict[str, Any] | None = turn.intake
    if data is None:
        return []
    day = S.DAY_WORDS.get(data["day_offset"], "오늘")
    if not data["meals"]:
        return [f"{attach(day, '은/는')} 아직 기록된 식사가 없어요. 「점심에 ○○ 먹었어」처럼 드신 음식을 말해 주시면 기록해 둘게요."]
    by_meal: dict[str, list[str]] = {}
    for meal in data["meals"]:
        servings = "" if meal["servings"] == 1 else f" {meal['servings']:g}인분"
        by_meal.setdefault(meal["meal"], []).append(f"{meal['name']}{servings}")
    eaten_text = ", ".join(f"{meal} {'·'.join(names)}" for meal, names in by_meal.items())
    lines = [f"{day} 드신 건 {eaten_text}{particle(eaten_text, '이에요/예요')}."]
    totals, targets = data["totals"], data["targets"]
    asked = [key for key in data["asked"] if key in NUTRIENT_LABELS]
    shown = asked or list(NUTRIENT_LABELS)
    lines.append("합계 " + " · ".join(f"{NUTRIENT_LABELS[k]} {_amount(k, totals[k])}" for k in shown) + ".")
    kcal_only = [meal["name"] for meal in data["meals"] if meal.get("kcal_only")]
    if kcal_only:
        lines.append(L.INTAKE_KCAL_ONLY.format(names=", ".join(kcal_only)))
    eaten, goal = totals["kcal"], targets["kcal"]
    if eaten <= goal:
        lines.append(f"하루 목표 {amount(goal, 'kcal')}까지 {amount(goal - eaten, 'kcal')} 남았어요.")
    else:
        lines.append(f"하루 목표 {amount(goal, 'kcal')}보다 {amount(eaten - goal, 'kcal')} 더 드셨어요.")
    if totals["sodium_mg"] > targets["sodium_mg_max"]:
        lines.append(f"나트륨은 이미 하루 기준 {targets['sodium_mg_max']:,}mg을 넘었어요. 다음 끼니는 싱겁게 드세요.")
    elif eaten <= goal and totals["protein_g"] < targets["protein_g"][0] * eaten / max(goal, 1) * 0.8:
        lines.append("먹은 양에 비해 단백질이 적은 편이에요. 다음 끼니에 단백질을 챙겨 보세요.")
    return lines
