"""Log-in rate limiting from a table of recent failures, per username and per client address.

The counts live in the database rather than in process memory so that several workers (and restarts)
share them: an attacker cannot multiply their guesses by the number of workers.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mechuri.db.models import LoginFailure

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


def _retry_after(session: Session, column, value: str, limit: int, now: datetime, *,
                 signups: bool = False) -> int | None:
    """Seconds until enough failures (or sign-ups) for ``value`` leave the window, or None when under the limit."""
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


def retry_after(session: Session, username: str, client_ip: str, now: datetime) -> int | None:
    """Seconds the caller must wait before trying again, or None when a log-in attempt is allowed."""
    waits = [
        _retry_after(session, LoginFailure.username, _key(username), MAX_FAILURES_PER_USERNAME, now),
        _retry_after(session, LoginFailure.client_ip, client_ip[:64], MAX_FAILURES_PER_IP, now),
    ]
    blocked = [wait for wait in waits if wait is not None]
    return max(blocked) if blocked else None


def record_failure(session: Session, username: str, client_ip: str, now: datetime) -> None:
    """Count one failed attempt and drop the failures that no longer count."""
    session.execute(delete(LoginFailure).where(LoginFailure.created_at < now - WINDOW))
    session.add(LoginFailure(username=_key(username), client_ip=client_ip[:64], created_at=now))
    session.flush()


def clear_failures(session: Session, username: str) -> None:
    """A successful log-in forgives that account's earlier typos (the address's count stays)."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == _key(username)))


def signup_retry_after(session: Session, client_ip: str, now: datetime, limit: int = MAX_SIGNUPS_PER_IP) -> int | None:
    """Seconds this address must wait before creating another account, or None when it may."""
    return _retry_after(session, LoginFailure.client_ip, client_ip[:64], limit, now, signups=True)


def record_signup(session: Session, client_ip: str, now: datetime) -> None:
    """Count one account created from this address."""
    record_failure(session, SIGNUP_KEY, client_ip, now)
