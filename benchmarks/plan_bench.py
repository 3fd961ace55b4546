"""Benchmark the meal planner on N random profiles: energy error, macro and sodium hits, speed, violations.

Each profile is a seeded random person (``mechuri.plan.sampling.random_targets``: sex, age, sometimes a
body and activity, any goal) with a seeded random request (allergies, dislikes, diets, a snack, a skipped
meal, a dish already decided, an energy target of their own; ``random_plan_request``). Every profile is
planned as a day and as a week. Every planned dish is re-checked by the recommender's independent
referee (``mechuri.recommend.audit.violations``).

    .venv/bin/python benchmarks/plan_bench.py [--n 200] [--seed 1]

Exits with status 1 when any hard constraint was broken or any produced day missed the ±5 % energy band.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import sys
import time
from collections import Counter

from mechuri.knowledge import load_food_table
from mechuri.plan import MealPlan, PlanRequest, plan_meals
from mechuri.plan.composition import is_staple
from mechuri.plan.sampling import random_plan_request, random_targets
from mechuri.recommend.audit import violations

from _table import pad, percentile


class Tally:
    """What one kind of plan (day or week) did over all profiles."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.errors: list[float] = []
        self.times: list[float] = []

    def add(self, plan: MealPlan, request: PlanRequest, seconds: float) -> None:
        self.times.append(seconds)
        self.counts["plans"] += 1
        if not plan.feasible:
            self.counts["infeasible"] += 1
            self.counts["explained"] += bool(plan.problems_ko)
            return
        hard = request.hard_request()
        for item in plan.planned_items:
            self.counts["items"] += 1
            self.counts["violations"] += bool(violations(item.dish, hard))
        names = [i.dish.name for i in plan.planned_items if not is_staple(i.dish.name)]
        self.counts["repeat plans"] += len(names) != len(set(names))
        for day in plan.days:
            check = day.check()
            self.errors.append(abs(check.energy_error_pct))
            self.counts["days"] += 1
            self.counts["energy ok"] += check.energy_ok
            self.counts["macros ok"] += check.macros_ok
            self.counts["carbohydrate ok"] += check.carbohydrate_ok
            self.counts["protein ok"] += check.protein_ok
            self.counts["fat ok"] += check.fat_ok
            self.counts["sodium ok"] += check.sodium_ok

    def row(self) -> dict[str, str]:
        c = self.counts
        days = max(c["days"], 1)

        def share(key: str) -> str:
            return f"{100 * c[key] / days:.1f}%"

        return {
            "plans": f"{c['plans']}",
            "infeasible (explained)": f"{c['infeasible']} ({c['explained']})",
            "days planned": f"{c['days']}",
            "mean |energy error|": f"{statistics.fmean(self.errors):.2f}%" if self.errors else "-",
            "worst |energy error|": f"{max(self.errors):.2f}%" if self.errors else "-",
            "days within ±5%": share("energy ok"),
            "days with all macros in range": share("macros ok"),
            "  carbohydrate / protein / fat": f"{share('carbohydrate ok')} / {share('protein ok')} / {share('fat ok')}",
            "days with sodium ≤ cap": share("sodium ok"),
            "hard-constraint violations": f"{c['violations']} of {c['items']} dishes",
            "plans with a repeat": f"{c['repeat plans']}",
            "solve time mean / p95 / max": (f"{statistics.fmean(self.times):.2f} / {percentile(self.times, 0.95):.2f}"
                                            f" / {max(self.times):.2f} s"),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="random profiles (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    table = load_food_table()
    dishes = list(table)
    plan_meals(table, PlanRequest(), random_targets(random.Random(0)))  # build the table index once, untimed
    rng = random.Random(args.seed)
    tallies = {"day plan": Tally(), "week plan": Tally()}
    started = time.perf_counter()
    for _ in range(args.n):
        targets = random_targets(rng)
        week = random_plan_request(rng, dishes, days=7)
        day = dataclasses.replace(week, days=1, fixed={k: v for k, v in week.fixed.items() if k[0] == 1})
        for name, request in (("day plan", day), ("week plan", week)):
            clock = time.perf_counter()
            plan = plan_meals(table, request, targets)
            tallies[name].add(plan, request, time.perf_counter() - clock)
    total = time.perf_counter() - started

    rows = {name: tally.row() for name, tally in tallies.items()}
    keys = list(next(iter(rows.values())))
    width = max(len(k) for k in keys) + 2
    print(f"mechuri meal planner — {args.n} random profiles (seed {args.seed}), {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}, {total:.0f} s in all\n")
    print(pad("", width) + "".join(pad(name, 30, right=True) for name in rows))
    for key in keys:
        print(pad(key, width) + "".join(pad(rows[name][key], 30, right=True) for name in rows))
    broken = sum(t.counts["violations"] for t in tallies.values())
    missed = sum(t.counts["days"] - t.counts["energy ok"] for t in tallies.values())
    unexplained = sum(t.counts["infeasible"] - t.counts["explained"] for t in tallies.values())
    return 1 if broken or missed or unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
