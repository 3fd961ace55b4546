"""Cold start: what new users see first, through the real dialogue manager.

40 new users (default) each ask one opening message at 12:10 on the same weekday in Seoul, on a fresh
SQLite file: 「점심 추천해줘」, 「점메추」 and 「배고파 뭐 먹지」, one table row each. Reported per message:
distinct dishes among the users' first lists (target ≥ 20), the share of shown dishes that are everyday
or common meals in Korea (tier ``everyday``/``common`` at lunch in ``knowledge/data/popularity.csv``), the
share of strictly ``everyday`` dishes (the issue's "≥ 60 % everyday Korean meals", read strictly), the
share of 한식, the mean intra-list diversity
(1 − mean pairwise ``diversify.similarity``), the Gini coefficient of dish exposure across users
(over the dishes shown at least once; 0 = every shown dish shown equally often), constraint
violations (``recommend.audit``; must be 0) and the recommendation latency p50/p95 (the
``recommend()`` call alone, measured on the same requests; target p95 < 50 ms).

With ``--months`` the same 120 requests are made on one day of every month (the first Tuesday, at the
same time), each month on its own fresh database, and one row per month reports the worst message: the
fewest distinct dishes, the lowest everyday shares, the highest Gini. The season the dialogue manager
guesses from the date (겨울 in December–February, 여름 in June–August) is the only thing that changes.

    .venv/bin/python benchmarks/cold_start.py [--users 40] [--at 2026-11-30T12:10] [--months]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from zoneinfo import ZoneInfo

import mechuri.conversation.actions as actions
from mechuri.config import Settings
from mechuri.conversation import DialogueManager
from mechuri.conversation.actions import SEASON_BY_MONTH
from mechuri.db import Database
from mechuri.knowledge import load_food_table
from mechuri.knowledge.popularity import load_popularity
from mechuri.recommend.audit import violations
from mechuri.recommend.diversify import similarity

from _table import markdown_table, percentile

MESSAGES = ("점심 추천해줘", "점메추", "배고파 뭐 먹지")
SEOUL = ZoneInfo("Asia/Seoul")
NOON = datetime(2026, 11, 30, 12, 10, tzinfo=SEOUL)


@dataclass
class MessageFigures:
    """What one message's first lists showed on one date."""

    message: str
    distinct: int
    familiar: float
    everyday: float
    korean: float
    diversity: float
    gini: float
    lists: int


@dataclass
class Run:
    """One date's run: the figures per message, violations and the ``recommend()`` timings."""

    at: datetime
    figures: list[MessageFigures] = field(default_factory=list)
    violations: int = 0
    timings: list[float] = field(default_factory=list)


def gini(counts: list[int]) -> float:
    values = sorted(counts)
    n = len(values)
    if n == 0 or sum(values) == 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(values))
    return (2 * weighted) / (n * sum(values)) - (n + 1) / n


def first_tuesday(year: int, month: int, like: datetime) -> datetime:
    """The first Tuesday of the month at ``like``'s time of day: one ordinary working day per month."""
    day = datetime(year, month, 1, like.hour, like.minute, tzinfo=like.tzinfo)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def run(at: datetime, users: int) -> Run:
    """``users`` new users per message ask at ``at`` through the real dialogue manager, on a fresh SQLite."""
    table = load_food_table()
    prior = load_popularity()
    result = Run(at)
    requests = []
    real = actions.recommend

    def timed(food_table, request):  # the recommend() call alone, as the dialogue manager makes it
        start = time.perf_counter()
        answer = real(food_table, request)
        result.timings.append((time.perf_counter() - start) * 1000)
        requests.append(request)
        return answer

    actions.recommend = timed
    try:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'cold.db'}"
            db = Database(url)
            manager = DialogueManager(db, Settings(database_url=url), clock=lambda: at)
            for message in MESSAGES:
                lists: list[list[str]] = []
                start = len(requests)
                for n in range(users):
                    user = manager.user_id_for(f"cold-{message}-{n}")
                    turn = manager.respond(user, message, at=at)
                    lists.append([r.name for r in turn.recommendations])
                for request, names in zip(requests[start:], lists, strict=True):
                    result.violations += sum(len(violations(table[name], request)) > 0 for name in names)
                shown = [name for names in lists for name in names]
                exposure = Counter(shown)
                count = max(len(shown), 1)
                diversity = [1 - sum(similarity(table[a], table[b]) for a, b in combinations(names, 2))
                             / max(1, len(names) * (len(names) - 1) // 2) for names in lists]
                result.figures.append(MessageFigures(
                    message=message,
                    distinct=len(exposure),
                    familiar=sum(prior.familiar(name, "점심") for name in shown) / count,
                    everyday=sum(prior.tier(name, "점심") == "everyday" for name in shown) / count,
                    korean=sum(table[name].cuisine == "한식" for name in shown) / count,
                    diversity=sum(diversity) / len(diversity),
                    gini=gini(list(exposure.values())),
                    lists=len(set(map(tuple, lists))),
                ))
            db.dispose()
    finally:
        actions.recommend = real
    return result


def by_message(result: Run) -> str:
    rows = [[f.message, str(f.distinct), f"{f.familiar:.0%}", f"{f.everyday:.0%}", f"{f.korean:.0%}",
             f"{f.diversity:.2f}", f"{f.gini:.2f}", str(f.lists)] for f in result.figures]
    return markdown_table(["message", "distinct dishes", "everyday/common", "everyday", "한식",
                           "intra-list diversity", "exposure Gini", "distinct lists"], rows)


def by_month(results: list[Run]) -> str:
    rows = []
    for result in results:
        f = result.figures
        rows.append([result.at.date().isoformat(), SEASON_BY_MONTH.get(result.at.month, "-"),
                     str(min(x.distinct for x in f)), f"{min(x.familiar for x in f):.0%}",
                     f"{min(x.everyday for x in f):.0%}", f"{max(x.everyday for x in f):.0%}",
                     f"{min(x.korean for x in f):.0%}", f"{min(x.diversity for x in f):.2f}",
                     f"{max(x.gini for x in f):.2f}", str(result.violations),
                     f"{percentile(result.timings, 0.95):.1f}"])
    return markdown_table(["date", "season", "distinct (min)", "everyday/common (min)", "everyday (min)",
                           "everyday (max)", "한식 (min)", "diversity (min)", "Gini (max)", "violations",
                           "recommend p95 ms"], rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--at", type=datetime.fromisoformat, default=NOON,
                        help="when the users ask, Seoul time unless an offset is given (default %(default)s)")
    parser.add_argument("--months", action="store_true",
                        help="one run on the first Tuesday of every month of --at's year, at --at's time")
    args = parser.parse_args()
    at = args.at if args.at.tzinfo is not None else args.at.replace(tzinfo=SEOUL)
    if not args.months:
        result = run(at, args.users)
        print(f"{args.users} new users per message at {at.isoformat()}")
        print(by_message(result))
        timings = result.timings
        bad = result.violations
    else:
        results = [run(first_tuesday(at.year, month, at), args.users) for month in range(1, 13)]
        print(f"{args.users} new users per message ({', '.join(MESSAGES)}), the first Tuesday of each month "
              f"at {at.strftime('%H:%M')} Seoul; per month the worst message (everyday (max): the best)")
        print(by_month(results))
        timings = [t for result in results for t in result.timings]
        bad = sum(result.violations for result in results)
    print(f"\nconstraint violations: {bad}")
    print(f"recommend() latency: p50 {percentile(timings, 0.5):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms "
          f"over {len(timings)} calls")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
