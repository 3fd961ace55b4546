"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL, and undo it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from mechuri.db import Base
from mechuri.db.session import create_db_engine, downgrade, migrate
from mechuri.web.apitokens import find_token
from mechuri.web.sessions import find_session, hash_token

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


def test_sessions_and_tokens_alive_before_the_credentials_version_stay_alive_after_it(db_url):
    """0005 starts every user, session and token at credentials version 0: nobody is logged out by the upgrade."""
    engine = create_db_engine(db_url)
    migrate(engine, "0004")
    moment = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO users (id, username, display_name, created_at) "
                                "VALUES (7, 'seoyeon', '서연', :at)"), {"at": moment})
        connection.execute(text("INSERT INTO web_sessions (user_id, token_hash, csrf_token, created_at, expires_at) "
                                "VALUES (7, :hash, 'csrf', :at, :until)"),
                           {"hash": hash_token("cookie-before"), "at": moment, "until": moment + timedelta(days=1)})
        connection.execute(text("INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) "
                                "VALUES (7, '노트북', :hash, 'mch_before', :at)"),
                           {"hash": hash_token("mch_token-before"), "at": moment})
    migrate(engine)
    with Session(engine) as session:
        assert find_session(session, "cookie-before", moment).user_id == 7
        assert find_token(session, "mch_token-before", moment).user_id == 7
    engine.dispose()
