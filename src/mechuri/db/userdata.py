"""Everything stored about one person, read out as JSON or deleted: 개인정보 보호법 열람(제35조)·삭제(제36조),
and the GDPR's access and erasure.

Which rows are a person's is read from the schema, not listed by hand: a row is theirs when one of its
columns is a foreign key to ``users.id`` holding their id (messages, preferences, meals, taste events,
sessions, tokens …), or when its table is in ``KEYED_BY_USERNAME`` (log-in attempts are counted per name
before any account is looked up). A table added later with a ``user_id`` foreign key is exported and
deleted without touching this module; ``tests/db/test_userdata.py`` walks every table of a migrated
database and fails on one that holds a person's rows some other way.

Secrets never leave: a column whose name says it holds a hash, a secret, a password or a CSRF token is
left out of the export (``is_secret_column``), so only a token's name, prefix and dates are shown.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Table, select
from sqlalchemy.orm import Session

from mechuri.db.models import Base, User
from mechuri.db.session import hold_write_lock

EXPORT_FORMAT = "mechuri.export/1"
"""The export's ``format`` field: bumped when its shape changes incompatibly."""

KEYED_BY_USERNAME: dict[str, str] = {"login_failures": "username"}
"""Tables whose rows name a person by (lower-cased) username rather than by id → that column."""

HIDDEN_COLUMNS: dict[str, frozenset[str]] = {"login_failures": frozenset({"client_ip"})}
"""Columns kept out of the export although not secret: a failed log-in's address is whoever tried to get
in, often not the account's owner (someone else's personal data)."""

_SECRET = re.compile(r"hash|secret|password|csrf", re.IGNORECASE)


def is_secret_column(name: str) -> bool:
    """Whether a column holds a credential (a password or token digest, a CSRF token …): never exported."""
    return _SECRET.search(name) is not None


def owner_column(table: Table) -> Column[Any] | None:
    """The column of ``table`` that names the person owning a row by id (a foreign key to ``users.id``)."""
    users = Base.metadata.tables[User.__tablename__]
    for column in table.columns:
        if any(key.column.table is users and key.column.name == "id" for key in column.foreign_keys):
            return column
    return None


def personal_tables() -> list[tuple[Table, Column[Any]]]:
    """Every table holding a person's rows (``users`` itself excepted) with the column that says whose, in the
    schema's dependency order (a row before the rows that point at it)."""
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name == User.__tablename__:
            continue
        column = owner_column(table)
        if column is None and table.name in KEYED_BY_USERNAME:
            column = table.c[KEYED_BY_USERNAME[table.name]]
        if column is not None:
            found.append((table, column))
    return found


def username_key(username: str) -> str:
    """How a username is written in the tables keyed by name (``web.ratelimit`` counts attempts this way)."""
    return username.strip().lower()[:64]


def _owner_value(user: User, column: Column[Any]) -> Any:
    return username_key(user.username) if column.table.name in KEYED_BY_USERNAME else user.id


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(table: Table, row: Any, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {column.name: _jsonable(getattr(row, column.name)) for column in table.columns
            if not is_secret_column(column.name) and column.name not in skip}


def _plans(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The meal plans mechuri made in chat, read out of the stored turns (they have no table of their own;
    ``/api/plan`` answers are not stored)."""
    plans = []
    for message in messages:
        meta = message.get("meta") or {}
        if message.get("role") == "assistant" and meta.get("plan"):
            plans.append({"message_id": message["id"], "created_at": message["created_at"],
                          "plan": meta["plan"], "request": meta.get("plan_request")})
    return plans


def export_user(session: Session, user_id: int, now: datetime) -> dict[str, Any] | None:
    """Everything stored about the user as one JSON-ready document, or None when there is no such user.

    ``user`` is the account row; ``tables`` holds every personal table's rows (oldest first) under the table's
    name; ``plans`` repeats, for reading, the meal plans found in the messages. On PostgreSQL the rows are
    read in one REPEATABLE READ snapshot (a SQLite read transaction is one already), so a reply being stored
    meanwhile is either wholly in the export or not at all; call this before the session has run anything.
    """
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    user = session.get(User, user_id)
    if user is None:
        return None
    users = Base.metadata.tables[User.__tablename__]
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, column in personal_tables():
        order = table.primary_key.columns.values() or list(table.columns)[:1]
        rows = session.execute(select(table).where(column == _owner_value(user, column)).order_by(*order))
        skip = HIDDEN_COLUMNS.get(table.name, frozenset()) | {column.name}
        tables[table.name] = [_row(table, row, skip) for row in rows]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": now.isoformat(),
        "user": _row(users, user),
        "plans": _plans(tables.get("messages", [])),
        "tables": tables,
    }


def lock_user(session: Session, user_id: int) -> User | None:
    """The user's row, freshly read and locked until the unit of work ends (PostgreSQL ``FOR UPDATE``; SQLite's
    write lock), or None when it is gone: a password change and a deletion of one account run one after the
    other, and the second sees what the first did."""
    hold_write_lock(session)
    return session.get(User, user_id, with_for_update=True, populate_existing=True)


def delete_user(session: Session, user_id: int) -> dict[str, int]:
    """Delete the user and every row that is theirs (see the module's docstring), in the caller's unit of work;
    table name → rows deleted (``users`` included). Rows are deleted one table at a time, those pointing at
    others first, rather than left to ``ON DELETE CASCADE``: a SQLite connection opened without
    ``PRAGMA foreign_keys`` (any tool's) would not cascade, and the counts say what went."""
    user = lock_user(session, user_id)
    if user is None:
        return {}
    deleted: dict[str, int] = {}
    for table, column in reversed(personal_tables()):
        result = session.execute(table.delete().where(column == _owner_value(user, column)))
        deleted[table.name] = result.rowcount
    users = Base.metadata.tables[User.__tablename__]
    deleted[users.name] = session.execute(users.delete().where(users.c.id == user_id)).rowcount
    session.expunge(user)
    return deleted
