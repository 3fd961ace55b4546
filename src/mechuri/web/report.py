"""The weekly report: seven local days of logged meals against the user's targets, the best and worst day,
and one concrete suggestion drawn from those days and the food table.

Why the bands are the today view's and the plan's (kcal ±5 %, the KDRI gram ranges, the sodium cap, with the
remembered goal applied by ``profile.goal_applied``): a day that is green in the 오늘 tab or follows a plan
must be green here too. Why a day counts as short of a target only when it is over and had at least two
meals logged: by lunch today nobody has eaten a day's energy yet, and a day with one meal logged says more
about logging than about eating; going over a line counts on any day. Days with nothing logged are shown as
such and judged on nothing — an unlogged day is missing data, not a bad day — and the best and worst day
are chosen among the complete ones (past days with two or more meals logged) only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from mechuri.db import crud
from mechuri.db.models import User
from mechuri.knowledge.foods import Dish, FoodTable
from mechuri.knowledge.korean import attach, particle
from mechuri.knowledge.targets import NutritionTargets
from mechuri.knowledge.vocab import NUTRIENT_LABELS, NUTRIENT_UNITS
from mechuri.memory import preference_sets, user_targets
from mechuri.plan.composition import is_sugary_drink
from mechuri.recommend.constraints import NOT_A_MEAL_ALONE, HardConstraints, check_constraints
from mechuri.recommend.index import DishIndex
from mechuri.units import amount, band_end
from mechuri.web.profile import goal_applied, targets_out
from mechuri.web.schemas import ReportDayOut, ReportDishOut, ReportSuggestionOut, WeekReportOut

REPORT_DAYS = 7
NUTRIENTS: tuple[str, ...] = ("kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg")
"""What the report follows: energy, the three macronutrients and sodium (the issues a diet app is used for)."""
COMPLETE_DAY_MEALS = 2
"""Meals (아침, 점심 …) a past day needs logged before its shortfalls count (see the module docstring)."""
KCAL_BAND = 0.05
"""±5 % around the energy target: the band a plan is held to and the today chart draws."""
KCAL_PER_G = {"carbohydrate_g": 4.0, "protein_g": 4.0, "fat_g": 9.0}

Direction = Literal["over", "under"]
PRIORITY: tuple[tuple[str, Direction], ...] = (
    ("sodium_mg", "over"), ("kcal", "over"), ("fat_g", "over"), ("carbohydrate_g", "over"),
    ("protein_g", "under"), ("kcal", "under"), ("carbohydrate_g", "under"), ("fat_g", "under"),
    ("protein_g", "over"),
)
"""Which problem the suggestion is about when several are equally frequent: too much salt first (the
most common Korean excess, KDRI's chronic-disease line), then too much energy, then the rest."""
SWAP_KCAL = (0.7, 1.3)
"""A swap for a nutrient other than energy keeps the meal about as filling: within ±30 % of its kcal."""
SWAP_GAIN = 0.8
"""…and must cut the nutrient by at least a fifth, or it is not worth suggesting."""
ADD_KCAL = (100.0, 700.0)
"""A dish suggested to add to a day: a real dish, not a meal and a half."""


def bands(targets: NutritionTargets) -> dict[str, tuple[float, float]]:
    """Nutrient → [min, max] a day should land in."""
    return {
        "kcal": (targets.kcal * (1 - KCAL_BAND), targets.kcal * (1 + KCAL_BAND)),
        "carbohydrate_g": (targets.carbohydrate_g.min, targets.carbohydrate_g.max),
        "protein_g": (targets.protein_g.min, targets.protein_g.max),
        "fat_g": (targets.fat_g.min, targets.fat_g.max),
        "sodium_mg": (0.0, targets.sodium_mg_max),
    }


def _state(value: float, band: tuple[float, float]) -> str:
    low, high = band
    return "over" if value > high else "under" if value < low else "ok"


def _miss(value: float, band: tuple[float, float], counts_under: bool) -> float:
    """How far outside its band a total is, as a share of the band's top (0 inside it)."""
    low, high = band
    if value > high:
        return (value - high) / high
    if value < low and counts_under:
        return (low - value) / high
    return 0.0


def week_report(session: Session, user: User, now: datetime, timezone: str, table: FoodTable) -> WeekReportOut:
    """The last seven local days (today included) of ``user``'s logged meals against their targets."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=REPORT_DAYS - 1)
    targets = goal_applied(session, user, user_targets(user, today))
    limits = bands(targets)
    start = datetime.combine(first, time(0), tzinfo=zone)
    meals = crud.meals_between(session, user, start, start + timedelta(days=REPORT_DAYS))
    by_day: dict[date, list] = defaultdict(list)
    for meal in meals:
        by_day[meal.eaten_at.astimezone(zone).date()].append(meal)

    days: list[ReportDayOut] = []
    counts: dict[str, Counter[str]] = {key: Counter() for key in NUTRIENTS}
    for offset in range(REPORT_DAYS):
        day = first + timedelta(days=offset)
        eaten = by_day.get(day, [])
        totals = {key: round(sum(float(m.nutrition.get(key, 0.0)) for m in eaten), 1) for key in NUTRIENTS}
        if not eaten:
            days.append(ReportDayOut(date=day.isoformat(), meals=0, totals=totals, status=None, score=None,
                                     complete=False))
            continue
        complete = day < today and len({m.meal_type for m in eaten}) >= COMPLETE_DAY_MEALS
        status = {key: _state(totals[key], limits[key]) for key in NUTRIENTS}
        for key, state in status.items():
            if state == "over" or (state == "under" and complete):
                counts[key][state] += 1
        score = round(sum(_miss(totals[key], limits[key], complete) for key in NUTRIENTS), 3)
        days.append(ReportDayOut(date=day.isoformat(), meals=len(eaten), totals=totals, status=status, score=score,
                                 complete=complete))

    logged = [day for day in days if day.score is not None]
    judged = [day for day in logged if day.complete]  # a day half logged is neither good nor bad
    best = min(judged, key=lambda d: (d.score, d.date), default=None)
    worst = max(judged, key=lambda d: (d.score, d.date), default=None) if len(judged) > 1 else None
    if worst is not None and best is not None and worst.score == best.score:
        worst = None  # every logged day equally good (or bad): no day to single out
    return WeekReportOut(
        start=first.isoformat(), end=today.isoformat(), timezone=timezone, targets=targets_out(targets),
        bands={key: [round(low, 1), round(high, 1)] for key, (low, high) in limits.items()},
        days=days, logged_days=len(logged), best=best.date if best else None, worst=worst.date if worst else None,
        counts={key: {"over": counts[key]["over"], "under": counts[key]["under"]} for key in NUTRIENTS},
        suggestion=_suggestion(session, user, table, meals, days, counts, limits),
    )


def _allowed(session: Session, user: User, table: FoodTable) -> list[Dish]:
    """Dishes the user may be offered at all: allergies, dislikes and diets kept, as everywhere else."""
    index = DishIndex.of(table)
    request = HardConstraints.of(preference_sets(session, user)).as_request()
    return [index.dishes[p] for p in check_constraints(index, request).passing
            if not is_sugary_drink(index.dishes[p])]


def _dish_out(dish: Dish) -> ReportDishOut:
    numbers = dish.nutrition()
    return ReportDishOut(name=dish.name, serving_g=dish.serving_g, **{key: numbers[key] for key in NUTRIENTS})


def _swap(culprit: Dish, key: str, allowed: list[Dish]) -> Dish | None:
    """A dish of the same kind as ``culprit`` with clearly less of ``key`` (about as filling, unless the
    problem is energy itself), or None when the table has none."""
    def fits(dish: Dish) -> bool:
        if dish.name == culprit.name or getattr(dish, key) > getattr(culprit, key) * SWAP_GAIN:
            return False
        if key == "kcal":
            return dish.kcal >= culprit.kcal * 0.4  # still a meal
        return SWAP_KCAL[0] * culprit.kcal <= dish.kcal <= SWAP_KCAL[1] * culprit.kcal

    same_kind = [d for d in allowed if d.category == culprit.category and fits(d)]
    pool = same_kind or [d for d in allowed if set(d.meals) & set(culprit.meals)
                         and d.category not in NOT_A_MEAL_ALONE and fits(d)]
    return min(pool, key=lambda d: (getattr(d, key), d.name), default=None)


def _addition(key: str, allowed: list[Dish], shortfall: float) -> Dish | None:
    """A dish that brings the most of ``key`` per kcal (for energy itself: the one nearest the shortfall)."""
    pool = [d for d in allowed if ADD_KCAL[0] <= d.kcal <= ADD_KCAL[1] and d.category not in ("음료", "디저트")]
    if key == "kcal":
        return min(pool, key=lambda d: (abs(d.kcal - shortfall), d.sodium_mg, d.name), default=None)
    return max(pool, key=lambda d: (getattr(d, key) * KCAL_PER_G[key] / d.kcal, -d.sodium_mg, d.name), default=None)


def _suggestion(session: Session, user: User, table: FoodTable, meals: list, days_out: list[ReportDayOut],
                counts: dict[str, Counter[str]], limits: dict[str, tuple[float, float]]) -> ReportSuggestionOut:
    """One thing to change, about the problem the week had most often, with a dish from the table."""
    logged = sum(1 for day in days_out if day.score is not None)
    if not logged:
        return ReportSuggestionOut(nutrient=None, direction=None, days=0, text=NO_LOGS)
    ranked = sorted(PRIORITY, key=lambda pair: (-counts[pair[0]][pair[1]], PRIORITY.index(pair)))
    key, direction = ranked[0]
    days = counts[key][direction]
    if not days:
        return ReportSuggestionOut(nutrient=None, direction=None, days=0, text=ALL_GOOD.format(days=logged))
    label, unit = NUTRIENT_LABELS[key], NUTRIENT_UNITS[key]
    allowed = _allowed(session, user, table)
    if direction == "over":
        text = OVER.format(logged=logged, days=days, what=attach(label, "이/가"), limit=band_end(limits[key][1], unit))
        totals: Counter[str] = Counter()
        times: Counter[str] = Counter()
        for meal in meals:
            totals[meal.food_name] += float(meal.nutrition.get(key, 0.0))
            times[meal.food_name] += 1
        culprit_name, total = max(totals.items(), key=lambda item: (item[1], item[0]))
        culprit = table.get(culprit_name)
        text += CULPRIT.format(what=attach(label, "을/를"), dish=culprit_name, times=times[culprit_name],
                               amount=amount(total, unit), copula=particle(culprit_name, "이에요/예요"))
        swap = _swap(culprit, key, allowed) if culprit is not None else None
        if swap is None:
            return ReportSuggestionOut(nutrient=key, direction=direction, days=days, text=text + LESS.format(
                dish=attach(culprit_name, "은/는")), instead_of=culprit_name)
        text += SWAP.format(culprit=culprit_name, dish=swap.name, label=label, value=amount(swap.nutrition()[key], unit),
                            kcal=amount(swap.nutrition()["kcal"], "kcal"), was=amount(culprit.nutrition()[key], unit),
                            particle=particle(swap.name, "을/를"))
        return ReportSuggestionOut(nutrient=key, direction=direction, days=days, text=text, dish=_dish_out(swap),
                                   instead_of=culprit_name)
    text = UNDER.format(logged=logged, days=days, what=attach(label, "이/가"), limit=band_end(limits[key][0], unit))
    short = [limits[key][0] - day.totals[key] for day in days_out if day.status and day.status[key] == "under"]
    shortfall = sum(short) / len(short) if short else 0.0
    dish = _addition(key, allowed, shortfall)
    if dish is None:
        return ReportSuggestionOut(nutrient=key, direction=direction, days=days, text=text)
    text += ADD.format(dish=dish.name, label=label, value=amount(dish.nutrition()[key], unit),
                       kcal=amount(dish.nutrition()["kcal"], "kcal"), particle=particle(dish.name, "을/를"))
    return ReportSuggestionOut(nutrient=key, direction=direction, days=days, text=text, dish=_dish_out(dish))


NO_LOGS = "최근 7일에 기록한 식사가 없어요. “점심에 비빔밥 먹었어”처럼 말하거나 식단 탭에서 기록하면 한 주를 돌아볼 수 있어요."
ALL_GOOD = "기록한 {days}일 모두 열량·탄수화물·단백질·지방·나트륨이 목표 안이었어요. 이대로 이어 가세요!"
# Amounts are filled in by mechuri.units (「3,270mg」, 「57.5g」), the one format of the cards and replies; a
# band's line by units.band_end, whole like the chart that draws the band.
OVER = "기록한 {logged}일 중 {days}일 {what} 하루 기준({limit})을 넘었어요."
CULPRIT = " 이번 주 {what} 가장 많이 준 메뉴는 {dish}({times}번, 모두 {amount}){copula}."
SWAP = " {culprit}({was}) 대신 {dish}({label} {value}, {kcal}){particle} 골라 보세요."
LESS = " {dish} 양을 줄이거나 횟수를 줄여 보세요."
UNDER = "기록한 {logged}일 중 {days}일 {what} 하루 목표({limit})보다 적었어요."
ADD = " 한 끼에 {dish}({label} {value}, {kcal}){particle} 더해 보세요."
