"""The two HTML screens (main, chat room) and the health check; the screens' data comes from the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import text

from mechuri.conversation import MAX_MESSAGE_CHARS
from mechuri.web import strings as S
from mechuri.web.deps import DbSession, load_user, session_of, state
from mechuri.web.errors import error_response
from mechuri.web.schemas import Health

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

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


@health_router.get("/healthz", response_model=Health, responses={503: {"description": "database unreachable"}})
def healthz(request: Request) -> Response | Health:
    """Liveness and database reachability, for load balancers and container health checks."""
    try:
        with state(request).db.engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception:
        return error_response(503, "database_down", S.DATABASE_DOWN)
    return Health(status="ok", database="ok")
