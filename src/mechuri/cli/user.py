"""``mechuri user …``: a person's data from the command line — export it, delete it, set a password.

For the operator of a mechuri (the one who can run commands on its database): no password is asked for,
unlike on the web, but deleting asks to type the username again unless ``--yes``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from mechuri.config import get_settings
from mechuri.db import Database, crud, userdata
from mechuri.knowledge.korean import resolve_particles

user_app = typer.Typer(help="사용자 데이터: 내보내기(열람), 삭제, 비밀번호.", no_args_is_help=True)

UserOption = Annotated[str, typer.Option("--user", "-u", help="사용자 이름")]
DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL (기본: MECHURI_DATABASE_URL 또는 SQLite)")]


def _database(url: str | None) -> Database:
    return Database(url or get_settings().resolved_database_url)


def _user_id(db: Database, username: str) -> int:
    with db.session() as session:
        user = crud.get_user_by_username(session, username)
        if user is None:
            typer.echo(resolve_particles(f"사용자 '{username}'이(가) 없어요."), err=True)
            raise typer.Exit(1)
        return user.id


@user_app.command("export")
def export_command(
    user: UserOption,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="JSON 파일 (없으면 표준 출력)")] = None,
    db: DbOption = None,
) -> None:
    """그 사용자에 대해 저장된 모든 것을 JSON으로 (웹의 ‘내 데이터 내려받기’와 같은 내용)."""
    database = _database(db)
    try:
        user_id = _user_id(database, user)
        with database.session() as session:
            document = userdata.export_user(session, user_id, datetime.now(UTC))
    finally:
        database.dispose()
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    rows = sum(len(rows) for rows in document["tables"].values()) if document else 0
    typer.echo(f"{out}: {user}의 데이터 {rows:,}행을 내보냈어요.", err=True)


@user_app.command("delete")
def delete_command(
    user: UserOption,
    yes: Annotated[bool, typer.Option("--yes", help="확인 없이 바로 삭제")] = False,
    db: DbOption = None,
) -> None:
    """사용자와 그 사람의 모든 행(메시지, 취향, 식사, 입맛, 세션, 토큰 …)을 영구히 삭제."""
    database = _database(db)
    try:
        user_id = _user_id(database, user)
        if not yes:
            typed = typer.prompt(f"되돌릴 수 없어요. 삭제하려면 사용자 이름({user})을 다시 입력하세요")
            if typed.strip() != user:
                typer.echo("이름이 달라서 삭제하지 않았어요.", err=True)
                raise typer.Exit(1)
        with database.session() as session:
            deleted = userdata.delete_user(session, user_id)
    finally:
        database.dispose()
    summary = ", ".join(f"{table} {count}" for table, count in deleted.items() if count)
    typer.echo(resolve_particles(f"{user}을(를) 삭제했어요 ({summary})."))


@user_app.command("password")
def password_command(user: UserOption, db: DbOption = None) -> None:
    """비밀번호를 새로 정해요(두 번 입력). 모든 세션과 API 토큰이 끝나요. CLI로 만든 사용자도 이걸로 웹에 로그인할 수 있어요."""
    from mechuri.web.accounts import password_problem, set_password  # the web's rules (and fastapi) only here

    database = _database(db)
    try:
        user_id = _user_id(database, user)
        password = typer.prompt("새 비밀번호", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password, user)
        if problem:
            typer.echo(problem, err=True)
            raise typer.Exit(1)
        with database.session() as session:
            account = userdata.lock_user(session, user_id)
            if account is None:
                typer.echo(resolve_particles(f"사용자 '{user}'이(가) 없어요."), err=True)
                raise typer.Exit(1)
            set_password(session, account, password)
    finally:
        database.dispose()
    typer.echo(f"{user}의 비밀번호를 바꿨어요. 모든 세션과 API 토큰이 끝났어요.")
