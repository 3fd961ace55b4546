"""Any number of processes may start on a fresh database at once (issue 17, item 3).

Each process migrates at start-up; the migration runs under a lock (a PostgreSQL advisory lock, a file
lock next to a SQLite file), so one creates the schema and the others find it made. Before, two processes
racing on a fresh database crashed one of them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import inspect

from mechuri.db.session import create_db_engine

PROCESSES = 6
EXPECTED = {"users", "messages", "user_preferences", "meal_logs", "recommendation_logs", "web_sessions",
            "login_failures", "api_tokens", "alembic_version"}

_STARTER = """
import os, sys, time
from pathlib import Path
go = Path(sys.argv[2])
from mechuri.db import Database  # imported before the start line, so the processes start their migration together
while not go.exists():
    time.sleep(0.005)
database = Database(sys.argv[1])
database.dispose()
print("ok")
"""


def _start_together(url: str, tmp_path: Path, count: int = PROCESSES) -> list[subprocess.CompletedProcess]:
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in [str(Path(__file__).parents[2] / "src"),
                                                                   os.environ.get("PYTHONPATH", "")] if p)}
    processes = [subprocess.Popen([sys.executable, "-c", _STARTER, url, str(go)], env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(count)]
    time.sleep(3)  # every process has imported SQLAlchemy and Alembic and waits on the start line
    go.touch()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def _assert_all_started_and_schema_made(url: str, results: list[subprocess.CompletedProcess]) -> None:
    failed = [result.stderr[-2000:] for result in results if result.returncode != 0]
    assert not failed, failed[0]
    engine = create_db_engine(url)
    assert set(inspect(engine).get_table_names()) >= EXPECTED
    engine.dispose()


def test_processes_starting_at_once_on_a_fresh_sqlite_file_all_start(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh' / 'mechuri.db'}"
    _assert_all_started_and_schema_made(url, _start_together(url, tmp_path))


def test_processes_starting_at_once_on_a_fresh_postgresql_schema_all_start(postgres_url, tmp_path):
    _assert_all_started_and_schema_made(postgres_url, _start_together(postgres_url, tmp_path))
