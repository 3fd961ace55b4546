"""``mechuri db …``: create or upgrade the database schema explicitly (the app also does it at start), and
back the whole database up or restore it while the app runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from mechuri.config import get_settings
from mechuri.db.backup import BackupError, backup, restore
from mechuri.db.session import create_db_engine, migrate

db_app = typer.Typer(help="데이터베이스 스키마 관리, 백업과 복원.", no_args_is_help=True)

DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL (기본: 설정값)")]


@db_app.command("upgrade")
def upgrade(url: DbOption = None) -> None:
    """스키마를 최신으로 (Alembic upgrade head)."""
    target = url or get_settings().resolved_database_url
    engine = create_db_engine(target)
    migrate(engine)
    engine.dispose()
    typer.echo(f"up to date: {engine.url.render_as_string(hide_password=True)}")


@db_app.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(help="백업 파일 (있으면 바꿔 써요)")],
    url: DbOption = None,
) -> None:
    """앱이 도는 중에도 데이터베이스 전체를 파일 하나로 백업 (SQLite: 온라인 백업 API, PostgreSQL: pg_dump)."""
    target = url or get_settings().resolved_database_url
    try:
        result = backup(target, file)
    except BackupError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{result.path}: {result.bytes:,}바이트, 스키마 버전 {result.revision or '?'}")


@db_app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="mechuri db backup으로 만든 파일")],
    url: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="확인 없이 바로 복원")] = False,
) -> None:
    """백업 파일로 데이터베이스를 되돌린 뒤 최신 스키마로 올려요. 백업 뒤에 저장된 것은 모두 사라져요."""
    target = url or get_settings().resolved_database_url
    shown = make_url(target).render_as_string(hide_password=True)
    if not yes and not typer.confirm(f"{shown}의 데이터를 {file}의 내용으로 바꿔요. 백업 뒤에 저장된 것은 사라져요. "
                                     "계속할까요?"):
        raise typer.Exit(1)
    try:
        result = restore(target, file)
    except BackupError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{shown}: {result.path}에서 복원했어요 (스키마 버전 {result.revision or '?'} → 최신).")
