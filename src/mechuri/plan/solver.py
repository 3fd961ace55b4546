"""The mixed-integer model of one planned day: choose each meal's dishes so the day meets its targets.

Why a solver: a day is three or four meals, each a main dish with or without rice, sides and an extra,
drawn from dozens of options, under coupled rules — the day's energy within ±5 %, three macronutrient
ranges, a sodium cap, no dish twice, categories spread, each meal near its share. A greedy or
hand-written search either misses plans that exist or cannot say that none does. The model is a plain
MILP (binary "this dish in this meal" columns under linear sums) whose LP relaxation is nearly integral,
so HiGHS's branch-and-cut finds a plan in a fraction of a second, or proves there is none. HiGHS is
deterministic for the same model, and the search is bounded by a gap and a node limit (work, not
wall-clock time), so the same request gives the same plan on any machine, however loaded; a wall-clock
limit is only a safety net. (OR-Tools CP-SAT was tried first: on two cores it needed seconds for a day,
and it is deterministic only with one worker.)

Energy is a hard band; macronutrients, sodium and category spread are elastic with heavy penalties, so
a plan exists whenever the energy can be met, and it meets the softer targets whenever the table allows.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import highspy
import numpy as np

from mechuri.knowledge.foods import Dish
from mechuri.knowledge.targets import NutritionTargets
from mechuri.plan.composition import (
    LIGHT_MEALS,
    MAX_EXTRAS_LIGHT_MEAL,
    MAX_EXTRAS_MAIN_MEAL,
    MAX_SIDES,
    Role,
    is_staple,
)
from mechuri.plan.request import ENERGY_TOLERANCE

W_MACRO: Final = 100.0
"""Per gram outside a macronutrient range: the heaviest soft rule."""
W_SODIUM: Final = 3.0
"""Per mg of sodium over the day's cap."""
W_CATEGORY_DAY: Final = 200.0
"""Per extra main dish of a category already served that day (two 면 in one day)."""

MEAL_BANDS: Final = {"main": (0.6, 1.5), "light": (0.3, 2.5)}
"""How far one meal may stray from its share of the day's energy (a hard band, not a penalty: a penalty
on a continuous gap keeps the LP bound loose and the search long, and nobody needs a meal to the kcal)."""
LOOSE_MEAL_BANDS: Final = {"main": (0.15, 3.0), "light": (0.05, 5.0)}
"""The bands of the last try, for pools so narrow (채식 without wheat …) that no breakfast reaches its
usual share: the day's energy still has to be met, by the other meals."""

BAND_INSET: Final = 0.03
"""The solver aims inside each range by 3 % of its width (and 3 % under the sodium cap), so that what
the optimality gap lets slip still lands inside the real range."""

MIP_ABS_GAP: Final = 100.0
"""Stop once no plan can be better by 100 objective points: less than one gram outside a macronutrient
range or one category repeat, far below anything a person would notice on the plate."""
MIP_REL_GAP: Final = 0.1
"""… or within 10 % of it: the objective's bulk is the tie-break and spread costs, where 10 % is a matter
of taste, while a missed gram or milligram costs far more than 10 % of any day's objective."""
NODE_LIMIT: Final = 10
"""Branch-and-bound nodes allowed: a deterministic bound on work (a wall-clock limit would make the plan
depend on how busy the machine is)."""
WALL_TIME_S: Final = 20.0
"""Safety net only; the gap or the node limit normally stop the search well before."""
INF = highspy.kHighsInf


@dataclass(frozen=True)
class Option:
    """One dish in one serving size that a meal may include."""

    dish: Dish
    servings: float
    role: Role
    needs_rice: bool
    cost: float
    """Soft preference (lower is better): likes, avoided dishes, the variant's tie-breaking."""

    def amounts(self) -> tuple[float, float, float, float, float]:
        """kcal, carbohydrate, protein, fat (g) and sodium (mg) for the servings."""
        d, s = self.dish, self.servings
        return d.kcal * s, d.carbohydrate_g * s, d.protein_g * s, d.fat_g * s, d.sodium_mg * s


@dataclass
class Slot:
    """One meal to fill: a day, a meal word, its share of the day's energy and the options it allows."""

    day: int
    meal: str
    kcal_share: float
    options: list[Option] = field(default_factory=list)


@dataclass
class DayFrame:
    """A day's targets and the fixed dishes it must carry."""

    day: int
    targets: NutritionTargets
    fixed: list[Option] = field(default_factory=list)


@dataclass
class Solution:
    """The solver's verdict and, when it found a plan, the chosen options per (day, meal)."""

    status: str
    chosen: dict[tuple[int, str], list[Option]]
    seconds: float


class _Model:
    """Columns and rows collected in plain lists, handed to HiGHS in one call (fast to build)."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def var(self, cost: float = 0.0, upper: float = INF, binary: bool = False) -> int:
        self.cost.append(cost)
        self.lower.append(0.0)
        self.upper.append(1.0 if binary else upper)
        self.integer.append(1 if binary else 0)
        return len(self.cost) - 1

    def row(self, terms: Sequence[tuple[int, float]], lower: float = -INF, upper: float = INF) -> None:
        self.starts.append(len(self.index))
        for column, coefficient in terms:
            self.index.append(column)
            self.value.append(coefficient)
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def solve(self, node_limit: int, wall_time_s: float) -> tuple[str, np.ndarray | None]:
        h = _quiet_highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 1)
        h.setOptionValue("random_seed", 0)
        h.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
        h.setOptionValue("mip_rel_gap", MIP_REL_GAP)
        h.setOptionValue("mip_max_nodes", node_limit)
        h.setOptionValue("time_limit", wall_time_s)
        n = len(self.cost)
        h.addVars(n, np.array(self.lower), np.array(self.upper))
        h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(self.cost))
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.array(self.integer, dtype=np.uint8))
        h.addRows(len(self.row_lower), np.array(self.row_lower), np.array(self.row_upper), len(self.index),
                  np.array(self.starts, dtype=np.int32), np.array(self.index, dtype=np.int32),
                  np.array(self.value))
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        info = h.getInfo()
        if info.primal_solution_status != 2:  # kSolutionStatusFeasible
            return status, None
        return status, np.array(h.getSolution().col_value)


_banner_lock = threading.Lock()
_banner_done = False


def _quiet_highs() -> highspy.Highs:
    """A ``Highs`` instance, the first one of the process created with file descriptor 1 pointed at
    /dev/null: HiGHS prints its copyright banner to C stdout on first construction, before any option
    can turn logging off, and ``mechuri ask --json`` promises nothing but JSON lines on stdout."""
    global _banner_done
    with _banner_lock:
        if _banner_done:
            return highspy.Highs()
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                instance = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_done = True
        return instance


def soft_penalty(frame: DayFrame, chosen: Sequence[Option]) -> float:
    """The macronutrient and sodium part of the objective for a day holding ``chosen`` and the fixed
    dishes: 0 when every band and the cap are met (used to compare a shortlist's plan with a full one)."""
    sums = [sum(o.amounts()[k] for o in (*frame.fixed, *chosen)) for k in range(5)]
    t = frame.targets
    grams = sum(max(band.min - sums[k], sums[k] - band.max, 0.0)
                for k, band in ((1, t.carbohydrate_g), (2, t.protein_g), (3, t.fat_g)))
    return W_MACRO * grams + W_SODIUM * max(sums[4] - t.sodium_mg_max, 0.0)


def solve(days: Sequence[DayFrame], slots: Sequence[Slot], *, tolerance: float = ENERGY_TOLERANCE,
          bands: Mapping[str, tuple[float, float]] = MEAL_BANDS, extreme: Literal["min", "max"] | None = None,
          node_limit: int = NODE_LIMIT, wall_time_s: float = WALL_TIME_S) -> Solution:
    """Choose each slot's options; see the module docstring for the model. No dish appears twice.

    ``extreme`` asks instead for the lightest or the heaviest days the composition rules allow (no
    energy band, no soft rules): the honest numbers for "this cannot reach that".
    """
    started = time.process_time()
    m = _Model()
    x: dict[tuple[int, int], int] = {}
    by_day: dict[int, list[int]] = defaultdict(list)
    uses: dict[str, list[int]] = defaultdict(list)
    main_category: dict[tuple[int, str], list[int]] = defaultdict(list)
    for si, slot in enumerate(slots):
        by_day[slot.day].append(si)
        roles: dict[str, list[int]] = defaultdict(list)
        needing: list[int] = []
        for oi, option in enumerate(slot.options):
            cost = option.cost if extreme is None else option.amounts()[0] * (1 if extreme == "min" else -1)
            column = x[si, oi] = m.var(cost, binary=True)
            roles[option.role].append(column)
            if option.needs_rice:
                needing.append(column)
            if not is_staple(option.dish.name):
                uses[option.dish.name].append(column)
            if option.role == "main":
                main_category[slot.day, option.dish.category].append(column)
        ones = lambda columns, c=1.0: [(column, c) for column in columns]  # noqa: E731
        if slot.meal in LIGHT_MEALS:
            m.row(ones(roles["main"]), upper=1)
            m.row(ones(roles["extra"]), upper=MAX_EXTRAS_LIGHT_MEAL)
            m.row(ones(roles["main"] + roles["extra"]), lower=1)
        else:
            m.row(ones(roles["main"]), lower=1, upper=1)
            m.row(ones(roles["extra"]), upper=MAX_EXTRAS_MAIN_MEAL)
            if roles["rice"]:
                m.row(ones(roles["rice"]) + ones(needing, -1.0), lower=0, upper=0)
            m.row(ones(roles["side"]) + ones(roles["rice"], -MAX_SIDES), upper=0)
        low, high = bands["light" if slot.meal in LIGHT_MEALS else "main"]
        meal_kcal = [(x[si, oi], option.amounts()[0]) for oi, option in enumerate(slot.options)]
        m.row(meal_kcal, lower=low * slot.kcal_share, upper=high * slot.kcal_share)

    for frame in days:
        t = frame.targets
        fixed = [sum(option.amounts()[k] for option in frame.fixed) for k in range(5)]
        terms: list[list[tuple[int, float]]] = [[] for _ in range(5)]
        for si in by_day[frame.day]:
            for oi, option in enumerate(slots[si].options):
                for k, amount in enumerate(option.amounts()):
                    if amount:
                        terms[k].append((x[si, oi], amount))
        if extreme is not None:
            continue
        m.row(terms[0], lower=t.kcal * (1 - tolerance) - fixed[0], upper=t.kcal * (1 + tolerance) - fixed[0])
        for k, band in ((1, t.carbohydrate_g), (2, t.protein_g), (3, t.fat_g)):
            under, over = m.var(W_MACRO), m.var(W_MACRO)
            inset = BAND_INSET * (band.max - band.min)
            m.row([*terms[k], (under, 1.0)], lower=band.min + inset - fixed[k])
            m.row([*terms[k], (over, -1.0)], upper=band.max - inset - fixed[k])
        excess = m.var(W_SODIUM)
        m.row([*terms[4], (excess, -1.0)], upper=t.sodium_mg_max * (1 - BAND_INSET) - fixed[4])

    for columns in main_category.values():
        if len(columns) > 1 and extreme is None:
            extra = m.var(W_CATEGORY_DAY)
            m.row([*((c, 1.0) for c in columns), (extra, -1.0)], upper=1)
    for columns in uses.values():
        if len(columns) > 1:
            m.row([(c, 1.0) for c in columns], upper=1)

    status, values = m.solve(node_limit, wall_time_s)
    chosen: dict[tuple[int, str], list[Option]] = {}
    if values is not None:
        for si, slot in enumerate(slots):
            chosen[slot.day, slot.meal] = [option for oi, option in enumerate(slot.options)
                                           if values[x[si, oi]] > 0.5]
    return Solution(status=status, chosen=chosen, seconds=time.process_time() - started)
