"""Server-side log-in sessions: a random cookie token, stored hashed, with its own CSRF token and expiry.

Sessions live in the database (not in a signed cookie) so that log-out really ends them, every worker
process sees the same ones, and a stolen database holds no usable cookie: only SHA-256 digests of
256-bit random tokens, which need no slow hash because they cannot be guessed.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mechuri.db.models import WebSession

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


def _info(row: WebSession) -> SessionInfo:
    return SessionInfo(id=row.id, user_id=row.user_id, csrf_token=row.csrf_token, expires_at=row.expires_at)


def start_session(session: Session, user_id: int, now: datetime, *,
                  replacing: str | None = None) -> tuple[str, SessionInfo]:
    """A new session for ``user_id``: the cookie token (returned once) and its stored facts.

    ``replacing`` is the cookie the browser had before: it is ended, so that logging in always issues a
    fresh token (no session fixation). Expired sessions of everyone are swept here too, since log-ins
    are rare enough to pay for it.
    """
    if replacing:
        end_session(session, replacing)
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    row = WebSession(user_id=user_id, token_hash=hash_token(token), csrf_token=secrets.token_urlsafe(32),
                     created_at=now, expires_at=now + SESSION_LIFETIME)
    session.add(row)
    session.flush()
    return token, _info(row)


def find_session(session: Session, token: str | None, now: datetime) -> SessionInfo | None:
    """The live session behind a cookie token, or None (unknown, malformed or expired)."""
    if not token or len(token) > 128:
        return None
    row = session.scalars(select(WebSession).where(WebSession.token_hash == hash_token(token))).one_or_none()
    if row is None or row.expires_at <= now:
        return None
    return _info(row)


def end_session(session: Session, token: str) -> None:
    """Forget a session (log-out); unknown tokens are ignored."""
    session.execute(delete(WebSession).where(WebSession.token_hash == hash_token(token)))


def end_all_sessions(session: Session, user_id: int) -> None:
    """Log a user out everywhere (e.g. after a password change)."""
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
