"""PostgreSQL for the tests: is it there, and a fresh schema to run on. A module of its own (not the
conftest) so that the browser tests' live server can use it as well as the database fixtures."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

POSTGRES_ADMIN_URL = os.environ.get(
    "MECHURI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_ADDRESS = make_url(POSTGRES_ADMIN_URL)
POSTGRES_ABSENT = f"PostgreSQL is not reachable at {_ADDRESS.host}:{_ADDRESS.port or 5432}"
_postgres_up: bool | None = None


def postgres_available() -> bool:
    """Probe PostgreSQL once per run; tests that need it skip cleanly when it is not there."""
    global _postgres_up
    if _postgres_up is None:
        try:
            engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            engine.dispose()
            _postgres_up = True
        except (OperationalError, ImportError):
            _postgres_up = False
    return _postgres_up


@contextmanager
def fresh_postgres_schema() -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema in the ``test`` database, dropped on exit (callers
    skip first when ``postgres_available()`` is false). A schema rather than a database: it takes
    milliseconds and no rights beyond the ``test`` database, and the app migrates into whatever
    ``search_path`` names, so each user of it starts from nothing and leaves nothing behind."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
