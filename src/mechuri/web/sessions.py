"""Server-side log-in sessions: a random cookie token, stored hashed, with its own CSRF token and expiry.

Sessions live in the database (not in a signed cookie) so that log-out really ends them, every worker
process sees the same ones, and a stolen database holds no usable cookie: only SHA-256 digests of
256-bit random tokens, which need no slow hash because they cannot be guessed.

A session keeps the user's ``credentials_version`` from the moment its password was checked, and is found
only while the user's row still has it. Deleting a user's sessions on a password change is not enough
alone: a log-in that checked the old password just before the change committed inserts its session just
after the deletion. Compared at every look-up, the version ends that session too, whatever the order.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mechuri.db.models import User, WebSession

SESSION_COOKIE = "mechuri_session"
SESSION_LIFETIME = timedelta(days=14)
"""Absolute lifetime: after two weeks a browser logs in again, however active it was."""


def hash_token(token: str) -> str:
    """The digest stored for a session or API token (hex SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionInfo:
    """What a request needs to know about its session."""

    id: int
    user_id: int
    csrf_token: str
    expires_at: datetime
    credentials_version: int


def _info(row: WebSession) -> SessionInfo:
    return SessionInfo(id=row.id, user_id=row.user_id, csrf_token=row.csrf_token, expires_at=row.expires_at,
                       credentials_version=row.credentials_version)


def start_session(session: Session, user_id: int, now: datetime, *, credentials_version: int,
                  replacing: str | None = None) -> tuple[str, SessionInfo]:
    """A new session for ``user_id``: the cookie token (returned once) and its stored facts.

    ``credentials_version`` is the version read with the password hash that was just checked (never read
    again here: a version read after a racing change would let the old password's session live).

    ``replacing`` is the cookie the browser had before: it is ended, so that logging in always issues a
    fresh token (no session fixation). Expired sessions of everyone are swept here too, since log-ins
    are rare enough to pay for it.
    """
    if replacing:
        end_session(session, replacing)
    # expired rows another log-in is deleting right now are left to it: waiting for them while holding what
    # that log-in waits for (a password change holds its user's row) would be a deadlock on PostgreSQL
    expired = select(WebSession.id).where(WebSession.expires_at < now).with_for_update(skip_locked=True)
    session.execute(delete(WebSession).where(WebSession.id.in_(expired)))
    token = secrets.token_urlsafe(32)
    row = WebSession(user_id=user_id, token_hash=hash_token(token), csrf_token=secrets.token_urlsafe(32),
                     credentials_version=credentials_version, created_at=now, expires_at=now + SESSION_LIFETIME)
    session.add(row)
    session.flush()
    return token, _info(row)


def find_session(session: Session, token: str | None, now: datetime) -> SessionInfo | None:
    """The live session behind a cookie token, or None (unknown, malformed, expired, or opened under
    credentials its user has changed since)."""
    if not token or len(token) > 128:
        return None
    row = session.scalars(select(WebSession).join(User, User.id == WebSession.user_id).where(
        WebSession.token_hash == hash_token(token),
        WebSession.credentials_version == User.credentials_version)).one_or_none()
    if row is None or row.expires_at <= now:
        return None
    return _info(row)


def end_session(session: Session, token: str) -> None:
    """Forget a session (log-out); unknown tokens are ignored."""
    session.execute(delete(WebSession).where(WebSession.token_hash == hash_token(token)))


def end_all_sessions(session: Session, user_id: int) -> None:
    """Log a user out everywhere (e.g. after a password change)."""
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
