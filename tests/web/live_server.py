"""A real ``mechuri serve`` in a subprocess (uvicorn, several workers) for tests that need real concurrency."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(base: str, server: subprocess.Popen, timeout: float, log: Path | None = None) -> None:
    """Poll ``{base}/healthz`` until it answers 200; fail (with the server's log, if any) when the process
    exits or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert server.poll() is None, log.read_text() if log is not None else "the server exited"
        assert time.monotonic() < deadline, "the server did not come up"
        time.sleep(0.2)


@contextmanager
def live_server(data_dir: Path, db_url: str | None = None, *, workers: int = 2,
                env: dict[str, str] | None = None) -> Iterator[str]:
    """The base URL of ``mechuri serve --workers N`` on ``db_url`` (default: the SQLite file in ``data_dir``),
    once ``/healthz`` answers; the server is terminated on exit."""
    port = free_port()
    environment = {**os.environ, "MECHURI_DATA_DIR": str(data_dir), **(env or {})}
    environment.pop("MECHURI_DATABASE_URL", None)
    command = [sys.executable, "-m", "mechuri", "serve", "--port", str(port), "--workers", str(workers),
               "--log-level", "warning"]
    if db_url:
        command += ["--db", db_url]
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, server, 120, log=data_dir / "server.log")
        # both workers answer only once each has warmed up: wait until several fresh connections succeed
        for _ in range(4 * workers):
            httpx.get(f"{base}/healthz", timeout=60)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
