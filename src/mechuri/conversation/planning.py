"""Meal plans in chat: 「오늘 하루 식단 짜줘」, 「다이어트 일주일 식단」, 「다시 짜줘」 → a ``PlanRequest`` → a plan.

``answer_plan`` builds the request from what mechuri remembers (allergies, dislikes, diets, likes, the
profile's targets, what was eaten today) and what the message says (a day or a week, meals to skip, a
dish already decided, an energy target), solves it with ``mechuri.plan`` and puts the plan on the Turn.
``plan_lines`` phrases it. The request is kept in the turn's meta, so 「다시 짜줘」 on the next turn asks
for the same plan with the next ``variant`` and the previous dishes avoided.

Everything the message says about the plan comes from the NLU (``Understanding.plan``: an energy
target 「1800kcal로」, 「아침 점심만」, 「저녁 약속」, 「다시」, 「내일」); this module never reads the text.
「다시 짜줘」 alone is understood as smalltalk: it asks for a plan only when the previous answer was one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from mechuri.conversation.actions import TurnServices
from mechuri.conversation.context import DialogueContext
from mechuri.conversation.turn import PlanAnswer, Turn
from mechuri.db.models import User
from mechuri.knowledge.foods import FoodTable
from mechuri.knowledge.targets import BULK_SURPLUS, DIET_DEFICIT, DIET_FLOOR_KCAL, NutritionTargets
from mechuri.knowledge.vocab import GOAL_TO_PROFILE
from mechuri.memory import DaySummary, day_summary, preference_sets, recent_foods
from mechuri.nlu import Understanding
from mechuri.plan import DEFAULT_MEALS, MealPlan, PlanRequest, plan_meals, with_energy
from mechuri.plan import strings as S
from mechuri.plan.composition import is_staple
from mechuri.plan.request import MEAL_ORDER
from mechuri.recommend.constraints import HardConstraints
from mechuri.units import amount

SNACK_WORDS: Final = ("간식", "야식")
GOAL_TAGS: Final = {"다이어트식": "다이어트"}
"""A plan asked 「다이어트 식단」 is a plan for the 다이어트 goal, even when no goal is remembered."""
RECENT_DAYS: Final = 2
"""Dishes eaten or recommended this recently are avoided (softly) in a fresh plan."""


def wants_replan(u: Understanding, context: DialogueContext) -> bool:
    """「다시 짜줘」, 「다른 걸로」 right after a plan: the same plan again, with other dishes."""
    if not context.plan_request or "recommend" in u.intents:
        return False
    return u.plan.again or u.intent == "another"


def answer_plan(u: Understanding, turn: Turn, sv: TurnServices) -> None:
    """Plan the day or week the message asks for and put it on ``turn`` (``plan`` and ``meta``)."""
    prefs = preference_sets(sv.session, sv.user)
    summary = day_summary(sv.session, sv.user, sv.now, sv.timezone)
    replan = wants_replan(u, sv.context)
    request = _request(u, sv, prefs, summary, sv.context.plan_request if replan else None)
    goal, targets = _targets(u, sv, prefs, summary, sv.context.plan_request.get("goal") if replan else None)
    plan = plan_meals(sv.table, request, targets)
    if replan and turn.intent != "plan":
        turn.intents = ["plan", *(i for i in turn.intents if i not in ("plan", "smalltalk", "another"))]
        turn.intent = "plan"
    turn.plan = plan.to_json()
    turn.constraints = HardConstraints.of_request(request)
    turn.plan_answer = PlanAnswer(
        feasible=plan.feasible, problems=plan.problems_ko, notes=plan.notes_ko, days=request.days,
        target_kcal=round(request.kcal_target or targets.kcal), goal=goal, replan=replan,
        skipped=list(request.skip_meals), status=plan.status, solve_seconds=round(plan.solve_seconds, 3),
        basis=targets.basis, goal_applied=targets is not summary.targets and request.kcal_target is None,
        already_logged=_already_logged(request, summary), request={**request_meta(request, plan), "goal": goal})


def _already_logged(request: PlanRequest, summary: DaySummary) -> list[str]:
    """Day 1's meals kept as already logged today, so the web card offers no second 「기록하기」: the
    meals planned around what was eaten, and a pinned dish that is the one logged."""
    eaten = {(meal.meal_type, meal.food_name) for meal in summary.meals}
    return [meal for meal in request.day_meals(1)
            if ((1, meal) in request.eaten and (1, meal) not in request.fixed)
            or (meal, request.fixed.get((1, meal))) in eaten]


def eaten_today(summary: DaySummary, meals: Iterable[str], table: FoodTable,
                ) -> dict[tuple[int, str], tuple[tuple[str, float], ...]]:
    """Today's logged meals as ``PlanRequest.eaten``: every dish of each meal at the servings logged
    (김치찌개 and 흰쌀밥 both count toward the day), for the meals the plan covers."""
    wanted = set(meals)
    eaten: dict[tuple[int, str], list[tuple[str, float]]] = {}
    for meal in summary.meals:
        if meal.meal_type in wanted and table.get(meal.food_name) is not None:
            eaten.setdefault((1, meal.meal_type), []).append((meal.food_name, float(meal.servings)))
    return {key: tuple(items) for key, items in eaten.items()}


def _request(u: Understanding, sv: TurnServices, prefs: dict[str, frozenset[str]], summary: DaySummary,
             previous: dict[str, Any] | None) -> PlanRequest:
    """The plan this message asks for; 「다시 짜줘」 starts from the previous request."""
    s = u.slots
    base: dict[str, Any] = dict(previous or {})
    days = s.plan_days or base.get("days") or 1
    meals = list(base.get("meals") or DEFAULT_MEALS)
    skip = set(base.get("skip_meals") or ()) | set(s.skip_meals)
    if u.plan.only_meals:
        listed = set(u.plan.only_meals)
        skip |= {meal for meal in DEFAULT_MEALS if meal not in listed}
        meals = [meal for meal in MEAL_ORDER if meal in listed or meal in DEFAULT_MEALS]
    skip |= set(u.plan.meals_out)
    if s.meal in SNACK_WORDS and s.meal not in meals:
        meals.append(s.meal)
    fixed = {(int(d), m): name for d, m, name in base.get("fixed", [])}
    fixed.update(_fixed_from_message(u, sv, meals, skip))
    eaten = {(int(d), m): tuple((name, float(servings)) for name, servings in items)
             for d, m, items in base.get("eaten", [])}
    if days == 1 and not previous and not u.plan.tomorrow:  # planned around what was already eaten today
        eaten = eaten_today(summary, [meal for meal in meals if meal not in skip], sv.table)
    kcal = u.plan.day_kcal or base.get("kcal_target")
    avoid = frozenset(base.get("dishes", ())) if previous else recently_served(sv.session, sv.user, sv.now)
    hard = HardConstraints.of(prefs, asdict(s))
    return PlanRequest(
        days=7 if days >= 7 else 1,
        meals=tuple(meals),
        skip_meals=tuple(meal for meal in skip if meal in meals),
        fixed={key: name for key, name in fixed.items() if key[0] <= (7 if days >= 7 else 1)},
        eaten={key: items for key, items in eaten.items() if days < 7},
        kcal_target=kcal,
        allergies=hard.allergies,
        excluded=hard.excluded,
        diets=hard.diets,
        liked=prefs["like"],
        wanted_tags=frozenset(s.tags_wanted) - set(GOAL_TAGS),
        avoid_dishes=avoid,
        variant=int(base.get("variant", -1)) + 1 if previous else 0,
    )


def _fixed_from_message(u: Understanding, sv: TurnServices, meals: list[str], skip: set[str],
                        ) -> dict[tuple[int, str], str]:
    """「점심은 회사에서 짜장면 먹을 거야」: the named dish at the named meal (or the first meal it suits)."""
    fixed: dict[tuple[int, str], str] = {}
    for name in u.slots.dishes_wanted:
        dish = sv.table.get(name)
        if dish is None:
            continue
        meal = u.slots.meal if u.slots.meal in MEAL_ORDER and len(u.slots.dishes_wanted) == 1 else None
        if meal is None:
            meal = next((m for m in meals if m in dish.meals and m not in skip and (1, m) not in fixed), None)
        if meal is not None:
            fixed[1, meal] = dish.name
            if meal not in meals:
                meals.append(meal)
    return fixed


def _targets(u: Understanding, sv: TurnServices, prefs: dict[str, frozenset[str]], summary: DaySummary,
             previous_goal: str | None = None) -> tuple[str | None, NutritionTargets]:
    """The profile's daily targets with the plan's goal: 「다이어트 식단」, the previous plan's, or the remembered one."""
    goal = next((GOAL_TAGS[t] for t in u.slots.tags_wanted if t in GOAL_TAGS), None)
    goal = goal or previous_goal or next(iter(sorted(prefs["goal"])), None)
    return goal, goal_targets(sv.user, summary.targets, goal)


def goal_targets(user: User, targets: NutritionTargets, goal: str | None) -> NutritionTargets:
    """``targets`` (the profile's) with a plan's goal applied, when the profile has not applied it already
    (no complete profile, or another goal on it) — shared by chat and the web plan view, so both plan the
    same day for the same person."""
    profile_applies = user.sex in ("M", "F") and bool(user.birth_year)
    if goal not in ("다이어트", "벌크업") or (profile_applies and user.goal == GOAL_TO_PROFILE[goal]):
        return targets
    if goal == "다이어트":
        floor = DIET_FLOOR_KCAL.get(user.sex or "", min(DIET_FLOOR_KCAL.values()))
        kcal = max(targets.kcal * (1 - DIET_DEFICIT), floor)
        note = f"다이어트 −{round(DIET_DEFICIT * 100)}%"
        words = f"다이어트라 {round(DIET_DEFICIT * 100)}% 줄임"
    else:
        kcal = targets.kcal * (1 + BULK_SURPLUS)
        note = f"벌크업 +{round(BULK_SURPLUS * 100)}%"
        words = f"벌크업이라 {round(BULK_SURPLUS * 100)}% 늘림"
    return with_energy(targets, math.ceil(kcal / 10) * 10, note=note, words=f"{targets.summary}, {words}")


def recently_served(session: Session, user: User, now: datetime) -> frozenset[str]:
    """Dishes eaten or recommended in the last ``RECENT_DAYS``: a fresh plan avoids them where it can."""
    recent = recent_foods(session, user, now, RECENT_DAYS)
    return frozenset(name for name, age in recent.items() if age < RECENT_DAYS)


def request_meta(request: PlanRequest, plan: MealPlan) -> dict[str, Any]:
    """The request as JSON, with the planned dishes, for 「다시 짜줘」 on the next turn."""
    return {
        "days": request.days, "meals": list(request.meals), "skip_meals": list(request.skip_meals),
        "fixed": [[day, meal, name] for (day, meal), name in sorted(request.fixed.items())],
        "eaten": [[day, meal, [list(item) for item in items]] for (day, meal), items in sorted(request.eaten.items())],
        "kcal_target": request.kcal_target, "variant": request.variant,
        "dishes": sorted({item.dish.name for item in plan.planned_items if not is_staple(item.dish.name)}),
    }


def _item_text(item: dict[str, Any]) -> str:
    portion = S.SERVING_RICE.get(item["servings"], "") if item["role"] == "rice" else ""
    return f"{item['name']} {portion}".strip()


def _meals_of(day: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in day["meals"]:
        grouped.setdefault(item["meal"], []).append(item)
    return list(grouped.items())


def plan_lines(turn: Turn) -> list[str]:
    """The compact Korean reply for a plan turn: the meals, the day's totals, honest notes."""
    if turn.plan is None or turn.plan_answer is None:
        return []
    info = turn.plan_answer.model_dump()
    if not info.get("feasible", True) or not turn.plan:
        return [S.PLAN_FAILED, *info.get("problems", []), S.PLAN_FAILED_HINT]
    lines = [S.PLAN_INTRO_AGAIN] if info.get("replan") else []
    intro = S.PLAN_INTRO_WEEK if info.get("days", 1) > 1 else S.PLAN_INTRO_DAY
    lines.append(intro.format(target=amount(info.get("target_kcal", 0), "kcal")))
    if info.get("goal_applied") and info.get("goal") in S.PLAN_GOAL:
        lines.append(S.PLAN_GOAL[info["goal"]])
    if info.get("skipped"):
        lines.append(S.PLAN_SKIPPED.format(meals=S.join_ko(info["skipped"]),
                                           kcal=amount(turn.plan[0]["target"]["kcal"], "kcal")))
    fixed: dict[str, list[str]] = {}
    for day in turn.plan[:1]:
        for item in day["meals"]:
            if item["fixed"]:
                fixed.setdefault(item["meal"], []).append(item["name"])
    if fixed:  # 「점심 김치찌개·흰쌀밥은 그대로 두고 짰어요」
        lines.append(S.PLAN_FIXED.format(items=", ".join(f"{meal} {'·'.join(names)}" for meal, names in fixed.items())))
    if len(turn.plan) == 1:
        day = turn.plan[0]
        for meal, items in _meals_of(day):
            kcal = sum(item["kcal"] for item in items)
            lines.append(S.PLAN_MEAL_LINE.format(meal=meal, items=", ".join(map(_item_text, items)),
                                                 kcal=amount(kcal, "kcal")))
        totals = day["totals"]
        lines.append(S.PLAN_DAY_TOTAL.format(
            kcal=amount(totals["kcal"], "kcal"), error=day["checks"]["energy_error_pct"],
            carb=amount(totals["carbohydrate_g"], "g"), protein=amount(totals["protein_g"], "g"),
            fat=amount(totals["fat_g"], "g"), sodium=amount(totals["sodium_mg"], "mg")))
    else:
        for day in turn.plan:
            meals = " / ".join("·".join(map(_item_text, items)) for _meal, items in _meals_of(day))
            lines.append(S.PLAN_DAY_LINE.format(day=day["day"], meals=meals, kcal=amount(day["totals"]["kcal"], "kcal")))
        average = sum(day["totals"]["kcal"] for day in turn.plan) / len(turn.plan)
        worst = max(abs(day["checks"]["energy_error_pct"]) for day in turn.plan)
        lines.append(S.PLAN_WEEK_TOTAL.format(kcal=amount(average, "kcal"), worst=worst))
    lines += info.get("notes", [])
    lines.append(S.PLAN_OUTRO)
    return lines
