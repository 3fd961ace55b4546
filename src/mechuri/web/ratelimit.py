"""Log-in and sign-up rate limiting from a table of recent attempts, per username and per client address.

The counts live in the database rather than in process memory so that several workers (and restarts)
share them: an attacker cannot multiply their guesses by the number of workers.

An attempt is counted *before* its password is checked (or its account created), in a short unit of work
of its own that holds a lock while it counts and inserts: a PostgreSQL transaction-level advisory lock per
username and per address, or SQLite's write lock taken at ``BEGIN IMMEDIATE``. A burst of simultaneous
attempts is therefore admitted one at a time, and no burst checks more passwords than the limit, however
many workers and threads it reaches. A log-in that turns out right removes its own row (and forgives the
account's earlier typos); a wrong one stays counted.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from mechuri.db import Database
from mechuri.db.models import LoginFailure
from mechuri.db.session import hold_write_lock

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
"""Five wrong passwords for one account in 15 minutes locks that account's log-in for the rest of the window."""
MAX_FAILURES_PER_IP = 30
"""One address may fail 30 times in 15 minutes (several people behind one NAT still get through)."""
MAX_SIGNUPS_PER_IP = 10
"""One address may create 10 accounts in 15 minutes: a family or an office behind one NAT signs up, a
script filling the database with accounts (each with an argon2 hash to compute) is stopped."""
SIGNUP_KEY = "#signup"
"""Sign-ups are rows of the same table under this name, which no username can take (``#`` is not allowed)."""


def _key(username: str) -> str:
    return username.strip().lower()[:64]


def _ip(client_ip: str) -> str:
    return client_ip[:64]


def _lock_id(name: str) -> int:
    """A stable signed 64-bit number for ``name``: the key of a PostgreSQL advisory lock."""
    return int.from_bytes(hashlib.blake2b(f"mechuri-ratelimit:{name}".encode(), digest_size=8).digest(),
                          "big", signed=True)


def _lock(session: Session, *names: str) -> None:
    """Serialize the attempts that count against any of ``names`` until this unit of work ends.

    PostgreSQL: one transaction-level advisory lock per name, taken in a fixed order (no deadlock between
    two attempts that share a username but not an address). SQLite: ``BEGIN IMMEDIATE`` takes the
    database's write lock before anything is read (waiting up to the connection's busy timeout), so the
    count read next cannot be stale when the attempt is inserted.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        for lock_id in sorted({_lock_id(name) for name in names}):
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})
    else:
        hold_write_lock(session)


def _retry_after(session: Session, column, value: str, limit: int, now: datetime, *,
                 signups: bool = False) -> int | None:
    """Seconds until enough attempts (or sign-ups) for ``value`` leave the window, or None when under the limit."""
    since = now - WINDOW
    kind = LoginFailure.username == SIGNUP_KEY if signups else LoginFailure.username != SIGNUP_KEY
    count, oldest = session.execute(
        select(func.count(LoginFailure.id), func.min(LoginFailure.created_at))
        .where(column == value, LoginFailure.created_at > since, kind)
    ).one()
    if count < limit:
        return None
    # min() keeps the column's type, so ``oldest`` comes back as an aware UTC datetime on both databases.
    return max(1, math.ceil((oldest + WINDOW - now).total_seconds()))


def _forget_old(session: Session, now: datetime) -> None:
    """Drop the attempts that no longer count (rows another attempt is deleting right now are left to it)."""
    stale = select(LoginFailure.id).where(LoginFailure.created_at < now - WINDOW).limit(500)
    session.execute(delete(LoginFailure).where(LoginFailure.id.in_(stale.with_for_update(skip_locked=True))))


def retry_after(session: Session, username: str, client_ip: str, now: datetime) -> int | None:
    """Seconds the caller must wait before trying again, or None when a log-in attempt is allowed."""
    waits = [
        _retry_after(session, LoginFailure.username, _key(username), MAX_FAILURES_PER_USERNAME, now),
        _retry_after(session, LoginFailure.client_ip, _ip(client_ip), MAX_FAILURES_PER_IP, now),
    ]
    blocked = [wait for wait in waits if wait is not None]
    return max(blocked) if blocked else None


def claim_login_attempt(db: Database, username: str, client_ip: str, now: datetime) -> tuple[int | None, int]:
    """Count one log-in attempt before its password is checked, atomically: ``(wait, 0)`` when the caller must
    wait ``wait`` seconds (nothing counted), else ``(None, attempt_id)``, committed before this returns."""
    with db.session() as session:
        _lock(session, f"user:{_key(username)}", f"ip:{_ip(client_ip)}")
        _forget_old(session, now)
        wait = retry_after(session, username, client_ip, now)
        if wait is not None:
            return wait, 0
        row = LoginFailure(username=_key(username), client_ip=_ip(client_ip), created_at=now)
        session.add(row)
        session.flush()
        return None, row.id


def login_succeeded(session: Session, username: str, attempt_id: int) -> None:
    """A right password: its own attempt and the account's earlier typos no longer count (attempts that
    started after it, still being checked, stay counted). The address's other failures stay too.

    Rows another right password is deleting at this moment are left to it (``SKIP LOCKED``), never waited
    for: on PostgreSQL a log-in waiting here for a password change's deletion, while the change waits for
    the log-in's new session to let go of the user's row, was a deadlock (two 503s)."""
    forgiven = select(LoginFailure.id).where(LoginFailure.username == _key(username), LoginFailure.id <= attempt_id)
    session.execute(delete(LoginFailure).where(LoginFailure.id.in_(forgiven.with_for_update(skip_locked=True))))


def release_attempt(db: Database, attempt_id: int) -> None:
    """Forget an attempt whose account turned out to be gone (deleted while the attempt was being counted):
    nothing of a deleted account may stay behind, not even this."""
    with db.session() as session:
        session.execute(delete(LoginFailure).where(LoginFailure.id == attempt_id))


def record_failure(session: Session, username: str, client_ip: str, now: datetime) -> None:
    """Count one failed attempt (for callers that check first; the web log-in uses ``claim_login_attempt``)."""
    _forget_old(session, now)
    session.add(LoginFailure(username=_key(username), client_ip=_ip(client_ip), created_at=now))
    session.flush()


def clear_failures(session: Session, username: str) -> None:
    """Forgive that account's counted attempts (the address's count stays)."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == _key(username)))


def signup_retry_after(session: Session, client_ip: str, now: datetime, limit: int = MAX_SIGNUPS_PER_IP) -> int | None:
    """Seconds this address must wait before creating another account, or None when it may."""
    return _retry_after(session, LoginFailure.client_ip, _ip(client_ip), limit, now, signups=True)


def claim_signup(db: Database, client_ip: str, now: datetime, limit: int = MAX_SIGNUPS_PER_IP) -> tuple[int | None, int]:
    """Count one sign-up from this address before the account is made, atomically: ``(wait, 0)`` when the
    address must wait, else ``(None, claim_id)``, committed; ``release_signup`` gives the slot back when the
    account could not be made after all."""
    with db.session() as session:
        _lock(session, f"signup:{_ip(client_ip)}")
        _forget_old(session, now)
        wait = signup_retry_after(session, client_ip, now, limit)
        if wait is not None:
            return wait, 0
        row = LoginFailure(username=SIGNUP_KEY, client_ip=_ip(client_ip), created_at=now)
        session.add(row)
        session.flush()
        return None, row.id


def release_signup(db: Database, claim_id: int) -> None:
    """Give back a sign-up slot whose account was not created (its name was taken a moment before)."""
    with db.session() as session:
        session.execute(delete(LoginFailure).where(LoginFailure.id == claim_id,
                                                   LoginFailure.username == SIGNUP_KEY))


def record_signup(session: Session, client_ip: str, now: datetime) -> None:
    """Count one account created from this address."""
    record_failure(session, SIGNUP_KEY, client_ip, now)
