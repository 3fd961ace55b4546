"""``plan_meals``: turn a ``PlanRequest`` into a ``MealPlan`` — candidates, solver, checks, honest notes.

Steps: the recommender's constraint check decides which dishes may be planned (one implementation of
the hard constraints for the whole product) → cheap bounds catch the plans that cannot exist and say
why → each day, in order, is solved as a small MILP (``solver``) over the dishes not yet used, its
meals' options cut to the best-fitting few dozen (``candidates``) → the plan is measured from the
table's numbers (``result``).

Why day by day: one MILP for the whole week (≈10,000 binaries, seven interchangeable days) took HiGHS
tens of seconds on two cores, while seven day models of a few hundred binaries take well under two
seconds together. The week's rules stay exact — a dish used on an earlier day is simply not offered
again, and categories already served cost more — and when a day cannot be met from what is left,
that day is solved again with the whole pool, then with repeats allowed (and the reply says so).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from mechuri.knowledge.foods import Dish, FoodTable
from mechuri.knowledge.korean import resolve_particles
from mechuri.knowledge.targets import NutritionTargets
from mechuri.plan import strings as S
from mechuri.plan.candidates import day_slots, option_costs, slot_range
from mechuri.plan.composition import dish_role, is_staple, is_sugary_drink
from mechuri.plan.request import ENERGY_TOLERANCE, PlanRequest
from mechuri.plan.result import MealPlan, PlanDay, PlannedItem, PlannedMeal
from mechuri.plan.solver import (
    LOOSE_MEAL_BANDS,
    MEAL_BANDS,
    DayFrame,
    Option,
    Slot,
    Solution,
    soft_penalty,
    solve,
)
from mechuri.recommend.audit import violations
from mechuri.recommend.constraints import check_constraints
from mechuri.recommend.index import DishIndex
from mechuri.units import amount

TIGHT_TOLERANCE = 0.02
"""The energy band tried first: the promise is ±5 %, but a day that can land within ±2 % should."""
WIDE = 3
TIERS: tuple[tuple[int | None, float, bool, bool], ...] = (
    # shortlist width (None: every option), energy tolerance, loose meal bands, repeats allowed
    (1, TIGHT_TOLERANCE, False, False),
    (1, ENERGY_TOLERANCE, False, False),
    (WIDE, ENERGY_TOLERANCE, False, False),
    (None, ENERGY_TOLERANCE, True, False),
    (WIDE, ENERGY_TOLERANCE, True, True),
    (None, ENERGY_TOLERANCE, True, True),
)
"""How one day is asked, in order, until it solves: the shortlist within ±2 % and then ±5 %, a wider
list, every option with loose meal bands, and — for a week whose pool ran dry — repeats allowed (once a
day needed them, the later days start there: the pool only shrinks). The last tier offers every
option, so no tier in between can make a possible day "impossible"."""
ROLE_ORDER = {"main": 0, "rice": 1, "side": 2, "extra": 3}
Pinned = dict[tuple[int, str], tuple[tuple[Dish, float], ...]]
"""(day, meal) → the dishes planned around there, with servings: fixed dishes and meals already eaten."""


def plan_meals(table: FoodTable | Iterable[Dish], request: PlanRequest, targets: NutritionTargets) -> MealPlan:
    """Plan ``request.days`` days for someone whose daily targets are ``targets``.

    Returns a ``MealPlan`` whose days each meet the energy target within ±5 % and keep every hard
    constraint, with macronutrients inside their ranges and sodium under its cap whenever the allowed
    dishes make that possible (``notes_ko`` says where they did not). When no plan exists, ``feasible``
    is False and ``problems_ko`` names what cannot fit with what.
    """
    dishes = tuple(table)
    by_name = {dish.name: dish for dish in dishes}
    index = DishIndex.of(table)
    hard = request.hard_request()
    pins = request.pinned()
    pinned_names = {name for items in pins.values() for name, _servings in items}
    allowed = [dish for p in check_constraints(index, hard).passing
               if not is_sugary_drink(dish := index.dishes[p]) or dish.name in pinned_names]
    constraints_ko = S.constraints_text(request.allergies, request.excluded, request.diets)
    plan = MealPlan(request=request)

    fixed: Pinned = {}
    for (day, meal), items in pins.items():
        dishes_here = []
        for name, servings in items:
            dish = by_name.get(name)
            if dish is None:
                raise ValueError(f"fixed dish {name!r} is not in the food table")
            dishes_here.append((dish, servings))
            if violations(dish, hard):
                plan.notes_ko.append(S.NOTE_FIXED_BREAKS.format(meal=meal, name=name, constraints=constraints_ko))
        fixed[day, meal] = tuple(dishes_here)
    fixed_names = {d.name for items in fixed.values() for d, _servings in items if not is_staple(d.name)}
    costs = option_costs(dishes, request)
    frames = [_frame(request, targets, fixed, day) for day in range(1, request.days + 1)]

    whole = [d for d in allowed if request.allow_repeats or d.name not in fixed_names]
    problems = _impossible(frames, [day_slots(f, whole, request, fixed, costs, width=None) for f in frames],
                           fixed, constraints_ko, request.days)
    if problems:
        plan.feasible, plan.problems_ko, plan.status = False, [resolve_particles(p) for p in problems], "BOUNDS"
        return plan

    used: Counter[str] = Counter(fixed_names)
    categories: Counter[str] = Counter()
    days: list[PlanDay] = []
    statuses: list[str] = []
    start = 0
    for frame in frames:
        solution, repeated = _solve_day(frame, allowed, used, categories, request, fixed, costs, start)
        if repeated:
            start = next(i for i, tier in enumerate(TIERS) if tier[3])
        plan.solve_seconds += solution.seconds
        statuses.append(solution.status)
        if not solution.chosen:
            plan.feasible, plan.status = False, solution.status
            plan.problems_ko = [resolve_particles(_why_not(frame, allowed, request, fixed, costs, constraints_ko))]
            return plan
        plan.repeats_allowed |= repeated
        day = _build_day(frame, request, fixed, solution)
        for item in day.items:
            if not item.fixed and not is_staple(item.dish.name):
                used[item.dish.name] += 1
            if item.role == "main":
                categories[item.dish.category] += 1
        days.append(day)
    plan.days = days
    plan.status = max(statuses, key=statuses.count)
    plan.notes_ko = [resolve_particles(note) for note in (*plan.notes_ko, *_notes(plan))]
    return plan


def _frame(request: PlanRequest, targets: NutritionTargets, fixed: Pinned, day: int) -> DayFrame:
    frame = DayFrame(day=day, targets=request.day_targets(targets, day))
    for meal in request.day_meals(day):
        for dish, servings in fixed.get((day, meal), ()):
            frame.fixed.append(Option(dish, servings, dish_role(dish), False, 0.0))
    return frame


def _solve_day(frame: DayFrame, allowed: list[Dish], used: Counter[str], categories: Counter[str],
               request: PlanRequest, fixed: Pinned,
               costs: dict[str, float], start: int = 0) -> tuple[Solution, bool]:
    """One day, in tiers from the quickest to the most permissive (see ``TIERS``, from ``start``);
    returns the first solution and whether it needed repeats."""
    fresh = [d for d in allowed if request.allow_repeats or d.name not in used]
    seconds = 0.0
    solution = Solution(status="NOT_RUN", chosen={}, seconds=0.0)
    for width, tolerance, loose, repeats in TIERS[start:]:
        if repeats and (request.allow_repeats or request.days == 1):
            continue
        pool = allowed if repeats else fresh
        slots = day_slots(frame, pool, request, fixed, costs, width=width, categories=categories,
                          used=used if repeats else None)
        bands = LOOSE_MEAL_BANDS if loose else MEAL_BANDS
        solution = solve([frame], slots, tolerance=tolerance, bands=bands)
        seconds += solution.seconds
        if not solution.chosen:
            continue
        if width == 1 and _penalty(frame, solution):
            # The shortlist missed a band or the sodium cap: ask again with a shortlist three times as
            # wide, and keep whichever plan misses less.
            full = solve([frame], day_slots(frame, pool, request, fixed, costs, width=WIDE,
                                            categories=categories), tolerance=tolerance, bands=bands)
            seconds += full.seconds
            if full.chosen and _penalty(frame, full) < _penalty(frame, solution):
                solution = full
        solution.seconds = seconds
        return solution, repeats
    solution.seconds = seconds
    return solution, False


def _penalty(frame: DayFrame, solution: Solution) -> float:
    return soft_penalty(frame, [option for options in solution.chosen.values() for option in options])


def _impossible(frames: list[DayFrame], slots_by_day: list[list[Slot]], fixed: Pinned,
                constraints_ko: str, days: int) -> list[str]:
    """Plans that cannot exist, found without the solver, each said with what cannot fit with what."""
    meals = [slot.meal for slots in slots_by_day for slot in slots]
    empty = [meal for meal in dict.fromkeys(meals)
             if any(slot_range(slot)[0] == float("inf") for slots in slots_by_day for slot in slots
                    if slot.meal == meal)]
    if empty:
        return [S.NO_DISH_FOR_MEAL.format(meal=meal, constraints=constraints_ko) for meal in empty]
    for frame, slots in zip(frames, slots_by_day, strict=True):
        ranges = [slot_range(slot) for slot in slots]
        fixed_kcal = sum(option.amounts()[0] for option in frame.fixed)
        least = fixed_kcal + sum(r[0] for r in ranges)
        most = fixed_kcal + sum(r[1] for r in ranges)
        target = frame.targets.kcal
        day_fixed = _day_fixed(fixed, frame.day)
        if least > target * (1 + ENERGY_TOLERANCE):
            return [_too_much(day_fixed, constraints_ko, _day_word(frame.day, days), target, least)]
        if most < target * (1 - ENERGY_TOLERANCE):
            return [S.TOO_LITTLE.format(constraints=_with_fixed(constraints_ko, day_fixed),
                                        day=_day_word(frame.day, days), target=_kcal(target), most=_kcal(most))]
    return []


def _why_not(frame: DayFrame, allowed: list[Dish], request: PlanRequest, fixed: Pinned,
             costs: dict[str, float], constraints_ko: str) -> str:
    """Why a day has no plan: the lightest and heaviest days the allowed dishes make (two small solves)
    against the target, or, when the target lies between them, that no combination meets it."""
    slots = day_slots(frame, allowed, request, fixed, costs, width=None)
    day_fixed = _day_fixed(fixed, frame.day)
    day, target = _day_word(frame.day, request.days), frame.targets.kcal
    fixed_kcal = sum(option.amounts()[0] for option in frame.fixed)
    extremes = []
    for extreme in ("min", "max"):
        solution = solve([frame], slots, bands=LOOSE_MEAL_BANDS, extreme=extreme)
        chosen = [o for options in solution.chosen.values() for o in options]
        extremes.append(fixed_kcal + sum(o.amounts()[0] for o in chosen) if solution.chosen else None)
    least, most = extremes
    if least is not None and least > target * (1 + ENERGY_TOLERANCE):
        return _too_much(day_fixed, constraints_ko, day, target, least)
    if most is not None and most < target * (1 - ENERGY_TOLERANCE):
        return S.TOO_LITTLE.format(constraints=_with_fixed(constraints_ko, day_fixed), day=day, target=_kcal(target),
                                   most=_kcal(most))
    return S.NO_COMBINATION.format(constraints=_with_fixed(constraints_ko, day_fixed), day=day, target=_kcal(target))


def _too_much(day_fixed: dict[str, tuple[tuple[Dish, float], ...]], constraints_ko: str, day: str, target: float,
              least: float) -> str:
    if day_fixed:
        return S.TOO_MUCH.format(fixed=_fixed_text(day_fixed), day=day, target=_kcal(target), least=_kcal(least))
    return S.TOO_MUCH_PLAIN.format(constraints=constraints_ko, day=day, target=_kcal(target), least=_kcal(least))


def _day_fixed(fixed: Pinned, day: int) -> dict[str, tuple[tuple[Dish, float], ...]]:
    return {meal: items for (d, meal), items in fixed.items() if d == day}


def _names(items: tuple[tuple[Dish, float], ...]) -> str:
    return "·".join(dish.name for dish, _servings in items)


def _fixed_text(fixed: dict[str, tuple[tuple[Dish, float], ...]]) -> str:
    return ", ".join(f"{meal} {_names(items)}({_kcal(sum(d.kcal * s for d, s in items))})"
                     for meal, items in fixed.items())


def _kcal(value: float) -> str:
    return amount(value, "kcal")


def _with_fixed(constraints_ko: str, fixed: dict[str, tuple[tuple[Dish, float], ...]]) -> str:
    described = ", ".join(f"{meal} {_names(items)}" for meal, items in fixed.items())
    if not described:
        return constraints_ko
    return described if constraints_ko == S.NO_CONSTRAINTS else f"{constraints_ko}, {described}"


def _day_word(day: int, days: int) -> str:
    return S.DAY_WORD.format(day=day) if days > 1 else S.ONE_DAY_WORD


def _build_day(frame: DayFrame, request: PlanRequest, fixed: Pinned,
               solution: Solution) -> PlanDay:
    meals = []
    for meal in request.day_meals(frame.day):
        if (frame.day, meal) in fixed:
            items: tuple[PlannedItem, ...] = tuple(PlannedItem(dish, servings, dish_role(dish), fixed=True)
                                                   for dish, servings in fixed[frame.day, meal])
        else:
            chosen = sorted(solution.chosen[frame.day, meal], key=lambda o: ROLE_ORDER[o.role])
            items = tuple(PlannedItem(o.dish, o.servings, o.role) for o in chosen)
        meals.append(PlannedMeal(meal=meal, items=items))
    return PlanDay(day=frame.day, meals=tuple(meals), targets=frame.targets)


def _notes(plan: MealPlan) -> list[str]:
    """Honest remarks on what the plan could not do (sodium, macronutrient ranges, repeats)."""
    notes = []
    total = len(plan.days)
    checks = [(day, day.check(), day.totals()) for day in plan.days]
    salty = [day.day for day, check, _ in checks if not check.sodium_ok]
    if salty:
        notes.append(_squeeze(S.NOTE_SODIUM.format(days=S.days_text(salty, total),
                                                   cap=amount(plan.days[0].targets.sodium_mg_max, "mg"))))
    for nutrient, flag in (("carbohydrate_g", "carbohydrate_ok"), ("protein_g", "protein_ok"), ("fat_g", "fat_ok")):
        missed = [(day, totals) for day, check, totals in checks if not getattr(check, flag)]
        if missed:
            day, totals = missed[0]
            band = getattr(day.targets, nutrient)
            detail = f"{totals[nutrient]:.0f}g, 범위 {band.min:.0f}–{band.max:.0f}g"
            notes.append(_squeeze(S.NOTE_MACRO.format(nutrient=S.NUTRIENT_KO[nutrient], detail=detail,
                                                      days=S.days_text([d.day for d, _ in missed], total))))
    if plan.repeats_allowed:
        seen = Counter(item.dish.name for item in plan.planned_items if not is_staple(item.dish.name))
        repeated = [name for name, count in seen.items() if count > 1]
        if repeated:
            notes.append(S.NOTE_REPEATS.format(names=S.join_ko(repeated[:5])))
    return notes


def _squeeze(text: str) -> str:
    """Templates with an empty day phrase leave a double space."""
    return " ".join(text.split())
