"""``mechuri db backup`` / ``restore`` round-trip every table, on SQLite (online backup API) and PostgreSQL
(pg_dump / pg_restore, skipped when PostgreSQL or its tools are absent), and refuse what they cannot do."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from mechuri.cli import app as cli_app
from mechuri.db import Database, backup, crud, userdata
from mechuri.db.models import Base

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table (alembic_version included), in primary-key order."""
    with db.session() as session:
        rows = {table.name: [tuple(row) for row in session.execute(
            select(table).order_by(*table.primary_key.columns))] for table in Base.metadata.sorted_tables}
        rows["alembic_version"] = [tuple(row) for row in session.execute(text("SELECT * FROM alembic_version"))]
    return rows


def _fill(db: Database, username: str) -> None:
    with db.session() as session:
        user = crud.create_user(session, username, password="kimbap-and-ramen", display_name="민지")
        message = crud.add_message(session, user, "user", "새우 알레르기 있어", created_at=NOW)
        crud.add_message(session, user, "assistant", "기억할게요.", meta={"intent": "allergy", "plan": None},
                         created_at=NOW)
        crud.set_preference(session, user, "allergy", "새우", source_message=message)
        crud.log_meal(session, user, food_name="비빔밥", meal_type="점심", servings=1.5,
                      nutrition={"kcal": 900.0, "sodium_mg": 1200.0}, eaten_at=NOW, source_message=message)


def _round_trip(db_url: str, tmp_path) -> None:
    db = Database(db_url)
    try:
        _fill(db, "minji")
        _fill(db, "junho")
        before = _snapshot(db)
        file = tmp_path / "backups" / "mechuri.backup"
        made = backup.backup(db_url, file)
        assert made.revision == before["alembic_version"][0][0] and made.bytes == file.stat().st_size > 0

        with db.session() as session:  # life goes on after the backup: a deletion, a new person
            userdata.delete_user(session, crud.get_user_by_username(session, "minji").id)
        _fill(db, "seoyeon")
        assert _snapshot(db) != before

        restored = backup.restore(db_url, file)
        assert restored.revision == made.revision
        assert _snapshot(db) == before  # the same connection pool sees the restored rows
    finally:
        db.dispose()


def test_sqlite_round_trip(sqlite_url, tmp_path):
    _round_trip(sqlite_url, tmp_path)


@pytest.mark.postgres
def test_postgres_round_trip(postgres_url, tmp_path):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump / pg_restore are not installed")
    _round_trip(postgres_url, tmp_path)


def test_sqlite_backup_is_online_and_takes_only_what_was_committed(sqlite_url, tmp_path):
    db = Database(sqlite_url)
    try:
        _fill(db, "minji")
        writer = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
        writer.execute("BEGIN IMMEDIATE")  # another process in the middle of writing
        writer.execute("UPDATE users SET display_name = '아직 안 씀'")
        file = tmp_path / "online.db"
        backup.backup(sqlite_url, file)  # neither waits for the writer nor copies its uncommitted change
        writer.rollback()
        writer.close()
        fresh_url = f"sqlite:///{tmp_path / 'fresh.db'}"
        backup.restore(fresh_url, file)  # into a database that did not exist
        fresh = Database(fresh_url)
        try:
            assert _snapshot(fresh) == _snapshot(db)
        finally:
            fresh.dispose()
    finally:
        db.dispose()


def test_restore_refuses_what_it_cannot_restore(sqlite_url, tmp_path):
    db = Database(sqlite_url)
    try:
        _fill(db, "minji")
        before = _snapshot(db)
        junk = tmp_path / "notes.txt"
        junk.write_text("not a database", encoding="utf-8")
        with pytest.raises(backup.BackupError, match="백업 파일이 아닌"):
            backup.restore(sqlite_url, junk)
        with pytest.raises(backup.BackupError, match="없어요"):
            backup.restore(sqlite_url, tmp_path / "missing.db")
        pg_dump_file = tmp_path / "pg.dump"
        pg_dump_file.write_bytes(b"PGDMP\x01\x0e\x00")
        with pytest.raises(backup.BackupError, match="PostgreSQL 백업"):
            backup.restore(sqlite_url, pg_dump_file)

        newer = tmp_path / "newer.db"
        backup.backup(sqlite_url, newer)
        with sqlite3.connect(newer) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
        with pytest.raises(backup.BackupError, match="9999_future"):
            backup.restore(sqlite_url, newer)
        assert _snapshot(db) == before  # nothing was touched by any refusal
    finally:
        db.dispose()


def test_postgres_without_its_tools_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    with pytest.raises(backup.BackupError, match=r"pg_dump.*postgresql-client"):
        backup.backup("postgresql+psycopg://postgres@127.0.0.1:5432/test", tmp_path / "x.dump")
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00")
    with pytest.raises(backup.BackupError, match=r"pg_restore.*postgresql-client"):
        backup.restore("postgresql+psycopg://postgres@127.0.0.1:5432/test", dump)
    result = CliRunner().invoke(cli_app, ["db", "backup", str(tmp_path / "y.dump"), "--db",
                                          "postgresql+psycopg://postgres@127.0.0.1:5432/test"])
    assert result.exit_code == 1 and "postgresql-client" in result.output and "Traceback" not in result.output


def test_cli_backup_and_restore(sqlite_url, tmp_path):
    db = Database(sqlite_url)
    try:
        _fill(db, "minji")
        before = _snapshot(db)
        file = tmp_path / "nightly.db"
        runner = CliRunner()
        result = runner.invoke(cli_app, ["db", "backup", str(file), "--db", sqlite_url])
        assert result.exit_code == 0 and "스키마 버전" in result.output, result.output
        _fill(db, "junho")
        result = runner.invoke(cli_app, ["db", "restore", str(file), "--db", sqlite_url], input="n\n")
        assert result.exit_code == 1 and _snapshot(db) != before  # asked, and told no
        result = runner.invoke(cli_app, ["db", "restore", str(file), "--db", sqlite_url], input="y\n")
        assert result.exit_code == 0, result.output
        assert _snapshot(db) == before
    finally:
        db.dispose()
