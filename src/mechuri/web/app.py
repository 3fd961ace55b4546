"""The FastAPI application factory: one database, one dialogue manager, the routes, the guards.

``create_app(settings)`` is what uvicorn runs (``mechuri.web.app:create_app`` with ``factory=True``)
and what tests build against a temporary database. Each worker process calls it once; everything the
workers must share (sessions, rate-limit counts, history) is in the database, never in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from mechuri.config import Settings, get_settings
from mechuri.conversation import DialogueManager
from mechuri.db import Database
from mechuri.llm.engine import build_writer
from mechuri.nlu import understand
from mechuri.pools import full_pool
from mechuri.web import openapi, pages, pwa
from mechuri.web.deps import Dialogue, WebState
from mechuri.web.errors import install_error_handlers
from mechuri.web.middleware import RequestGuard
from mechuri.web.recovery import sweep_forever, sweep_once
from mechuri.web.routes import account, auth, chat, history, me, openai, plan, report, taste

STATIC_DIR = Path(__file__).parent / "static"
TURN_THREADS = 8
"""Chat turns one worker computes at once; the rest wait their turn. A turn is CPU-bound Python, so more
threads add no throughput, only contention: for the GIL, and for SQLite's single writer lock, whose
waiters gave up ("database is locked") when 40 turns ran at once under the load benchmark."""
WORK_THREADS = 4
"""Threads for the other CPU-bound routes (plans): apart from the turn threads, so that turns waiting on a
slow model (up to ``llm_timeout_s`` each) never make a plan wait; model calls have a pool of their own
(``llm_workers``, in the LLM writer)."""

logger = logging.getLogger(__name__)

DESCRIPTION = """메추리 — 영양과 입맛을 함께 챙기는 메뉴 추천 챗봇의 API.

Browsers use the session cookie and send `X-CSRF-Token` on every POST/PUT/DELETE; other clients send
`Authorization: Bearer mch_…` (a personal token made in the profile panel). `/v1/chat/completions` is
OpenAI-compatible. Errors are `{"error": {"message", "type", "code"}}` with a Korean message."""


def _load_analyzer() -> None:
    """Understand one message before serving: the Korean analyzer loads on first use (~5 s), which would
    otherwise be paid by the first person to chat with each worker."""
    understand("점심 추천해줘")


def create_app(settings: Settings | None = None, *, dialogue: Dialogue | None = None) -> FastAPI:
    """The web app on ``settings``' database (migrated here, at start-up).

    ``dialogue`` is a ready dialogue manager (tests pass a ``DialogueManager`` with a scripted writer), used
    as given and not warmed up; the app itself always builds the real one from ``settings``.
    """
    settings = settings or get_settings()
    db = Database(settings.resolved_database_url)
    warm_up = dialogue is None
    if dialogue is None:
        dialogue = DialogueManager(db, settings, writer=build_writer(settings))  # the configured engine
    waiting_on_model = getattr(dialogue.writer, "max_waiting", 0)  # an LLM writer's turns may block on it
    executor = full_pool(TURN_THREADS + waiting_on_model, "mechuri-turn")  # started full: see mechuri.pools
    work = full_pool(WORK_THREADS, "mechuri-work")

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        try:  # the questions a crash left are settled before the first request, not some time after it
            await asyncio.get_running_loop().run_in_executor(work, sweep_once, db, settings.turn_lease_s)
        except Exception:
            logger.exception("the start-up sweep for unanswered questions failed; the periodic one tries again")
        sweeper = asyncio.create_task(sweep_forever(db, settings.turn_lease_s, work, now=False))
        if warm_up:
            await asyncio.get_running_loop().run_in_executor(executor, _load_analyzer)
            writer_warm_up = getattr(dialogue.writer, "warm_up", None)  # an LLM writer loads its model now
            if writer_warm_up is not None:
                try:
                    await asyncio.get_running_loop().run_in_executor(executor, writer_warm_up)
                except Exception:  # a model that cannot load: every turn falls back to the grounded writer
                    logger.exception("the reply model could not be loaded; replies use the grounded writer")
            web_state.writer_ready = True
        yield
        sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeper
        executor.shutdown(wait=True)  # let running turns finish storing their replies
        work.shutdown(wait=True)
        close_writer = getattr(dialogue.writer, "close", None)  # an LLM writer's model pool
        if close_writer is not None:
            close_writer()
        db.dispose()

    app = FastAPI(title="mechuri", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)  # the interactive docs load scripts from a CDN: offline, no
    web_state = WebState(settings=settings, db=db, dialogue=dialogue, executor=executor, work=work,
                         writer_ready=not warm_up)
    app.state.mechuri = web_state
    install_error_handlers(app)
    app.add_middleware(RequestGuard)
    routers = (auth.router, account.router, history.router, chat.router, me.router, taste.router, plan.router,
               report.router, openai.router, pages.health_router, pwa.router, pages.router)
    for router in routers:
        app.include_router(router)
    openapi.document(app, routers)  # every route's error statuses and authentication, in /openapi.json
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
