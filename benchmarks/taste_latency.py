"""Latency of a recommendation turn as a person's taste history grows (issue 20: p95 < 50 ms with the taste
model).

For each history size, a fresh user gets that many taste events (choices, meals, skipped lists, ratings —
drawn from the table with a fixed seed), then asks 「점심 추천해줘」 ``--turns`` times through the real
``DialogueManager`` (store, understand, read the taste model back from the stored events, recommend, write,
store). Prints median and p95 per turn. The same user then asks ``--turns`` more times with one new taste
event stored before each ask (untimed), as after choosing from the previous list: the model kept from the
last turn (``memory.taste``) is extended by one event, or — once the history is past the 500-event window,
whose oldest event then drops out — relearned from all 500, the worst case. Each turn's CPU time (this
thread's, ``time.thread_time``) is printed beside its wall time: on a machine shared with other work the
wall time mostly measures the wait for a core, the CPU time what the turn itself costs. "recommendation"
is the recommender's own share of a turn, the issue's figure: reading the taste model back
(``load_taste``) plus the ``recommend()`` call, timed inside the turn (both wrapped where the dialogue
manager's actions call them).

    PYTHONPATH=src .venv/bin/python benchmarks/taste_latency.py [--turns 100] [--sizes 0,50,200,500]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import mechuri.conversation.actions as actions
from mechuri.config import Settings
from mechuri.conversation import DialogueManager
from mechuri.db import Database
from mechuri.db.models import User
from mechuri.knowledge import load_food_table
from mechuri.memory import load_taste, record_feedback

from _table import markdown_table, median, percentile

KINDS = ("chose", "ate", "skipped", "passed", "liked", "disliked")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--sizes", default="0,50,200,500")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    spent: list[tuple[float, float]] = []  # (wall ms, CPU ms) of load_taste and recommend() in the current turn
    for name in ("load_taste", "recommend"):
        real = getattr(actions, name)

        def timed(*call: object, _real=real) -> object:
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                return _real(*call)
            finally:
                spent.append(((time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000))

        setattr(actions, name, timed)
    table = load_food_table()
    names = [dish.name for dish in table]
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="mechuri-taste-latency-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    db = Database(url)
    manager = DialogueManager(db, Settings(database_url=url))
    start = datetime(2026, 12, 1, 12, 10, tzinfo=ZoneInfo("Asia/Seoul"))
    manager.respond(manager.user_id_for("warm-up"), "점심 추천해줘", at=start)  # loads Kiwi, the table, the index
    rows = []
    for size in (int(part) for part in args.sizes.split(",")):
        user_id = manager.user_id_for(f"eater-{size}")
        with db.session() as session:
            user = session.get(User, user_id)
            for _ in range(size):
                record_feedback(session, user, [rng.choice(names)], rng.choice(KINDS))
        with db.session() as session:
            t0 = time.perf_counter()
            load_taste(session, session.get(User, user_id), table)
            relearn_ms = (time.perf_counter() - t0) * 1000
        times, cpu, recommendation, recommendation_cpu = [], [], [], []
        for turn in range(args.turns):
            at = start + timedelta(days=turn)
            spent.clear()
            t0, c0 = time.perf_counter(), time.thread_time()
            manager.respond(user_id, "점심 추천해줘", at=at)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
            recommendation.append(sum(wall for wall, _ in spent))
            recommendation_cpu.append(sum(used for _, used in spent))
        after_event, after_cpu = [], []
        for turn in range(args.turns):
            at = start + timedelta(days=args.turns + turn)
            with db.session() as session:
                record_feedback(session, session.get(User, user_id), [rng.choice(names)], rng.choice(KINDS))
            spent.clear()
            t0, c0 = time.perf_counter(), time.thread_time()
            manager.respond(user_id, "점심 추천해줘", at=at)
            after_event.append((time.perf_counter() - t0) * 1000)
            after_cpu.append((time.thread_time() - c0) * 1000)
            recommendation.append(sum(wall for wall, _ in spent))
            recommendation_cpu.append(sum(used for _, used in spent))
        rows.append([f"{size:,}", f"{relearn_ms:.2f}", f"{median(times):.1f}", f"{percentile(times, 0.95):.1f}",
                     f"{max(times):.1f}", f"{percentile(cpu, 0.95):.1f}", f"{median(after_event):.1f}",
                     f"{percentile(after_event, 0.95):.1f}", f"{percentile(after_cpu, 0.95):.1f}",
                     f"{median(recommendation):.1f}", f"{percentile(recommendation, 0.95):.1f}",
                     f"{percentile(recommendation_cpu, 0.95):.1f}"])
    print(f"Recommendation turns by taste history ({args.turns} turns each, SQLite, one process; "
          f"load average {os.getloadavg()[0]:.1f} at the end)\n")
    print(markdown_table(["taste events", "relearn ms", "turn median ms", "turn p95 ms", "turn max ms",
                          "turn CPU p95 ms", "after a new event: median ms", "p95 ms", "CPU p95 ms",
                          "recommendation median ms", "recommendation p95 ms", "recommendation CPU p95 ms"], rows))


if __name__ == "__main__":
    main()
