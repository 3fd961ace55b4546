"""Cold start: what new users see first, through the real dialogue manager.

40 new users (default) each ask one opening message at 12:10 on the same weekday in Seoul, on a fresh
SQLite file: 「점심 추천해줘」, 「점메추」 and 「배고파 뭐 먹지」, one table row each. Reported per message:
distinct dishes among the users' first lists (target ≥ 20), the share of shown dishes that are everyday
meals in Korea (tier ``everyday``/``common`` at lunch in ``knowledge/data/popularity.csv``; target
≥ 60 %), the share of strictly ``everyday`` dishes, the share of 한식, the mean intra-list diversity
(1 − mean pairwise ``diversify.similarity``), the Gini coefficient of dish exposure across users
(over the dishes shown at least once; 0 = every shown dish shown equally often), constraint
violations (``recommend.audit``; must be 0) and the recommendation latency p50/p95 (the
``recommend()`` call alone, measured on the same requests; target p95 < 50 ms).

    .venv/bin/python benchmarks/cold_start.py [--users 40]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

import mechuri.conversation.actions as actions
from mechuri.config import Settings
from mechuri.conversation import DialogueManager
from mechuri.db import Database
from mechuri.knowledge import load_food_table
from mechuri.knowledge.popularity import load_popularity
from mechuri.recommend.audit import violations
from mechuri.recommend.diversify import similarity

from _table import markdown_table, percentile

MESSAGES = ("점심 추천해줘", "점메추", "배고파 뭐 먹지")
NOON = datetime(2026, 11, 30, 12, 10, tzinfo=ZoneInfo("Asia/Seoul"))


def gini(counts: list[int]) -> float:
    values = sorted(counts)
    n = len(values)
    if n == 0 or sum(values) == 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(values))
    return (2 * weighted) / (n * sum(values)) - (n + 1) / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=40)
    args = parser.parse_args()
    table = load_food_table()
    prior = load_popularity()
    timings: list[float] = []
    requests = []
    real = actions.recommend

    def timed(food_table, request):  # the recommend() call alone, as the dialogue manager makes it
        start = time.perf_counter()
        result = real(food_table, request)
        timings.append((time.perf_counter() - start) * 1000)
        requests.append(request)
        return result

    actions.recommend = timed
    rows = []
    bad = 0
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'cold.db'}"
        db = Database(url)
        manager = DialogueManager(db, Settings(database_url=url), clock=lambda: NOON)
        for message in MESSAGES:
            lists: list[list[str]] = []
            start = len(requests)
            for n in range(args.users):
                user = manager.user_id_for(f"cold-{message}-{n}")
                turn = manager.respond(user, message, at=NOON)
                names = [r.name for r in turn.recommendations]
                lists.append(names)
            for request, names in zip(requests[start:], lists, strict=True):
                bad += sum(len(violations(table[name], request)) > 0 for name in names)
            shown = [name for names in lists for name in names]
            exposure = Counter(shown)
            familiar = sum(prior.familiar(name, "점심") for name in shown) / max(len(shown), 1)
            everyday = sum(prior.tier(name, "점심") == "everyday" for name in shown) / max(len(shown), 1)
            korean = sum(table[name].cuisine == "한식" for name in shown) / max(len(shown), 1)
            diversity = [1 - sum(similarity(table[a], table[b]) for a, b in combinations(names, 2))
                         / max(1, len(names) * (len(names) - 1) // 2) for names in lists]
            rows.append([message, str(len(exposure)), f"{familiar:.0%}", f"{everyday:.0%}", f"{korean:.0%}",
                         f"{sum(diversity) / len(diversity):.2f}", f"{gini(list(exposure.values())):.2f}",
                         str(len(set(map(tuple, lists))))])
        db.dispose()
    actions.recommend = real
    print(f"{args.users} new users per message at {NOON.isoformat()}")
    print(markdown_table(["message", "distinct dishes", "everyday/common", "everyday", "한식",
                          "intra-list diversity", "exposure Gini", "distinct lists"], rows))
    print(f"\nconstraint violations: {bad}")
    print(f"recommend() latency: p50 {percentile(timings, 0.5):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms "
          f"over {len(timings)} calls")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
