"""Questions left without an answer by a process that died mid-turn: found and marked failed, for good.

A turn commits its question first (``pending``), then its answer with any memory change in one transaction
(``conversation.manager``). A question still pending ``turn_lease_s`` after it was stored therefore
belongs to a turn whose process is gone — a live turn commits its answer within seconds, because the slow
part, the model, runs only after it — and is marked ``failed``: the page shows it with a retry button
instead of leaving it unanswered forever. Every worker sweeps once at start-up and then every quarter
lease; the sweep is one atomic UPDATE, so workers and restarts never fight over it.

Why a lease rather than asking which process owns a turn: workers may run on several machines against one
PostgreSQL, and a lease needs no registry of live processes. The cost is that recovery takes up to one
lease after a crash (``benchmarks/chaos.py`` measures it).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from datetime import UTC, datetime, timedelta

from mechuri.db import Database, crud

log = logging.getLogger("mechuri.web")

MIN_SWEEP_S = 1.0


def sweep_once(db: Database, lease_s: float, now: datetime | None = None) -> int:
    """Mark failed the questions pending for longer than ``lease_s``; how many were."""
    cutoff = (now or datetime.now(UTC)) - timedelta(seconds=lease_s)
    with db.session() as session:
        failed = crud.fail_stale_turns(session, cutoff)
    if failed:
        log.warning("marked %d unanswered question(s) failed (their turn's process had stopped)", failed)
    return failed


async def sweep_forever(db: Database, lease_s: float, executor: Executor, *, now: bool = True) -> None:
    """``sweep_once`` (now, unless ``now`` is false because start-up already did) and every quarter lease until
    cancelled (the app's shutdown); a failing database is logged and tried again at the next sweep."""
    loop = asyncio.get_running_loop()
    if not now:
        await asyncio.sleep(max(MIN_SWEEP_S, lease_s / 4))
    while True:
        try:
            await loop.run_in_executor(executor, sweep_once, db, lease_s)
        except Exception:
            log.exception("the sweep for unanswered questions failed; trying again")
        await asyncio.sleep(max(MIN_SWEEP_S, lease_s / 4))
