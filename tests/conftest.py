"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when it is reachable)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mechuri.db import Database
from postgres_schema import POSTGRES_ABSENT, fresh_postgres_schema, postgres_available


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema of its own for one test (``fresh_postgres_schema``); skipped without PostgreSQL."""
    if not postgres_available():
        pytest.skip(POSTGRES_ABSENT)
    with fresh_postgres_schema() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'mechuri.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    """Each test using this runs twice: on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db(db_url) -> Iterator[Database]:
    database = Database(db_url)
    try:
        yield database
    finally:
        database.dispose()
