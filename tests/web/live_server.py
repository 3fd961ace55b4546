"""A real ``mechuri serve`` in a subprocess (uvicorn, several workers) for tests that need real concurrency."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass
class Server:
    """A started ``mechuri serve``: its process (the supervisor when there are several workers), address, log."""

    process: subprocess.Popen
    base: str
    log_path: Path

    def pids(self) -> list[int]:
        """The supervisor and its worker processes (Linux: read from /proc)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        found = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        return [self.process.pid, *found]

    def kill(self) -> None:
        """SIGKILL the whole server at once, workers included (a crash, a power cut, an OOM kill)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_server(data_dir: Path, db_url: str | None = None, *, workers: int = 2, env: dict[str, str] | None = None,
                 port: int | None = None, log_name: str = "server.log") -> Server:
    """``mechuri serve --workers N`` on ``db_url`` (default: the SQLite file in ``data_dir``) in its own
    process group, returned once ``/healthz`` answers on every worker."""
    port = port or free_port()
    environment = {**os.environ, "MECHURI_DATA_DIR": str(data_dir), **(env or {})}
    environment.pop("MECHURI_DATABASE_URL", None)
    command = [sys.executable, "-m", "mechuri", "serve", "--port", str(port), "--workers", str(workers),
               "--log-level", "warning"]
    if db_url:
        command += ["--db", db_url]
    log_path = data_dir / log_name
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_until_healthy(server.base, process, 120, log=log_path)
        # both workers answer only once each has warmed up: wait until several fresh connections succeed
        for _ in range(4 * workers):
            httpx.get(f"{server.base}/healthz", timeout=60)
    except BaseException:
        server.stop()
        raise
    return server


@contextmanager
def live_server(data_dir: Path, db_url: str | None = None, *, workers: int = 2,
                env: dict[str, str] | None = None) -> Iterator[str]:
    """The base URL of ``mechuri serve --workers N`` on ``db_url`` (default: the SQLite file in ``data_dir``),
    once ``/healthz`` answers; the server is terminated on exit."""
    server = start_server(data_dir, db_url, workers=workers, env=env)
    try:
        yield server.base
    finally:
        server.stop()
