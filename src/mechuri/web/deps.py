"""Who is calling: the shared app state, and the dependencies that authenticate each request.

A browser is identified by its session cookie and must echo its session's CSRF token in ``X-CSRF-Token``
on every state-changing request; an API client sends ``Authorization: Bearer mch_…`` instead and needs
no CSRF token, because a browser never attaches bearer tokens on its own.

Routes take the request's unit of work as ``DbSession`` and the logged-in user, loaded in it, as
``CurrentUser``; only authentication opens a session of its own (see ``_authenticate``).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Literal, Protocol

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from mechuri.config import Settings
from mechuri.db import Database
from mechuri.db.models import User
from mechuri.llm.budget import TurnBudget
from mechuri.web import strings as S
from mechuri.web.apitokens import find_token
from mechuri.web.errors import ApiError
from mechuri.web.sessions import SESSION_COOKIE, SessionInfo, find_session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"


class Dialogue(Protocol):
    """What the web app needs from ``conversation.DialogueManager``."""

    def respond(self, user_id: int, text: str): ...

    def stream(self, user_id: int, text: str) -> Iterator: ...


@dataclass
class WebState:
    """Everything the routes share, built once per worker by ``create_app``."""

    settings: Settings
    db: Database
    dialogue: Dialogue
    executor: ThreadPoolExecutor
    """The threads that compute chat turns (see ``app.TURN_THREADS``); a turn runs to completion there
    even when its client goes away."""
    work: ThreadPoolExecutor
    """The threads of the other CPU-bound routes (plans, ``app.WORK_THREADS``): a turn waiting on a slow
    model holds a turn thread, never one of these, so plans do not queue behind chats."""
    writer_ready: bool = True
    """Whether the reply writer has been loaded (``create_app`` sets it once start-up warmed it up);
    ``/readyz`` answers 503 until then."""

    def turn_budget(self) -> TurnBudget:
        """A budget for a turn arriving now (``llm.budget``): its deadlines count from the request, so the
        time a turn queues for a thread is spent from them."""
        return TurnBudget(self.settings.llm_first_token_s, self.settings.llm_timeout_s)


@dataclass(frozen=True)
class Caller:
    """An authenticated request: whose it is, how it proved it, and under which ``credentials_version``
    (what a token it makes inherits)."""

    user_id: int
    via: Literal["session", "token"]
    credentials_version: int
    session: SessionInfo | None = None


def state(request: Request) -> WebState:
    return request.app.state.mechuri


def now() -> datetime:
    return datetime.now(UTC)


def client_ip(request: Request) -> str:
    """The client's address as uvicorn saw it (the proxy's X-Forwarded-For when the proxy is trusted)."""
    return request.client.host if request.client else "unknown"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _token_caller(session: Session, token: str) -> Caller:
    row = find_token(session, token, now())
    if row is None:
        raise ApiError(401, "invalid_token", S.TOKEN_INVALID, headers={"WWW-Authenticate": "Bearer"})
    return Caller(user_id=row.user_id, via="token", credentials_version=row.credentials_version)


def db_session(request: Request) -> Iterator[Session]:
    """The route's unit of work (``Database.session``): committed when the route returns normally, rolled
    back when it raises. ``scope="function"`` closes it as soon as the route function returns, so the
    commit happens before the response is sent (a client never reads what is not stored yet, and a failed
    commit is still a 500), and a streamed body never holds it open."""
    with state(request).db.session() as session:
        yield session


DbSession = Annotated[Session, Depends(db_session, scope="function")]
"""A route parameter: the request's database session (one per request, shared with ``CurrentUser``)."""


def session_of(session: Session, request: Request) -> SessionInfo | None:
    """The live session of this browser, if any (no CSRF check: for pages and safe reads)."""
    return find_session(session, request.cookies.get(SESSION_COOKIE), now())


def check_csrf(request: Request, info: SessionInfo) -> None:
    """Refuse a state-changing cookie request that does not carry this session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent.encode(), info.csrf_token.encode()):
        raise ApiError(403, "csrf_failed", S.CSRF_FAILED)


def _authenticate(request: Request, *, cookie: bool) -> Caller:
    """The caller by bearer token, else (when ``cookie``) by session cookie plus CSRF on unsafe methods.

    The look-up is a short unit of work of its own, committed before the route runs, never the route's
    ``DbSession``: a chat turn runs for seconds, and holding the token's ``last_used_at`` write that long
    would keep SQLite's write lock away from the turn itself.
    """
    token = _bearer(request)
    if token is None and not (cookie and request.cookies.get(SESSION_COOKIE)):
        if cookie:
            raise ApiError(401, "login_required", S.LOGIN_REQUIRED)
        raise ApiError(401, "invalid_token", S.TOKEN_INVALID, headers={"WWW-Authenticate": "Bearer"})
    with state(request).db.session() as session:
        if token is not None:
            return _token_caller(session, token)
        info = session_of(session, request)
    if info is None:
        raise ApiError(401, "login_required", S.LOGIN_REQUIRED)
    check_csrf(request, info)
    return Caller(user_id=info.user_id, via="session", credentials_version=info.credentials_version, session=info)


def caller(request: Request) -> Caller:
    """Dependency of the JSON API: a bearer token, or a session cookie (plus CSRF on unsafe methods)."""
    return _authenticate(request, cookie=True)


def token_caller(request: Request) -> Caller:
    """Dependency of the OpenAI-compatible routes: only a bearer token will do (clients there have no cookies)."""
    return _authenticate(request, cookie=False)


def require_json(request: Request) -> None:
    """Log-in and sign-up take JSON only: a cross-site HTML form cannot send it (no CORS preflight passes),
    which is what protects these two cookie-less requests from cross-site forgery."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise ApiError(415, "json_required", S.JSON_REQUIRED)


def load_user(session: Session, user_id: int) -> User:
    """The caller's own row (sessions of deleted users are gone with them, so this is always found)."""
    user = session.get(User, user_id)
    if user is None:
        raise ApiError(401, "login_required", S.LOGIN_REQUIRED)
    return user


CallerDep = Annotated[Caller, Depends(caller)]
"""A route parameter for the JSON API's authenticated caller."""
TokenCallerDep = Annotated[Caller, Depends(token_caller)]
"""A route parameter for the OpenAI-compatible routes' caller."""


def current_user(session: DbSession, who: CallerDep) -> User:
    """The authenticated caller's row, loaded in the request's ``DbSession``."""
    return load_user(session, who.user_id)


CurrentUser = Annotated[User, Depends(current_user)]
"""A route parameter: the logged-in user (JSON API auth, ``CallerDep``), attached to ``DbSession``."""
