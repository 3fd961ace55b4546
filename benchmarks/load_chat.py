"""Load benchmark of the chat API: N concurrent users each send M messages; prints a table of figures.

It starts ``mechuri serve`` on a loopback port with a fresh database (or uses ``--url``), signs the users
up, lets every user send their messages one after another — all users at once — and then checks, through
the API, that every message and every reply was stored in order. Traffic goes to 127.0.0.1 only, every
request has a timeout, and the run stops by itself.

    .venv/bin/python benchmarks/load_chat.py                      # 50 users × 20 messages, SQLite, 1 worker
    .venv/bin/python benchmarks/load_chat.py --workers 2 --db postgresql+psycopg://postgres@127.0.0.1/bench
    .venv/bin/python benchmarks/load_chat.py --stream             # POST /api/chat/stream (SSE) instead

Latency is measured per message from sending the request to having the whole Turn (for ``--stream``
also to the first reply piece). The first turn a worker answers loads the Korean analyzer (seconds), so a
few warm-up messages are sent before the clock starts; they are not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from _table import markdown_table, percentile

MESSAGES = [
    "점심 추천해줘", "다른 거", "김치찌개 칼로리 알려줘", "매운 건 별로야", "저녁 뭐 먹지?",
    "아침에 토스트 먹었어", "국물 있는 거 추천해줘", "짜장면 나트륨 얼마야?", "가볍게 먹을 거 추천", "아침 추천",
]
PASSWORD = "load-test-password"
REQUEST_TIMEOUT = 120.0
KEEPALIVE_EXPIRY = 2.0
"""Shorter than uvicorn's 5 s keep-alive timeout: otherwise a connection left idle while the other users
sign up can be reused at the very moment the server closes it, a client-side race seen as ReadError."""


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    first_piece: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, db_url: str, data_dir: str, log, log_level: str) -> subprocess.Popen:
    """``mechuri serve`` itself, as a user would start it; its output goes to a log file."""
    # 50 sign-ups from one loopback address: lift the per-address sign-up limit for the benchmark
    env = {**os.environ, "MECHURI_DATA_DIR": data_dir, "MECHURI_SIGNUP_LIMIT_PER_IP": "100000"}
    command = [sys.executable, "-m", "mechuri", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--db", db_url, "--log-level", log_level]
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


async def wait_healthy(base: str, deadline: float) -> None:
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"{base}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("the server did not become healthy in time")


async def sign_up(base: str, name: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT,
                               limits=httpx.Limits(keepalive_expiry=KEEPALIVE_EXPIRY))
    response = await client.post("/api/auth/signup", json={"username": name, "password": PASSWORD,
                                                           "display_name": name})
    response.raise_for_status()
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


async def send(client: httpx.AsyncClient, text: str, stream: bool, result: Result) -> None:
    started = time.perf_counter()
    try:
        if not stream:
            response = await client.post("/api/chat", json={"message": text})
            if response.status_code != 200 or not response.json().get("reply_id"):
                result.errors.append(f"{response.status_code}: {response.text[:120]}")
                return
        else:
            turn, first = None, None
            async with client.stream("POST", "/api/chat/stream", json={"message": text}) as response:
                if response.status_code != 200:
                    result.errors.append(f"{response.status_code}")
                    return
                event = ""
                async for line in response.aiter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                        if event == "delta" and first is None:
                            first = time.perf_counter() - started
                    elif line.startswith("data: ") and event == "turn":
                        turn = json.loads(line[6:])
                    elif line.startswith("data: ") and event == "error":
                        result.errors.append(line[6:120])
                        return
            if not turn or not turn.get("reply_id"):
                result.errors.append("stream ended without a turn")
                return
            if first is not None:
                result.first_piece.append(first)
    except httpx.HTTPError as exc:
        result.errors.append(f"{type(exc).__name__}: {exc}")
        return
    result.latencies.append(time.perf_counter() - started)


async def user_session(client: httpx.AsyncClient, index: int, count: int, stream: bool, result: Result) -> list[str]:
    sent = []
    for number in range(count):
        text = MESSAGES[(index + number) % len(MESSAGES)]
        sent.append(text)
        await send(client, text, stream, result)
    return sent


async def stored_correctly(client: httpx.AsyncClient, sent: list[str]) -> bool:
    """Every message sent is in the history, in order, each followed by an assistant reply."""
    response = await client.get("/api/messages", params={"limit": 200})
    messages = response.json()["messages"]
    users = [m["content"] for m in messages if m["role"] == "user"]
    replies = [m for m in messages if m["role"] == "assistant"]
    roles = [m["role"] for m in messages]
    return users == sent and len(replies) == len(sent) and roles == ["user", "assistant"] * len(sent)


async def run(args: argparse.Namespace, base: str) -> int:
    deadline = time.monotonic() + args.max_seconds
    await wait_healthy(base, time.monotonic() + 120)
    tag = f"{int(time.time()) % 100000}"
    warm = await sign_up(base, f"warmup{tag}")
    await asyncio.gather(*(warm.post("/api/chat", json={"message": "점심 추천해줘"})
                           for _ in range(args.workers * 2)))
    await warm.aclose()

    clients = []
    for start in range(0, args.users, 10):  # sign-ups hash passwords: a few at a time
        clients += await asyncio.gather(*(sign_up(base, f"load{tag}u{n}")
                                          for n in range(start, min(start + 10, args.users))))
    result = Result()
    started = time.perf_counter()
    sessions = [user_session(client, n, args.messages, args.stream, result) for n, client in enumerate(clients)]
    remaining = max(1.0, deadline - time.monotonic())
    sent = await asyncio.wait_for(asyncio.gather(*sessions), timeout=remaining)
    elapsed = time.perf_counter() - started
    checks = await asyncio.gather(*(stored_correctly(c, s) for c, s in zip(clients, sent, strict=True)))
    for client in clients:
        await client.aclose()

    total = args.users * args.messages
    ok = len(result.latencies)
    rows = [
        ("endpoint", "POST /api/chat/stream (SSE)" if args.stream else "POST /api/chat"),
        ("database", args.db_label), ("server workers", str(args.workers)),
        ("users × messages", f"{args.users} × {args.messages} = {total}"),
        ("wall time", f"{elapsed:.1f} s"), ("throughput", f"{ok / elapsed:.1f} messages/s"),
        # percentile() gives 0.0 for no latencies: show "n/a" then, not a fast-looking 0 ms
        ("latency p50", f"{percentile(result.latencies, 0.50) * 1000:.0f} ms" if ok else "n/a"),
        ("latency p95", f"{percentile(result.latencies, 0.95) * 1000:.0f} ms" if ok else "n/a"),
        ("latency p99", f"{percentile(result.latencies, 0.99) * 1000:.0f} ms" if ok else "n/a"),
        ("latency max", f"{max(result.latencies) * 1000:.0f} ms" if ok else "n/a"),
        ("latency mean", f"{statistics.fmean(result.latencies) * 1000:.0f} ms" if ok else "n/a"),
    ]
    if args.stream and result.first_piece:
        rows.append(("first piece p50", f"{percentile(result.first_piece, 0.50) * 1000:.0f} ms"))
    rows += [("errors", str(len(result.errors))),
             ("stored", f"{sum(checks)}/{len(checks)} users: every message and reply, in order")]
    print(markdown_table(["measure", "value"], rows))
    for error in result.errors[:5]:
        print("error:", error, file=sys.stderr)
    return 0 if not result.errors and all(checks) and ok == total else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (when starting one)")
    parser.add_argument("--db", help="database URL for the started server (default: a fresh SQLite file)")
    parser.add_argument("--url", help="benchmark a running server instead (loopback only)")
    parser.add_argument("--stream", action="store_true", help="use the SSE endpoint")
    parser.add_argument("--server-log-level", default="warning", help="uvicorn log level of the started server")
    parser.add_argument("--max-seconds", type=float, default=600, help="stop the run after this long")
    args = parser.parse_args()
    if args.url:
        host = httpx.URL(args.url).host
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("only a server on this machine's loopback may be load-tested")
        args.db_label = "(running server)"
        return asyncio.run(run(args, args.url.rstrip("/")))

    with tempfile.TemporaryDirectory(prefix="mechuri-load-") as folder:
        db_url = args.db or f"sqlite:///{Path(folder) / 'mechuri.db'}"
        args.db_label = "PostgreSQL" if db_url.startswith("postgresql") else "SQLite (WAL)"
        port = free_port()
        log_path = Path(folder) / "server.log"
        with log_path.open("w") as log:
            server = start_server(port, args.workers, db_url, folder, log, args.server_log_level)
            status = 1
            try:
                status = asyncio.run(run(args, f"http://127.0.0.1:{port}"))
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                if status:
                    lines = log_path.read_text().splitlines()
                    notable = [line for line in lines if " 200 OK" not in line and " 201 Created" not in line]
                    print("server log (all but successful requests, last 60 lines):", *notable[-60:],
                          sep="\n", file=sys.stderr)
        return status


if __name__ == "__main__":
    raise SystemExit(main())
