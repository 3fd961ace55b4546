"""``mechuri db …``: create or upgrade the database schema explicitly (the app also does it at start)."""

from __future__ import annotations

from typing import Annotated

import typer

from mechuri.config import get_settings
from mechuri.db.session import create_db_engine, migrate

db_app = typer.Typer(help="데이터베이스 스키마 관리.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(url: Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL (기본: 설정값)")] = None) -> None:
    """스키마를 최신으로 (Alembic upgrade head)."""
    target = url or get_settings().resolved_database_url
    engine = create_db_engine(target)
    migrate(engine)
    engine.dispose()
    typer.echo(f"up to date: {engine.url.render_as_string(hide_password=True)}")
