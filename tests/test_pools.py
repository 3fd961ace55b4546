"""Pools started full (``mechuri.pools``): every thread there from the start, and never one more."""

from __future__ import annotations

import threading

from mechuri.pools import full_pool


def _alive(name: str) -> int:
    return sum(thread.name.startswith(f"{name}_") for thread in threading.enumerate())


def test_a_full_pool_has_all_its_threads_before_any_work_and_no_more_after_bursts():
    pool = full_pool(5, "pool-under-test")
    try:
        assert _alive("pool-under-test") == 5  # not one per task as tasks come, as ThreadPoolExecutor does
        for _ in range(3):  # bursts larger than the pool
            gate = threading.Barrier(5, timeout=10)  # five tasks that need five threads at once
            futures = [pool.submit(gate.wait) for _ in range(5)]
            futures += [pool.submit(sum, range(100)) for _ in range(50)]
            assert all(future.result(timeout=10) is not None for future in futures)
            assert _alive("pool-under-test") == 5
    finally:
        pool.shutdown(wait=True)
    assert _alive("pool-under-test") == 0
