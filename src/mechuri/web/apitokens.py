"""Personal API tokens for the OpenAI-compatible endpoint: created in the profile page, shown once.

Like session cookies, only the SHA-256 digest of the random token is stored; the visible prefix lets a
person tell their tokens apart in the list without the database holding anything replayable. A token
keeps the ``credentials_version`` of the session (or token) that made it and works only while its user's
row still has it, so a token minted during a password change dies with the old password (``web.sessions``).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mechuri.db.crud import NotFoundError
from mechuri.db.models import ApiToken, User
from mechuri.web.sessions import hash_token

TOKEN_PREFIX = "mch_"
MAX_TOKENS_PER_USER = 20
LAST_USED_RESOLUTION = timedelta(minutes=5)
"""``last_used_at`` is refreshed at most this often, so a busy client does not write on every request."""


def create_token(session: Session, user_id: int, name: str, now: datetime, *,
                 credentials_version: int) -> tuple[str, ApiToken]:
    """A new token for ``user_id``: the secret (returned only here) and its stored row. ``credentials_version``
    is the one of the session or token that asked for it, as it was checked for this request."""
    count = session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == user_id)) or 0
    if count >= MAX_TOKENS_PER_USER:
        raise OverflowError(MAX_TOKENS_PER_USER)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name, token_hash=hash_token(secret), prefix=secret[:10],
                   credentials_version=credentials_version, created_at=now)
    session.add(row)
    session.flush()
    return secret, row


def list_tokens(session: Session, user_id: int) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)))


def revoke_token(session: Session, user_id: int, token_id: int) -> None:
    """Delete one of the user's own tokens; another user's id is treated as not found."""
    result = session.execute(delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id))
    if result.rowcount == 0:
        raise NotFoundError(f"token {token_id} not found")


def find_token(session: Session, secret: str, now: datetime) -> ApiToken | None:
    """The live token behind a bearer secret (its ``user_id`` is the caller), or None for an unknown or
    malformed one, or one made under credentials its user has changed since."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 128:
        return None
    row = session.scalars(select(ApiToken).join(User, User.id == ApiToken.user_id).where(
        ApiToken.token_hash == hash_token(secret),
        ApiToken.credentials_version == User.credentials_version)).one_or_none()
    if row is None:
        return None
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
        row.last_used_at = now
    return row
