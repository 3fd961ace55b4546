"""The profile form and the "today" panel: validating a body profile, and a day's meals against targets.

Validation mirrors ``knowledge.targets.compute_targets`` (same ranges, same choices, read from that
module) so that a profile the form accepts always yields personal targets instead of silently falling
back to the default ones; each problem is reported per field in Korean.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, get_args
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from mechuri.conversation.planning import goal_targets
from mechuri.db import crud
from mechuri.db.models import MealLog, User
from mechuri.knowledge import targets as T
from mechuri.knowledge.vocab import GOAL_TO_PROFILE
from mechuri.memory import DaySummary, apply_preference, preference_sets, user_targets
from mechuri.web import strings as S
from mechuri.web.errors import ApiError
from mechuri.web.schemas import MealOut, ProfileIn, ProfileOut, RangeOut, TargetsOut, TodayOut

ACTIVITIES: tuple[str, ...] = get_args(T.ActivityLevel)
GOALS: tuple[str, ...] = get_args(T.Goal)
PROFILE_TO_GOAL = {profile: korean for korean, profile in GOAL_TO_PROFILE.items()}


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def check_profile(body: ProfileIn, today: date) -> dict[str, str]:
    """Field → Korean problem for everything ``compute_targets`` would refuse (empty when valid)."""
    problems: dict[str, str] = {}
    if body.display_name is not None and not 1 <= len(body.display_name.strip()) <= 32:
        problems["display_name"] = S.PROFILE_ERRORS["display_name"]
    if body.sex is not None and body.sex not in ("M", "F"):
        problems["sex"] = S.PROFILE_ERRORS["sex"]
    if body.birth_year is not None and not T.MIN_AGE <= today.year - body.birth_year <= T.MAX_AGE:
        problems["birth_year"] = S.PROFILE_ERRORS["birth_year"].format(min=T.MIN_AGE, max=T.MAX_AGE)
    for field, (lo, hi) in (("height_cm", T.HEIGHT_RANGE_CM), ("weight_kg", T.WEIGHT_RANGE_KG)):
        value = getattr(body, field)
        if value is not None and not lo <= value <= hi:  # also refuses NaN
            problems[field] = S.PROFILE_ERRORS[field].format(lo=lo, hi=hi)
    if body.activity_level is not None and body.activity_level not in ACTIVITIES:
        problems["activity_level"] = S.PROFILE_ERRORS["activity_level"].format(choices=", ".join(ACTIVITIES))
    if body.goal is not None and body.goal not in GOALS:
        problems["goal"] = S.PROFILE_ERRORS["goal"].format(choices=", ".join(GOALS))
    if not problems and body.sex and body.birth_year:
        try:  # the final word belongs to the targets module itself
            T.compute_targets(body.sex, today.year - body.birth_year, height_cm=body.height_cm,  # type: ignore[arg-type]
                              weight_kg=body.weight_kg, activity=body.activity_level,  # type: ignore[arg-type]
                              goal=body.goal or "maintain")  # type: ignore[arg-type]
        except ValueError as exc:
            problems["profile"] = str(exc)
    return problems


def save_profile(session: Session, user: User, body: ProfileIn, today: date) -> None:
    """Replace the profile; the goal is also remembered as a preference, as if it had been said in chat."""
    problems = check_profile(body, today)
    if problems:
        raise ApiError(422, "invalid_input", next(iter(problems.values())), details=problems)
    fields: dict[str, Any] = body.model_dump(exclude={"display_name", "goal"})
    if body.display_name is not None:
        fields["display_name"] = body.display_name.strip()
    crud.update_profile(session, user, **fields)
    if body.goal is not None and body.goal != user.goal:
        apply_preference(session, user, "goal", PROFILE_TO_GOAL[body.goal], "add")
    elif body.goal is None and user.goal is not None:
        for korean in GOAL_TO_PROFILE:
            apply_preference(session, user, "goal", korean, "remove")
        crud.update_profile(session, user, goal=None)


def targets_out(targets: T.NutritionTargets) -> TargetsOut:
    def band(r: T.Range) -> RangeOut:
        return RangeOut(min=round(r.min, 1), max=round(r.max, 1))

    return TargetsOut(kcal=targets.kcal, carbohydrate_g=band(targets.carbohydrate_g),
                      protein_g=band(targets.protein_g), fat_g=band(targets.fat_g),
                      sodium_mg_max=targets.sodium_mg_max, added_sugar_max_g=round(targets.added_sugar_max_g, 1),
                      saturated_fat_max_g=round(targets.saturated_fat_max_g, 1), fiber_g=targets.fiber_g,
                      basis=targets.basis, summary=targets.summary or targets.basis)


def goal_applied(session: Session, user: User, targets: T.NutritionTargets) -> T.NutritionTargets:
    """``targets`` with the remembered goal (「다이어트 중이야」) applied the way a plan applies it
    (``goal_targets``): the today view, the profile's targets and every plan measure against one day."""
    goal = next(iter(sorted(preference_sets(session, user)["goal"])), None)
    return goal_targets(user, targets, goal)


def profile_out(user: User, today: date, session: Session | None = None) -> ProfileOut:
    targets = user_targets(user, today)
    if session is not None:
        targets = goal_applied(session, user, targets)
    return ProfileOut(
        username=user.username, display_name=user.display_name, sex=user.sex, birth_year=user.birth_year,
        height_cm=user.height_cm, weight_kg=user.weight_kg, activity_level=user.activity_level, goal=user.goal,
        targets=targets_out(targets),
        choices={"sex": ["M", "F"], "activity_level": list(ACTIVITIES), "goal": list(GOALS)},
    )


def meal_out(meal: MealLog, timezone: str) -> MealOut:
    """A logged meal, its time in the app's timezone."""
    return MealOut(id=meal.id, meal_type=meal.meal_type, food_name=meal.food_name, servings=meal.servings,
                   eaten_at=meal.eaten_at.astimezone(ZoneInfo(timezone)), nutrition=meal.nutrition)


def today_out(summary: DaySummary, timezone: str, session: Session | None = None, user: User | None = None
              ) -> TodayOut:
    """The day against its targets; given the session and user, the targets have the goal applied."""
    if session is not None and user is not None:
        summary = DaySummary(day=summary.day, targets=goal_applied(session, user, summary.targets),
                             meals=summary.meals, totals=summary.totals)
    return TodayOut(
        day=summary.day.isoformat(), timezone=timezone,
        meals=[meal_out(m, timezone) for m in summary.meals],
        totals=summary.totals, targets=targets_out(summary.targets),
        remaining_kcal=round(summary.remaining_kcal, 1),
    )
