"""The plan view's API: a day or a week planned for the caller the way chat plans it, each day dated.

Why a second entry beside chat: the plan view is a form (days, meals, an energy target, dishes already
decided), so its request is read from fields rather than from a Korean sentence. Everything else is chat's
own code — the remembered allergies, dislikes and diets as hard constraints, the profile's targets with the
goal (``goal_targets``), recent dishes avoided, today's logged meals kept in a day plan, ``plan_meals`` —
so the plan view and 「오늘 하루 식단 짜줘」 never plan differently for the same person.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from mechuri.conversation.planning import eaten_today, goal_targets, recently_served, request_meta
from mechuri.db.models import User
from mechuri.knowledge.foods import FoodTable
from mechuri.knowledge.lookup import FoodLookup
from mechuri.knowledge.vocab import GOALS, MEALS
from mechuri.memory import day_summary, preference_sets
from mechuri.plan import PLAN_DAYS, PlanRequest, plan_meals
from mechuri.plan.request import MAX_DAY_KCAL, MIN_DAY_KCAL
from mechuri.recommend.constraints import HardConstraints
from mechuri.web import strings as S
from mechuri.web.errors import ApiError
from mechuri.web.meals import find_dish
from mechuri.web.profile import targets_out
from mechuri.web.schemas import PLAN_AVOID_MAX as MAX_AVOID
from mechuri.web.schemas import PLAN_FIXED_MAX as MAX_FIXED
from mechuri.web.schemas import PLAN_VARIANT_MAX as MAX_VARIANT
from mechuri.web.schemas import FixedMealIn, PlanDayOut, PlanIn, PlanOut, PlanRequestOut


def _checked(body: PlanIn, lookup: FoodLookup) -> dict[tuple[int, str], str]:
    """The fixed meals by their table names, or a 422 naming every problem by field (in Korean)."""
    problems: dict[str, str] = {}
    choices = ", ".join(MEALS)
    if body.days not in PLAN_DAYS:
        problems["days"] = S.PLAN_DAYS
    if any(meal not in MEALS for meal in body.meals):
        problems["meals"] = S.PLAN_MEAL_WORD.format(choices=choices)
    elif not body.meals:
        problems["meals"] = S.PLAN_NO_MEALS
    if any(meal not in MEALS for meal in body.skip_meals):
        problems["skip_meals"] = S.PLAN_MEAL_WORD.format(choices=choices)
    elif set(body.meals) & set(body.skip_meals):
        problems["skip_meals"] = S.PLAN_MEAL_BOTH
    if body.kcal_target is not None and not MIN_DAY_KCAL <= body.kcal_target <= MAX_DAY_KCAL:  # also NaN
        problems["kcal_target"] = S.PLAN_KCAL.format(min=MIN_DAY_KCAL, max=MAX_DAY_KCAL)
    if body.goal is not None and body.goal not in GOALS:
        problems["goal"] = S.PLAN_GOAL.format(choices=", ".join(GOALS))
    if not 0 <= body.variant <= MAX_VARIANT:
        problems["variant"] = S.PLAN_VARIANT.format(max=MAX_VARIANT)
    if len(body.avoid_dishes) > MAX_AVOID:
        problems["avoid_dishes"] = S.PLAN_AVOID.format(max=MAX_AVOID)
    fixed: dict[tuple[int, str], str] = {}
    if len(body.fixed) > MAX_FIXED:
        problems["fixed"] = S.PLAN_FIXED_MANY.format(max=MAX_FIXED)
    days = body.days if body.days in PLAN_DAYS else max(PLAN_DAYS)
    for number, item in enumerate(body.fixed[:MAX_FIXED]):
        where = f"fixed[{number}]"
        if not 1 <= item.day <= days:
            problems[f"{where}.day"] = S.PLAN_FIXED_DAY.format(days=days)
        if item.meal not in MEALS:
            problems[f"{where}.meal"] = S.PLAN_MEAL_WORD.format(choices=choices)
        elif item.meal in body.skip_meals:
            problems[f"{where}.meal"] = S.PLAN_FIXED_SKIPPED
        elif (item.day, item.meal) in fixed:
            problems[f"{where}.meal"] = S.PLAN_FIXED_TWICE
        dish = find_dish(lookup, item.name)
        if isinstance(dish, str):
            problems[f"{where}.name"] = dish
        else:
            fixed[item.day, item.meal] = dish.name
    if problems:
        raise ApiError(422, "invalid_input", next(iter(problems.values())), details=problems)
    return fixed


def plan_for(session: Session, user: User, body: PlanIn, table: FoodTable, lookup: FoodLookup, now: datetime,
             timezone: str) -> PlanOut:
    """Plan what ``body`` asks for ``user``; an impossible plan is a normal answer (``feasible`` False)."""
    asked = _checked(body, lookup)
    fixed = dict(asked)
    prefs = preference_sets(session, user)
    hard = HardConstraints.of(prefs)
    summary = day_summary(session, user, now, timezone)
    goal = body.goal or next(iter(sorted(prefs["goal"])), None)
    targets = goal_targets(user, summary.targets, goal)
    eaten: dict[tuple[int, str], tuple[tuple[str, float], ...]] = {}
    if body.days == 1 and body.use_today:  # as chat does: the rest of today is planned around what was eaten
        eaten = {key: items for key, items in eaten_today(summary, body.meals, table).items() if key not in fixed}
    avoid = frozenset(body.avoid_dishes) | recently_served(session, user, now)  # a ValueError here is a bug: a 500
    try:
        request = PlanRequest(
            days=body.days, meals=(*body.meals, *body.skip_meals), skip_meals=tuple(body.skip_meals), fixed=fixed,
            eaten=eaten,
            kcal_target=body.kcal_target, allergies=hard.allergies, excluded=hard.excluded,
            diets=hard.diets, liked=prefs["like"], variant=body.variant, avoid_dishes=avoid,
        )
    except ValueError as exc:  # everything PlanRequest refuses was checked above; this is a safety net
        raise ApiError(422, "invalid_input", S.BAD_INPUT) from exc
    plan = plan_meals(table, request, targets)
    first = now.astimezone(ZoneInfo(timezone)).date()
    days = [PlanDayOut(**day, date=(first + timedelta(days=day["day"] - 1)).isoformat()) for day in plan.to_json()]
    meta = request_meta(request, plan)
    return PlanOut(
        feasible=plan.feasible, plan=days, problems=plan.problems_ko, notes=plan.notes_ko,
        request=PlanRequestOut(
            days=request.days, meals=[m for m in request.meals if m not in request.skip_meals],
            skip_meals=list(request.skip_meals), kcal_target=request.kcal_target,
            fixed=[FixedMealIn(day=day, meal=meal, name=name) for (day, meal), name in sorted(asked.items())],
            goal=goal, variant=request.variant, dishes=meta["dishes"]),
        targets=targets_out(targets), target_kcal=round(request.kcal_target or targets.kcal),
        already_logged=[meal for meal in request.day_meals(1) if (1, meal) in eaten],
        solve_seconds=round(plan.solve_seconds, 3),
    )
