"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL, and undo it."""

from __future__ import annotations

from sqlalchemy import inspect, text

from mechuri.db import Base
from mechuri.db.session import create_db_engine, downgrade, migrate

EXPECTED_TABLES = {"users", "messages", "user_preferences", "meal_logs", "recommendation_logs",
                   "web_sessions", "login_failures", "api_tokens"}


def test_upgrade_creates_every_model_table_with_its_columns(db_url):
    engine = create_db_engine(db_url)
    migrate(engine)
    inspector = inspect(engine)
    tables = set(inspector.get_table_names())
    assert tables >= EXPECTED_TABLES
    for table in Base.metadata.sorted_tables:
        migrated = {column["name"] for column in inspector.get_columns(table.name)}
        assert migrated == {column.name for column in table.columns}, table.name
    engine.dispose()


def test_migrate_twice_is_harmless_and_downgrade_removes_everything(db_url):
    engine = create_db_engine(db_url)
    migrate(engine)
    migrate(engine)
    downgrade(engine, "base")
    assert EXPECTED_TABLES.isdisjoint(inspect(engine).get_table_names())
    migrate(engine)
    assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url):
    engine = create_db_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
