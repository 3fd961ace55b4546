"""Which dishes each planned meal may choose from, what each choice costs, and the meal's energy range.

The solver is fast when each meal offers a few dozen options rather than hundreds, so every meal first
ranks its main dishes by how well they fit it — energy near the meal's share (with the bowl of rice
the dish is eaten with), protein, carbohydrate and fat near their bands, sodium under the meal's part
of the cap — and keeps the best ``MAIN_OPTIONS``, no more than ``PER_CATEGORY`` of one category so the
day can still be varied. The ranking includes the soft costs (likes, the variant's tie-break), so a
new variant sees a somewhat different shortlist. When the shortlist cannot meet a day, the planner asks
again with every option (``width=None``), so pruning never turns a possible plan into "impossible";
when the shortlist's plan misses a range, a shortlist three times as wide is tried (``width=3``).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from typing import Final

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.targets import NutritionTargets, Range, scale_targets
from mechuri.plan.composition import LIGHT_MEALS, RICE_SERVINGS, dish_role, is_staple, needs_rice
from mechuri.plan.request import PlanRequest
from mechuri.plan.solver import DayFrame, Option, Slot
from mechuri.recommend.terms import dish_matches_term

MAIN_OPTIONS: Final = 20
LIGHT_OPTIONS: Final = 12
EXTRA_OPTIONS: Final = 8
RICE_KINDS: Final = 2
"""흰쌀밥, 현미밥, 잡곡밥 … differ little; two kinds in three portions give the solver all it needs."""
SIDE_OPTIONS: Final = 6
LOW_SODIUM_OPTIONS: Final = 6
"""Mains of the right size with the least sodium per kcal, added to every shortlist: Korean dishes are
salty, and a day's sodium is met by trading between meals, which fit-per-meal ranking alone misses."""
PER_CATEGORY: Final = 3
"""Shortlist sizes per meal (see the module docstring): a day model of about 150 binaries, which HiGHS
solves in a fraction of a second where the full pool (about 1,300) takes seconds."""

LIKED_BONUS: Final = 80.0
"""Cost taken off a dish the user likes (or whose tag they asked for): worth about one category repeat."""
AVOID_COST: Final = 300.0
"""Cost of a dish of the previous plan or eaten lately: a new plan really is new where the pool allows."""
TIE_BREAK_MAX: Final = 50.0
"""The variant's seeded cost per dish and day: breaks the many near-ties, so another variant gives
another plan, without outweighing any nutritional rule."""
CATEGORY_USED_COST: Final = 60.0
"""Per main of the same category already served on an earlier day of the week (categories spread)."""
REPEAT_COST: Final = 2000.0
"""Per earlier use of a dish, only when a day could not be planned without repeating one."""
COST_TO_FIT: Final = 1 / 200
"""How much soft cost weighs in the shortlist ranking against nutritional fit (fractions of a target)."""


def option_costs(dishes: tuple[Dish, ...], request: PlanRequest) -> dict[str, float]:
    """Soft cost per dish name that does not depend on the day: likes and wanted tags, dishes to avoid."""
    wanted = request.liked | request.wanted_tags
    costs = {}
    for dish in dishes:
        cost = 0.0
        if any(dish_matches_term(dish, term, "prefer") for term in wanted):
            cost -= LIKED_BONUS
        if dish.name in request.avoid_dishes and not is_staple(dish.name):
            cost += AVOID_COST
        costs[dish.name] = cost
    return costs


def day_slots(frame: DayFrame, pool: list[Dish], request: PlanRequest, fixed: Mapping[tuple[int, str], object],
              costs: Mapping[str, float], *, width: int | None, categories: Counter[str] | None = None,
              used: Counter[str] | None = None) -> list[Slot]:
    """The meals of ``frame.day`` still to plan, each with its options (see the module docstring).

    The energy left after the fixed meals is shared among the free meals by their ``MEAL_SHARES``.
    A shortlist leaves ``request.avoid_dishes`` out altogether (they come back, at their cost, only when
    every option is offered): expensive columns the solver must rule out only slow it down.
    ``categories`` (mains served on earlier days) and ``used`` (dishes already planned, when repeats are
    allowed) add their costs; in a shortlist, categories weigh in the ranking instead (the shortlist is
    then mostly of fresh categories, and the solver is not slowed by costs it need not trade).
    """
    day = frame.day
    rng = random.Random(f"mechuri-plan:{request.variant}:{day}")
    noise = {dish.name: rng.uniform(0, TIE_BREAK_MAX) for dish in pool}
    shares = request.meal_shares(day)
    free = [meal for meal in request.day_meals(day) if (day, meal) not in fixed]
    left = max(frame.targets.kcal - sum(option.amounts()[0] for option in frame.fixed), 0.0)
    free_share = sum(shares[meal] for meal in free) or 1.0
    slots = []
    for meal in free:
        fraction = shares[meal] / free_share
        meal_targets = scale_targets(frame.targets, left / frame.targets.kcal * fraction) if left else frame.targets
        slot = Slot(day=day, meal=meal, kcal_share=left * fraction)
        for dish in pool:
            if meal not in dish.meals or (width and dish.name in request.avoid_dishes and not is_staple(dish.name)):
                continue
            role = dish_role(dish)
            if meal in LIGHT_MEALS and role in ("rice", "side"):
                continue
            cost = costs[dish.name] + noise[dish.name]
            if role == "main" and categories and not width:
                cost += CATEGORY_USED_COST * categories[dish.category]
            if used and not is_staple(dish.name):
                cost += REPEAT_COST * used[dish.name]
            servings = RICE_SERVINGS if role == "rice" else (1.0,)
            rice_eaten = needs_rice(dish) and meal not in LIGHT_MEALS
            slot.options += [Option(dish, s, role, rice_eaten, round(cost, 3)) for s in servings]
        if width:
            slot.options = _shortlist(slot, meal_targets, width, categories or Counter())
        slots.append(slot)
    return slots


def _outside(amount: float, band: Range) -> float:
    """How far ``amount`` lies outside ``band``, as a fraction of the band's middle (0 inside)."""
    gap = max(band.min - amount, amount - band.max, 0.0)
    return gap / max(band.mid, 1.0)


def _fit(amounts: tuple[float, ...], share: float, targets: NutritionTargets) -> float:
    kcal, carbohydrate, protein, fat, sodium = amounts
    return (abs(kcal - share) / max(share, 1.0)
            + _outside(carbohydrate, targets.carbohydrate_g) + _outside(protein, targets.protein_g)
            + _outside(fat, targets.fat_g) + max(sodium - targets.sodium_mg_max, 0.0) / targets.sodium_mg_max)


def _shortlist(slot: Slot, targets: NutritionTargets, width: int, categories: Counter[str]) -> list[Option]:
    """The best-fitting mains (with their usual bowl of rice), the saltless few, a few extras, two kinds
    of rice and the least salty sides; ``width`` multiplies every count."""
    by_role: dict[str, list[Option]] = {"main": [], "rice": [], "side": [], "extra": []}
    for option in slot.options:
        by_role[option.role].append(option)
    bowls = [o.amounts() for o in by_role["rice"] if o.servings == 1.0]
    bowl = tuple(sum(values) / len(bowls) for values in zip(*bowls, strict=True)) if bowls else (0.0,) * 5

    def main_score(option: Option) -> tuple[float, str]:
        amounts = option.amounts()
        if option.needs_rice:
            amounts = tuple(a + b for a, b in zip(amounts, bowl, strict=True))
        cost = option.cost + CATEGORY_USED_COST * categories[option.dish.category]
        return _fit(amounts, slot.kcal_share, targets) + cost * COST_TO_FIT, option.dish.name

    def salt_score(option: Option) -> tuple[float, float, str]:
        kcal = option.dish.kcal + (bowl[0] if option.needs_rice else 0.0)
        off = abs(kcal - slot.kcal_share) > slot.kcal_share * 0.5
        return off, option.dish.sodium_mg / max(kcal, 1.0), option.dish.name

    light = slot.meal in LIGHT_MEALS
    mains = _spread(sorted(by_role["main"], key=main_score), (LIGHT_OPTIONS if light else MAIN_OPTIONS) * width)
    chosen = {id(o) for o in mains}
    mains += [o for o in sorted(by_role["main"], key=salt_score) if id(o) not in chosen][:LOW_SODIUM_OPTIONS * width]
    extras = sorted(by_role["extra"], key=lambda o: (o.cost, o.dish.name))[:EXTRA_OPTIONS * (2 if light else 1) * width]
    kinds = sorted({o.dish.name: o.cost for o in by_role["rice"]}.items(), key=lambda kv: (kv[1], kv[0]))
    keep = {name for name, _ in kinds[:RICE_KINDS * width]}
    rice = [o for o in by_role["rice"] if o.dish.name in keep]
    sides = sorted(by_role["side"], key=lambda o: (o.cost + o.dish.sodium_mg / 4, o.dish.name))[:SIDE_OPTIONS * width]
    return mains + rice + sides + extras


def _spread(ranked: list[Option], limit: int) -> list[Option]:
    """The first ``limit`` options, at most ``PER_CATEGORY`` per category (more in a wider list)
    unless too few others fit."""
    kept: list[Option] = []
    per: Counter[str] = Counter()
    later: list[Option] = []
    for option in ranked:
        if len(kept) >= limit:
            break
        if per[option.dish.category] < PER_CATEGORY:
            kept.append(option)
            per[option.dish.category] += 1
        else:
            later.append(option)
    return kept + later[: max(limit - len(kept), 0)]


def slot_range(slot: Slot) -> tuple[float, float]:
    """The lightest and the heaviest this meal can be under the composition rules (for bounds only);
    ``(inf, 0)`` when it has nothing to offer."""
    kcal: dict[str, list[float]] = {"main": [], "rice": [], "side": [], "extra": []}
    for option in slot.options:
        kcal[option.role].append(option.dish.kcal * option.servings)
    for values in kcal.values():
        values.sort()
    if slot.meal in LIGHT_MEALS:
        singles = kcal["main"][:1] + kcal["extra"][:1]
        if not singles:
            return float("inf"), 0.0
        return min(singles), (kcal["main"][-1] if kcal["main"] else 0.0) + sum(kcal["extra"][-2:])
    mains = [o for o in slot.options if o.role == "main"]
    if not mains:
        return float("inf"), 0.0
    rice_min = kcal["rice"][0] if kcal["rice"] else 0.0
    with_rice = (kcal["rice"][-1] + sum(kcal["side"][-2:])) if kcal["rice"] else 0.0
    extra = kcal["extra"][-1] if kcal["extra"] else 0.0
    least = min(o.dish.kcal + (rice_min if o.needs_rice else 0.0) for o in mains)
    most = max(o.dish.kcal + (with_rice if o.needs_rice else 0.0) for o in mains) + extra
    return least, most
