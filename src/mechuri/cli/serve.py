"""``mechuri serve``: run the web app with uvicorn (the README's run command), and print where it is.

The app is started as an import string with ``factory=True`` so that ``--workers N`` works: each worker
process builds its own app from the same settings, which this command passes on through the
``MECHURI_*`` environment. The schema is migrated once here, before any worker starts, and a row is
written and deleted: a database that is unreachable, read-only or full is said in one paragraph (exit 1)
instead of a traceback from every worker.
"""

from __future__ import annotations

import inspect
import os
from typing import Annotated, Any

import typer

from mechuri.cli.output import engine_help
from mechuri.config import Settings, get_settings
from mechuri.db import Database, DatabaseUnavailable
from mechuri.llm.engine import EngineSpecError, parse_engine

APP_FACTORY = "mechuri.web.app:create_app"
WORKER_HEALTHCHECK_S = 60
"""How long a worker may be silent before uvicorn's supervisor kills it. Loading the Korean analyzer
holds the GIL for ~5 s on a small machine, exactly uvicorn's default, which made it kill healthy workers."""


def _url(host: str, port: int) -> str:
    """The address to open in a browser (a wildcard host is reachable on loopback)."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def serve_command(
    host: Annotated[str | None, typer.Option("--host", help="들을 주소 (기본 127.0.0.1; 모두에게 열려면 0.0.0.0)")] = None,
    port: Annotated[int | None, typer.Option("--port", "-p", help="포트 (기본 8000)")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, max=64, help="워커 프로세스 수")] = 1,
    db: Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL (기본: MECHURI_DATABASE_URL 또는 SQLite)")] = None,
    engine: Annotated[str | None, typer.Option(
        "--engine", help=engine_help(f"설정 MECHURI_ENGINE; 기본 {Settings.model_fields['engine'].default}"))] = None,
    forwarded_allow_ips: Annotated[str, typer.Option(
        "--forwarded-allow-ips",
        help="X-Forwarded-For/-Proto를 믿을 프록시 주소 (쉼표로 구분; 기본 127.0.0.1)")] = "127.0.0.1",
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn 로그 수준")] = "info",
) -> None:
    """웹 앱을 띄우고 주소를 알려 줘요 (기본: 데이터 폴더의 SQLite, 오프라인 작성기)."""
    import uvicorn

    if db:
        os.environ["MECHURI_DATABASE_URL"] = db
    if engine:
        os.environ["MECHURI_ENGINE"] = engine
    get_settings.cache_clear()
    settings = get_settings()
    try:  # a typo in the engine is said now, not by every worker after start-up
        parse_engine(settings.engine)
    except EngineSpecError as exc:
        raise typer.BadParameter(str(exc), param_hint="--engine") from exc
    host = host or settings.host
    port = port or settings.port
    try:  # migrates once, before the workers start; then one row written and deleted, as /readyz does
        database = Database(settings.resolved_database_url)
        try:
            database.probe()
        finally:
            database.dispose()
    except DatabaseUnavailable as exc:  # one paragraph, not every worker's traceback
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    shown_db = database.engine.url.render_as_string(hide_password=True)

    typer.echo(f"메추리가 {_url(host, port)} 에서 기다리고 있어요 (Ctrl+C로 끝내요).")
    typer.echo(f"  데이터베이스: {shown_db} · 작성기: {settings.engine} · 워커: {workers}")
    options: dict[str, Any] = {}
    if "timeout_worker_healthcheck" in inspect.signature(uvicorn.Config).parameters:  # uvicorn ≥ 0.30's supervisor
        options["timeout_worker_healthcheck"] = WORKER_HEALTHCHECK_S
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers, proxy_headers=True,
                forwarded_allow_ips=forwarded_allow_ips, log_level=log_level, timeout_graceful_shutdown=10,
                **options)
