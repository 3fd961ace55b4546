"""Thread pools started full: every thread of a bounded pool running from the moment the pool is made.

Why: ``ThreadPoolExecutor`` starts a thread only when a task finds none idle, so under bursts its thread
count creeps up to its bound a wave at a time, on each worker process separately, whenever a burst happens
to be larger than the last one that reached it. That creep is harmless but indistinguishable from a leak
from outside (``benchmarks/chaos.py`` counts a server's threads across waves of failing model calls), and
the burst that grows a pool also pays for starting its threads. Started full, a pool's thread count is a
constant of the configuration: any growth is a leak, and no burst waits for a thread to start.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

START_TIMEOUT_S = 30.0


def full_pool(workers: int, name: str) -> ThreadPoolExecutor:
    """A ``ThreadPoolExecutor`` of ``workers`` threads named ``name_N``, all of them started before it is returned.

    Each of ``workers`` first tasks waits at a barrier until all have started, so no thread is idle while the
    next task is submitted and the executor starts a new thread for every one of them.
    """
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
    gate = threading.Barrier(workers + 1, timeout=START_TIMEOUT_S)
    for _ in range(workers):
        pool.submit(gate.wait)
    gate.wait()
    return pool
