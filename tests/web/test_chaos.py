"""The chaos benchmark's cases, small, with the issue's figures asserted (issue 17, items 3 and 7): a real
``mechuri serve`` with two workers, a model that hangs, trickles or answers 500, and a SIGKILL with chats
in flight.

The benchmark itself (``benchmarks/chaos.py``) drives the server; these tests check what it measured.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent.parent / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import chaos  # noqa: E402 - benchmarks/ is put on sys.path just above

pytestmark = [pytest.mark.slow,  # three servers started, about six minutes on two busy cores
              pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc (Linux)")]

CHATS = 12


ELASTIC_SLACK = 8
"""anyio's threads for the sync parts of requests are elastic (up to 40 per worker) and shed only after 10 s
idle, at a next call: on a loaded two-core machine a few may still be alive when a count is taken (CI saw one
worker at +7 in a last wave, and a warm-up that never held still). A leak grows by one thread per chat — 12 a
wave, +24 over the counted waves before the budget — far beyond this slack; the benchmark prints the exact
counts (0 on a quiet machine)."""


def assert_nothing_leaked(result: chaos.CaseResult) -> None:
    """After the warm-up (the bounded pools filled), the counted waves leave the threads within the elastic
    slack of where the first of them left them and the other sockets exactly there, and the connections kept
    alive to the model within one per model thread per worker."""
    threads = [c.total_threads for c in result.censuses]
    sockets = [c.sockets for c in result.censuses]
    assert max(threads) - threads[0] <= ELASTIC_SLACK, [c.threads for c in result.censuses]
    assert sockets == [sockets[0]] * len(sockets), sockets
    assert all(c.model_connections <= chaos.MODEL_CONNECTIONS_BOUND for c in result.censuses), result.censuses


def test_a_hanging_trickling_or_failing_model_stalls_no_chat_no_plan_and_leaks_nothing():
    names = ["hang", "trickle", "500"]
    results = {r.name: r for r in chaos.run_llm_faults(names, chats=CHATS, waves=3, users=4)}
    for name in names:
        result = results[f"LLM {name}"]
        assert result.statuses["chat 200"] == 3 * CHATS, result.statuses
        assert set(result.statuses) <= {"chat 200", "plan 200"}, result.statuses
        assert result.late == 0 and result.not_grounded == 0  # each answered, grounded, by deadline + 1 s
        assert chaos.percentile(result.plan_s, 0.95) < 1.0 + chaos.percentile(
            results["plans alone (no chats)"].plan_s, 0.95)  # plans no slower than on this machine alone
        # before the budget a trickling model leaked a thread and a socket per chat (+24 over the counted
        # waves); a 500 answered keeps its connection alive for the next call (bounded), never more
        assert_nothing_leaked(result)


@pytest.mark.parametrize("case", ["kill", "kill-llm"])
def test_a_sigkill_with_chats_in_flight_leaves_no_question_unanswered_after_a_restart(case):
    result = chaos.run_kill(case, chats=CHATS, users=4)
    assert result.orphans == 0
    assert result.requests == CHATS
