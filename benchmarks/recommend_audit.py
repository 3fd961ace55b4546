"""Audit the recommender on N random profiles: constraint violations (must be 0), speed, relaxations.

Each profile is a seeded random request (allergies, dislikes, diets, calorie caps, requested slots,
today's meals, recent dishes …, see ``mechuri.recommend.audit.random_request``). Every dish returned
is re-checked by the independent referee ``mechuri.recommend.audit.violations``.

    .venv/bin/python benchmarks/recommend_audit.py [--n 2000] [--seed 1]

Exits with status 1 when any constraint was violated, so CI can run it as a check.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter

from mechuri.knowledge import load_food_table
from mechuri.recommend import recommend
from mechuri.recommend.audit import random_request, violations
from mechuri.recommend.constraints import NEVER_RELAXED, RELAXABLE

from _table import markdown_table, median, percentile

CONSTRAINTS = ("allergy", "excluded", "diet:채식", "diet:비건", "diet:저염", "diet:저탄수", "diet:당뇨관리", "diet:할랄",
               "diet:유당불내증", "diet:페스코", "diet:글루텐프리",
               "kcal_max", "kcal_min", "meal", "wanted_tag", "wanted_category", "wanted_cuisine", "avoid")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="random profiles to run (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    table = load_food_table()
    names = [dish.name for dish in table]
    rng = random.Random(args.seed)
    recommend(table, random_request(random.Random(0), names))  # build the per-table index once, untimed

    active: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    offered: Counter[str] = Counter()
    times: list[float] = []
    short = relaxed = empty = items = bad_offers = 0
    for _ in range(args.n):
        request = random_request(rng, names)
        started = time.perf_counter()
        result = recommend(table, request)
        times.append((time.perf_counter() - started) * 1000)
        active.update(result.excluded_counts.keys())
        items += len(result.items)
        for item in result.items:
            broken.update(violations(item.dish, request))
        short += result.short
        empty += not result.items
        relaxed += bool(result.relaxations)
        for offer in result.relaxations:
            parts = offer.constraint.split("+")
            offered.update(parts)
            bad_offers += any(part in NEVER_RELAXED or part not in RELAXABLE for part in parts)

    print(f"recommend() audit: {args.n} random profiles, seed {args.seed}, {len(table)} dishes, "
          f"{items} dishes recommended")
    print()
    rows: list[tuple[object, ...]] = [
        (name, active[name], broken[name], "never" if name in NEVER_RELAXED else offered[name])
        for name in CONSTRAINTS]
    rows.append(("total", "", sum(broken.values()), sum(offered.values())))
    print(markdown_table(["constraint", "requests using it", "violations", "offered to relax"], rows))
    print()
    print(markdown_table(["measure", "value"], [
        ("median time per recommend()", f"{median(times):.2f} ms"),
        ("p95 time per recommend()", f"{percentile(times, 0.95):.2f} ms"),
        ("max time per recommend()", f"{max(times):.2f} ms"),
        ("fewer than k dishes fit", f"{short} ({100 * short / args.n:.1f} %)"),
        ("relaxations offered", f"{relaxed} ({100 * relaxed / args.n:.1f} %)"),
        ("no dish fits at all", f"{empty} ({100 * empty / args.n:.1f} %)"),
        ("offers naming an allergy/dislike/fixed diet", f"{bad_offers}"),
    ]))
    return 1 if broken or bad_offers else 0


if __name__ == "__main__":
    sys.exit(main())
