"""The two HTML screens (main, chat room) and the health checks; the screens' data comes from the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from mechuri.conversation import MAX_MESSAGE_CHARS
from mechuri.db import DatabaseUnavailable
from mechuri.web import strings as S
from mechuri.web.deps import DbSession, load_user, session_of, state
from mechuri.web.errors import RETRY_AFTER_S, error_response, unavailable_response
from mechuri.web.schemas import Health, Ready

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


@pass_context
def asset(context: dict, path: str) -> str:
    """The URL of a static file as a path from the site's root (``/static/app.css``, behind the proxy's
    ``root_path`` when there is one), never an absolute URL: Starlette's ``url_for`` writes the request's
    Host header into the page, so a forged Host would be echoed into every script and stylesheet address
    (and into a cache that keeps the page)."""
    request: Request = context["request"]
    return request.scope.get("root_path", "").rstrip("/") + str(request.app.url_path_for("static", path=path))


templates.env.globals["asset"] = asset

router = APIRouter(include_in_schema=False)
health_router = APIRouter(tags=["health"])


@router.get("/", response_class=HTMLResponse)
def index(request: Request, session: DbSession) -> Response:
    """What mechuri is, sign-up and log-in; a logged-in browser goes straight to its chat room."""
    if session_of(session, request) is not None:
        return RedirectResponse("/chat", status_code=303)
    return templates.TemplateResponse(request, "index.html", {})


@router.get("/chat", response_class=HTMLResponse)
def chat_room(request: Request, session: DbSession) -> Response:
    """The user's one chat room, with the side panel (preferences, profile, today)."""
    info = session_of(session, request)
    if info is None:
        return RedirectResponse("/", status_code=303)
    user = load_user(session, info.user_id)
    context = {"csrf_token": info.csrf_token, "display_name": user.display_name,
               "username": user.username, "max_chars": MAX_MESSAGE_CHARS}
    return templates.TemplateResponse(request, "chat.html", context, headers={"Cache-Control": "no-store"})


@health_router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """Liveness: the process answers. It touches no database, so an outage does not get healthy workers
    restarted (restarting would not bring the database back); readiness is ``/readyz``."""
    return Health(status="ok")


@health_router.get("/readyz", response_model=Ready,
                   responses={503: {"description": "database down, unreachable, read-only or full; or the reply "
                                                   "writer not loaded yet (with Retry-After)"}})
def readyz(request: Request) -> Response | Ready:
    """Readiness, for load balancers: the database can be read *and written* (one row written and deleted
    in a committed transaction) and the reply writer is loaded."""
    web = state(request)
    if not web.writer_ready:
        return error_response(503, "not_ready", S.NOT_READY, headers={"Retry-After": str(RETRY_AFTER_S)})
    try:
        web.db.probe()
    except DatabaseUnavailable:
        return unavailable_response()
    return Ready(status="ok", database="ok", writer=getattr(web.dialogue.writer, "name", "grounded"))
