"""Chaos benchmark (issue 17): the audit's fault cases rerun against a real ``mechuri serve``; prints a table.

Two kinds of case, each on a fresh SQLite database and a server with two workers:

* **A misbehaving model** — the server's engine is an OpenAI-compatible upstream (``tests/faulty_llm.py``,
  in this process) that hangs after its headers, trickles keep-alive lines, cuts its stream midway, or
  answers 500. Each wave fires ``--chats`` chats at once while one client asks for day plans one after
  another. Per fault, uncounted warm-up waves first, until every process's thread count has held still
  for two waves (``warm_up``: the bounded pools fill only when a burst reaches them), then three counted
  waves. Figures: every chat's status and time (each must be answered, grounded, within the deadline +
  1 s), the plans' p95 (< 1 s), and after each counted wave the server processes' threads, their sockets
  to the model server (idle keep-alive connections, at most one per model thread) and their other
  sockets — a leak grows the threads or the other sockets, or takes the model connections past their bound.
* **kill + restart** — ``--chats`` chats in flight (the grounded writer, or the model hanging), then
  SIGKILL to the whole server; it is started again on the same database, and the benchmark waits until no
  question is left without an answer or a visible failure. Figures: orphaned questions at the end, and the
  seconds from the kill to a healthy server with every question settled.

    .venv/bin/python benchmarks/chaos.py                   # every case, 20 chats, 3 counted waves (~8 minutes)
    .venv/bin/python benchmarks/chaos.py --cases hang,kill --chats 10

Traffic goes to 127.0.0.1 only; every request has a timeout. Counting threads and sockets reads /proc
(Linux). ``tests/web/test_chaos.py`` runs small versions of both kinds and asserts the same figures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import ssl
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from _table import markdown_table, percentile

TESTS = Path(__file__).resolve().parent.parent / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from faulty_llm import FakeOpenAI  # noqa: E402 - tests/ is put on sys.path just above
from web.live_server import Server, start_server  # noqa: E402

FIRST_TOKEN_S, TOTAL_S, LEASE_S = 2.0, 4.0, 5.0
WORKERS, LLM_WORKERS = 2, 4
MODEL_CONNECTIONS_BOUND = WORKERS * LLM_WORKERS
"""Connections to the model that may stay open between waves: httpx keeps a connection alive for the next
call (a model server is worth reusing), at most one per model thread (``MECHURI_LLM_WORKERS``) per worker."""
LLM_FAULTS = {"hang": ("hang", 0.0), "trickle": ("trickle", 0.2), "cut": ("broken", 0.0), "500": ("fail", 0.0)}
"""Case name → the faulty server's mode and its delay between keep-alive lines."""
KILL_CASES = {"kill": "grounded", "kill-llm": "hang"}
"""Case name → the engine during the kill: the grounded writer, or the model hanging (turns mid-writer)."""
PASSWORD = "chaos-bench-password"
MESSAGES = ["점심 추천해줘", "새우 알레르기 있어", "김치찌개 칼로리 알려줘", "매운 건 별로야", "저녁 뭐 먹지?"]
REQUEST_TIMEOUT = 60.0
TLS = ssl.create_default_context()
"""One TLS context for every client: each new httpx.Client would otherwise load the CA bundle (tens of
milliseconds of CPU each), which delayed a burst of chats by a second on a busy machine."""


@dataclass
class CaseResult:
    name: str
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    chat_s: list[float] = field(default_factory=list)
    plan_s: list[float] = field(default_factory=list)
    deadline_s: float | None = None
    late: int = 0
    not_grounded: int = 0
    censuses: list[Census] = field(default_factory=list)
    """One per counted wave, settled (``settled_census``)."""
    warm_up_waves: int | None = None
    plateau: bool = False
    """Whether the warm-up ended because every process's threads held still (not at ``--warm-up`` waves)."""
    orphans: int | None = None
    orphans_at_kill: int | None = None
    recover_s: float | None = None
    healthy_s: float | None = None


# -- the server's processes, seen from /proc ---------------------------------------------------------------
@dataclass(frozen=True)
class Census:
    """What the server's processes hold at one moment: threads per process, the sockets open to the model
    server (idle keep-alive connections httpx may keep for the next call), and every other socket."""

    threads: dict[int, int]
    model_connections: int
    sockets: int

    @property
    def total_threads(self) -> int:
        return sum(self.threads.values())


def _tcp_peers() -> dict[str, int]:
    """Socket inode → the remote port of every TCP connection on this machine (/proc/net/tcp and tcp6)."""
    peers = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                peers[fields[9]] = int(fields[2].rsplit(":", 1)[1], 16)
    return peers


def census(server: Server, model_port: int | None) -> Census:
    """Threads and open sockets of the supervisor and its workers; connections to ``model_port`` apart."""
    peers = _tcp_peers()
    threads: dict[int, int] = {}
    model = other = 0
    for pid in server.pids():
        try:
            threads[pid] = len(os.listdir(f"/proc/{pid}/task"))
            descriptors = os.listdir(f"/proc/{pid}/fd")
        except OSError:  # a worker that just exited
            continue
        for fd in descriptors:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                if model_port is not None and peers.get(target[8:-1]) == model_port:
                    model += 1
                else:
                    other += 1
    return Census(threads, model, other)


IDLE_THREAD_S = 11.0
"""anyio (which runs the sync parts of requests) ends a worker thread idle for 10 s at its next call: waiting
this long and then asking each worker something makes the count the long-lived threads only."""


SETTLE_ROUNDS = 3
"""How many times a count that differs from the one before is taken again (see ``settled_census``)."""


def settled_census(server: Server, person: Person, model_port: int | None, before: Census | None = None) -> Census:
    """The census once the last wave's connections have closed and the web server's elastic thread pool has
    shed its idle threads: what is left is what a leak would grow.

    On a loaded machine a wave's last requests finish late, so some of anyio's threads are not yet 10 s idle
    when the count is taken: a count that differs from ``before`` is taken again after another idle period
    (at most ``SETTLE_ROUNDS`` times). An idle elastic thread is gone by then; a leaked one never goes."""
    now = before
    for _ in range(SETTLE_ROUNDS):
        time.sleep(IDLE_THREAD_S)
        for _ in range(6):  # several fresh connections: both workers get one
            person.request("GET", "/api/messages?limit=1")
        time.sleep(1.0)
        now = census(server, model_port)
        if before is None or (now.threads == before.threads and now.sockets == before.sockets):
            break
    assert now is not None
    return now


# -- people ------------------------------------------------------------------------------------------------
class Person:
    """One signed-up user; every request goes on a fresh connection (as separate browsers would)."""

    def __init__(self, base: str, name: str) -> None:
        self.base = base
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT, verify=TLS) as client:
            response = client.post("/api/auth/signup", json={"username": name, "password": PASSWORD,
                                                             "display_name": name})
            response.raise_for_status()
            self.cookies = dict(client.cookies)
            self.csrf = response.json()["csrf_token"]

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int | str, float, dict | None]:
        """(status or the transport error's name, seconds, JSON body or None)."""
        started = time.monotonic()
        try:
            with httpx.Client(base_url=self.base, timeout=REQUEST_TIMEOUT, cookies=self.cookies,
                              verify=TLS) as client:
                response = client.request(method, path, json=body, headers={"X-CSRF-Token": self.csrf})
            seconds = time.monotonic() - started
            ok = response.headers.get("content-type", "").startswith("application/json")
            return response.status_code, seconds, response.json() if ok else None
        except httpx.HTTPError as exc:
            return type(exc).__name__, time.monotonic() - started, None


def people(base: str, count: int, tag: str) -> list[Person]:
    with ThreadPoolExecutor(max_workers=4) as pool:  # sign-ups hash passwords: a few at a time
        return list(pool.map(lambda n: Person(base, f"chaos{tag}u{n}"), range(count)))


def fire_chats(crowd: list[Person], chats: int, on_sent: Callable[[], None] | None = None
               ) -> list[tuple[int | str, float, dict | None]]:
    """``chats`` chats at once (released together), spread over ``crowd``; their results."""
    barrier = threading.Barrier(chats + (1 if on_sent else 0))

    def one(number: int) -> tuple[int | str, float, dict | None]:
        barrier.wait()
        return crowd[number % len(crowd)].request("POST", "/api/chat", {"message": MESSAGES[number % len(MESSAGES)]})

    with ThreadPoolExecutor(max_workers=chats) as pool:
        futures = [pool.submit(one, n) for n in range(chats)]
        if on_sent:
            barrier.wait()
            on_sent()
        return [f.result() for f in futures]


# -- a misbehaving model -----------------------------------------------------------------------------------
def llm_wave(crowd: list[Person], planner: Person, chats: int, result: CaseResult) -> None:
    """One wave: the chats at once, and plans asked one after another until the chats are all answered."""
    done = threading.Event()

    def plans() -> None:
        while not done.is_set():
            status, seconds, _ = planner.request("POST", "/api/plan", {"days": 1})
            result.requests += 1
            result.statuses[f"plan {status}"] += 1
            result.plan_s.append(seconds)

    planning = threading.Thread(target=plans)
    planning.start()
    try:
        answers = fire_chats(crowd, chats)
    finally:
        done.set()
        planning.join()
    for status, seconds, turn in answers:
        result.requests += 1
        result.statuses[f"chat {status}"] += 1
        result.chat_s.append(seconds)
        result.late += seconds > (result.deadline_s or 0) + 1.0
        writer = ((turn or {}).get("meta") or {}).get("writer")
        result.not_grounded += status == 200 and writer != "grounded"


def warm_up(server: Server, crowd: list[Person], planner: Person, chats: int, model_port: int,
            most: int) -> tuple[int, bool]:
    """Waves of the current fault, not counted, until every process's thread count held still over two
    waves in a row (or ``most`` waves): (waves run, whether they held still).

    Why: the server's thread pools (turn, work and model threads, each bounded) start small and grow to
    their sizes only when a burst needs them, and a burst of new connections is mostly accepted by one
    worker — so a worker may meet its first burst in any wave. Counting before both have filled shows
    their filling as growth; a real leak never holds still, however many waves are run.
    """
    counts = [census(server, model_port)]
    for wave in range(1, most + 1):
        llm_wave(crowd, planner, chats, CaseResult("warm-up", deadline_s=TOTAL_S))
        counts.append(settled_census(server, planner, model_port, counts[-1]))
        seen = [c.threads for c in counts]
        if len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]:
            return wave, True
    return most, False


def run_llm_faults(names: list[str], chats: int, waves: int, users: int, warm_up_most: int = 6
                   ) -> list[CaseResult]:
    fake = FakeOpenAI()
    model_port = int(fake.url.rsplit(":", 1)[1].split("/")[0])
    results = []
    with tempfile.TemporaryDirectory(prefix="mechuri-chaos-") as folder:
        env = {"MECHURI_ENGINE": f"openai:{fake.url}#chaos", "MECHURI_LLM_FIRST_TOKEN_S": str(FIRST_TOKEN_S),
               "MECHURI_LLM_TIMEOUT_S": str(TOTAL_S), "MECHURI_SIGNUP_LIMIT_PER_IP": "100000",
               "MECHURI_TURN_LEASE_S": str(LEASE_S), "MECHURI_LLM_WORKERS": str(LLM_WORKERS)}
        server = start_server(Path(folder), workers=WORKERS, env=env)
        try:
            crowd = people(server.base, users, "llm")
            planner = people(server.base, 1, "plan")[0]
            alone = CaseResult("plans alone (no chats)")
            for _ in range(10):
                status, seconds, _ = planner.request("POST", "/api/plan", {"days": 1})
                alone.requests += 1
                alone.statuses[f"plan {status}"] += 1
                alone.plan_s.append(seconds)
            results.append(alone)
            for name in names:
                mode, delay = LLM_FAULTS[name]
                fake.set_mode(mode, delay_s=delay, failures=10**9)
                result = CaseResult(f"LLM {name}", deadline_s=TOTAL_S if mode == "broken" else FIRST_TOKEN_S)
                result.warm_up_waves, result.plateau = warm_up(server, crowd, planner, chats, model_port,
                                                               warm_up_most)
                for _wave in range(waves):
                    llm_wave(crowd, planner, chats, result)
                    before = result.censuses[-1] if result.censuses else None
                    result.censuses.append(settled_census(server, planner, model_port, before))
                results.append(result)
                print(f"  {result.name}: done", file=sys.stderr, flush=True)
        finally:
            server.stop()
            fake.close()
    return results


# -- kill + restart ----------------------------------------------------------------------------------------
def _rows(db_path: Path, sql: str) -> list[tuple]:
    """Rows read straight from the SQLite file (opening ``mechuri.db.Database`` would migrate first: too slow
    to poll with while the turns race the kill)."""
    with contextlib.closing(sqlite3.connect(db_path, timeout=30)) as connection:
        return connection.execute(sql).fetchall()


def unsettled(db_path: Path) -> int:
    """Questions with neither an answer nor a visible failure: pending, or marked answered with no reply."""
    rows = _rows(db_path, "SELECT id, role, state, meta FROM messages")
    answered = {json.loads(meta or "{}").get("message_id") for _, role, _, meta in rows if role == "assistant"}
    return sum(1 for ident, role, state, _ in rows
               if role == "user" and (state == "pending" or (state is None and ident not in answered)))


def stored_questions(db_path: Path) -> int:
    return int(_rows(db_path, "SELECT count(*) FROM messages WHERE role = 'user'")[0][0])


def run_kill(name: str, chats: int, users: int) -> CaseResult:
    mode = KILL_CASES[name]
    fake = FakeOpenAI()
    fake.set_mode(mode if mode != "grounded" else "ok")
    result = CaseResult(name)
    with tempfile.TemporaryDirectory(prefix="mechuri-chaos-") as folder:
        data = Path(folder)
        db_path = data / "mechuri.db"
        env = {"MECHURI_SIGNUP_LIMIT_PER_IP": "100000", "MECHURI_TURN_LEASE_S": str(LEASE_S),
               "MECHURI_LLM_FIRST_TOKEN_S": str(FIRST_TOKEN_S), "MECHURI_LLM_TIMEOUT_S": str(TOTAL_S)}
        if mode != "grounded":
            env["MECHURI_ENGINE"] = f"openai:{fake.url}#chaos"
        server = start_server(data, workers=WORKERS, env=env)
        killed_at = 0.0
        try:
            crowd = people(server.base, users, "kill")

            def kill_soon() -> None:
                nonlocal killed_at
                until = time.monotonic() + 30
                while stored_questions(db_path) < chats // 2 and time.monotonic() < until:
                    time.sleep(0.02)  # half the questions stored: the turns are in flight
                server.kill()
                killed_at = time.monotonic()

            answers = fire_chats(crowd, chats, on_sent=kill_soon)
        finally:
            server.stop()
        for status, seconds, _ in answers:
            result.requests += 1
            result.statuses[f"chat {status}"] += 1
            result.chat_s.append(seconds)
        result.orphans_at_kill = unsettled(db_path)
        restarted = start_server(data, workers=WORKERS, env=env, log_name="server-restarted.log")
        try:
            result.healthy_s = time.monotonic() - killed_at
            deadline = time.monotonic() + LEASE_S * 4 + 30
            while unsettled(db_path) and time.monotonic() < deadline:
                time.sleep(0.2)
            result.recover_s = time.monotonic() - killed_at
            result.orphans = unsettled(db_path)
        finally:
            restarted.stop()
            fake.close()
    return result


# -- the table ---------------------------------------------------------------------------------------------
def _series(values: list[int]) -> str:
    """``59, 59, 59 (+0)``: the counts after each counted wave and the last minus the first."""
    if not values:
        return "—"
    return f"{', '.join(map(str, values))} ({values[-1] - values[0]:+d})"


def table(results: list[CaseResult]) -> str:
    rows = []
    for r in results:
        statuses = ", ".join(f"{key}×{n}" for key, n in sorted(r.statuses.items()))
        warm = "—" if r.warm_up_waves is None else f"{r.warm_up_waves}{'' if r.plateau else ' (still moving)'}"
        model = max((c.model_connections for c in r.censuses), default=None)
        rows.append([
            r.name, str(r.requests), statuses,
            f"{percentile(r.chat_s, 0.95):.2f} / {max(r.chat_s, default=0):.2f}",
            "—" if r.deadline_s is None else f"{r.late} (>{r.deadline_s + 1:g} s)",
            f"{percentile(r.plan_s, 0.95):.2f}" if r.plan_s else "—",
            "—" if r.orphans is None else f"{r.orphans_at_kill} → {r.orphans}",
            warm, _series([c.total_threads for c in r.censuses]), _series([c.sockets for c in r.censuses]),
            "—" if model is None else f"{model} (≤ {MODEL_CONNECTIONS_BOUND})",
            "—" if r.recover_s is None else f"{r.recover_s:.1f} (healthy {r.healthy_s:.1f})",
        ])
    return markdown_table(["case", "requests", "by status", "chat p95 / max s", "chats late",
                           "plan p95 s", "orphaned (at kill → after restart)", "warm-up waves",
                           "threads after each wave", "other sockets after each wave",
                           "model keep-alive (most; bound)", "recover s (kill → settled)"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description="Fault cases against a real mechuri serve; prints a table.")
    parser.add_argument("--cases", default=",".join([*LLM_FAULTS, *KILL_CASES]),
                        help=f"comma-separated, of {', '.join([*LLM_FAULTS, *KILL_CASES])}")
    parser.add_argument("--chats", type=int, default=20, help="chats in flight at once")
    parser.add_argument("--waves", type=int, default=3, help="counted waves per model fault")
    parser.add_argument("--warm-up", type=int, default=6,
                        help="most uncounted waves per model fault before counting (fewer once threads hold still)")
    parser.add_argument("--users", type=int, default=10)
    args = parser.parse_args()
    names = [name.strip() for name in args.cases.split(",") if name.strip()]
    unknown = [n for n in names if n not in LLM_FAULTS and n not in KILL_CASES]
    if unknown:
        parser.error(f"unknown cases: {', '.join(unknown)}")
    results = run_llm_faults([n for n in names if n in LLM_FAULTS], args.chats, args.waves, args.users,
                             args.warm_up) \
        if any(n in LLM_FAULTS for n in names) else []
    results += [run_kill(n, args.chats, args.users) for n in names if n in KILL_CASES]
    print(f"deadlines: first token {FIRST_TOKEN_S:g} s, whole reply {TOTAL_S:g} s; turn lease {LEASE_S:g} s; "
          f"{args.chats} chats in flight, {WORKERS} workers, {LLM_WORKERS} model threads each, SQLite")
    print(table(results))


if __name__ == "__main__":
    main()
