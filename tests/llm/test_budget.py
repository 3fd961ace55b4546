"""A turn's budget against a misbehaving OpenAI-compatible server: every way of stalling ends at the deadline,
falls back to the grounded reply with the reason recorded, and leaves no thread or connection behind."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from mechuri.llm.base import BackendTimeout
from mechuri.llm.budget import Cancel, TurnBudget, budget_scope
from mechuri.llm.openai_http import OpenAIBackend
from mechuri.llm.writer import LLMWriter

FIRST_TOKEN_S, TOTAL_S = 0.6, 1.2


def backend(server, **options) -> OpenAIBackend:
    return OpenAIBackend(server.url, "test-model", backoff_s=0.05, timeout_s=30, **options)


def client_sockets(port: int) -> int:
    """This process's TCP connections to ``port`` (client side), from /proc: what a leak would grow."""
    wanted = f":{port:04X}"
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                if fields[2].endswith(wanted) and fields[3] == "01":  # remote port; ESTABLISHED
                    inodes.add(fields[9])
    mine = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            mine += 1
    return mine


def llm_threads() -> int:
    return sum(thread.name.startswith("mechuri-llm") for thread in threading.enumerate())


pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts sockets through /proc (Linux)")


@pytest.fixture(scope="module", autouse=True)
def _analyzer_loaded() -> None:
    """The Korean analyzer loads on first use (seconds): not part of any turn's timing here."""
    from mechuri.nlu import understand

    understand("점심 추천해줘")


@pytest.mark.parametrize(("mode", "deadline"), [("hang", "first_token"), ("trickle", "first_token"),
                                                ("hang_headers", "first_token"), ("stall", "total")])
def test_a_stalling_model_is_cut_at_the_deadline_and_the_socket_closed(fake_openai, chat_with, mode, deadline):
    fake_openai.mode, fake_openai.delay_s = mode, 0.05
    port = int(fake_openai.url.rsplit(":", 1)[1].split("/")[0])
    writer = LLMWriter(backend(fake_openai), timeout_s=TOTAL_S, first_token_s=FIRST_TOKEN_S, workers=2)
    ask = chat_with(writer)
    started = time.monotonic()
    turn = ask("김치찌개 칼로리 알려줘")
    took = time.monotonic() - started
    assert turn.meta["writer"] == "grounded" and turn.meta["fallback_reason"] == "timeout"
    assert turn.meta["llm"]["deadline"] == deadline
    assert turn.meta["llm"]["budget"] == {"first_token_ms": 600, "total_ms": 1200}
    assert "김치찌개" in turn.reply and "kcal" in turn.reply  # the grounded facts
    limit = FIRST_TOKEN_S if deadline == "first_token" else TOTAL_S
    assert took < limit + 1.0
    deadline_at = time.monotonic() + 2
    while client_sockets(port) and time.monotonic() < deadline_at:
        time.sleep(0.02)
    assert client_sockets(port) == 0, "the upstream socket was left open"


def test_waves_of_stalled_turns_grow_no_threads_or_sockets(fake_openai, chat_with):
    fake_openai.mode, fake_openai.delay_s = "trickle", 0.05
    port = int(fake_openai.url.rsplit(":", 1)[1].split("/")[0])
    before = llm_threads()  # other tests' writers may still be alive in this process
    writer = LLMWriter(backend(fake_openai), timeout_s=0.8, first_token_s=0.5, workers=3)
    ask = chat_with(writer)
    counts = []
    with ThreadPoolExecutor(max_workers=8) as turns:
        for _wave in range(3):
            replies = list(turns.map(lambda _n: ask("점심 추천해줘"), range(8)))
            # 3 calls run, 3 more may wait for a slot; a turn beyond those is answered at once (busy)
            assert {r.meta["fallback_reason"] for r in replies} <= {"timeout", "busy"}
            # each waited for the model no longer than its first-token deadline (queued for a slot included)
            assert max(r.meta["llm"]["ms"] for r in replies) < 500 + 1000
            time.sleep(0.3)
            counts.append((llm_threads() - before, client_sockets(port)))
    assert all(threads <= 3 for threads, _ in counts), counts  # the pool's bound
    assert counts[-1] == counts[0] and counts[-1][1] == 0, counts


def test_a_turn_beyond_the_waiting_bound_does_not_queue(fake_openai, chat_with):
    fake_openai.mode = "hang"
    writer = LLMWriter(backend(fake_openai), timeout_s=3, first_token_s=3, workers=1)
    assert writer.max_waiting == 2
    for _ in range(2):  # both waiting places taken
        assert writer._waiting.acquire(blocking=False)
    turn = chat_with(writer)("점심 추천해줘")
    assert turn.meta["fallback_reason"] == "busy" and turn.meta["writer"] == "grounded"
    assert turn.meta["llm"]["ms"] < 100 and fake_openai.requests == []


def test_500s_are_retried_only_within_the_budget(fake_openai, chat_with):
    fake_openai.mode, fake_openai.failures = "fail", 99
    writer = LLMWriter(backend(fake_openai, retries=50), timeout_s=1.0, first_token_s=0.7)
    started = time.monotonic()
    turn = chat_with(writer)("점심 추천해줘")
    assert time.monotonic() - started < 1.7
    assert turn.meta["fallback_reason"] in ("timeout", "server_error")
    assert len(fake_openai.requests) < 10


def test_an_error_whose_body_never_comes_ends_at_the_deadline_as_a_timeout_and_its_socket_closed(fake_openai):
    """A 500's headers and then silence: the call gives up at the first-token deadline with the backend's own
    ``BackendTimeout`` (it used to escape as httpx's ReadTimeout, which the writer files as a backend bug), and
    the error path releases the connection it opened."""
    fake_openai.mode = "fail_silent"
    port = int(fake_openai.url.rsplit(":", 1)[1].split("/")[0])
    model = backend(fake_openai)
    for _ in range(3):
        started = time.monotonic()
        with pytest.raises(BackendTimeout, match="HTTP 500, then sent nothing"):
            list(model.stream("점심 뭐 먹지", budget=TurnBudget(FIRST_TOKEN_S, TOTAL_S), cancel=Cancel()))
        assert time.monotonic() - started < FIRST_TOKEN_S + 0.5
    deadline_at = time.monotonic() + 2
    while client_sockets(port) and time.monotonic() < deadline_at:
        time.sleep(0.02)
    assert client_sockets(port) == 0


def test_answered_500s_keep_no_more_idle_connections_than_asked(fake_openai, chat_with):
    """An answered error leaves its connection alive for the next call; what stays open between waves is
    capped by ``keepalive`` (the app passes its model threads), not by how many calls failed."""
    fake_openai.mode, fake_openai.failures = "fail", 10**6
    port = int(fake_openai.url.rsplit(":", 1)[1].split("/")[0])
    writer = LLMWriter(backend(fake_openai, keepalive=1), timeout_s=0.8, first_token_s=0.5, workers=3)
    ask = chat_with(writer)
    idle = []
    with ThreadPoolExecutor(max_workers=6) as turns:
        for _wave in range(3):
            replies = list(turns.map(lambda _n: ask("점심 뭐먹지"), range(6)))
            assert {r.meta["fallback_reason"] for r in replies} <= {"timeout", "server_error", "busy"}
            idle.append(client_sockets(port))
    assert max(idle) <= 1 and len(fake_openai.requests) >= 6, idle


def test_the_budget_counts_from_the_turns_arrival(fake_openai, chat_with):
    """A turn that waited for a thread past its budget never asks the model."""
    writer = LLMWriter(backend(fake_openai), timeout_s=5, first_token_s=5)
    ask = chat_with(writer)
    spent = TurnBudget(first_token_s=0.2, total_s=0.3, started=time.monotonic() - 1)
    with budget_scope(spent):
        turn = ask("점심 추천해줘")
    assert turn.meta["llm"]["deadline"] == "queued" and turn.meta["fallback_reason"] == "timeout"
    assert fake_openai.requests == []


def test_a_cancel_hook_runs_once_and_not_after_it_was_forgotten():
    cancel, calls = Cancel(), []
    forget = cancel.on_cancel(lambda: calls.append("kept"))
    cancel.on_cancel(lambda: calls.append("second"))()  # forgotten at once: a finished call
    cancel.cancel()
    cancel.cancel()
    assert calls == ["kept"] and cancel.cancelled and cancel.wait(5)
    forget()
    cancel.on_cancel(lambda: calls.append("late"))  # already cancelled: runs at once
    assert calls == ["kept", "late"]
