"""``mechuri ask`` (one turn, or one per stdin line; ``--json`` for tools) and ``mechuri chat`` (interactive)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mechuri.cli.output import console, engine_help, print_json
from mechuri.config import get_settings
from mechuri.conversation import DialogueManager, MessageRefused, Turn
from mechuri.db import Database
from mechuri.llm.engine import EngineSpecError, build_writer

UserOption = Annotated[str, typer.Option("--user", "-u", help="사용자 이름 (없으면 새로 만들어요)")]
DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL (기본: MECHURI_DATABASE_URL 또는 SQLite)")]
EngineOption = Annotated[str | None, typer.Option("--engine", help=engine_help("기본: MECHURI_ENGINE"))]


def _manager(db_url: str | None, engine: str | None = None) -> DialogueManager:
    """The dialogue manager with the configured writer; a bad ``--engine`` is a usage error (exit 2) that
    says what would work."""
    settings = get_settings()
    if engine:
        settings = settings.model_copy(update={"engine": engine})
    try:
        writer = build_writer(settings)
    except EngineSpecError as exc:
        raise typer.BadParameter(str(exc), param_hint="--engine") from exc
    return DialogueManager(Database(db_url or settings.resolved_database_url), settings, writer=writer)


def _print_turn(turn: Turn) -> None:
    console.print(turn.reply)


def _answer(manager: DialogueManager, user_id: int, message: str, as_json: bool) -> bool:
    """One turn printed; False when the message was refused (the reason goes to stderr / JSON)."""
    try:
        turn = manager.respond(user_id, message)
    except MessageRefused as exc:
        if as_json:
            print_json({"error": str(exc)})
        else:
            typer.echo(str(exc), err=True)
        return False
    if as_json:
        print_json(turn.model_dump(mode="json"))
    else:
        _print_turn(turn)
    return True


def ask_command(
    message: Annotated[str | None, typer.Argument(help="보낼 메시지 (생략하면 표준 입력에서 한 줄에 하나씩)")] = None,
    user: UserOption = "me",
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="턴마다 JSON 한 줄")] = False,
    engine: EngineOption = None,
) -> None:
    """메시지 하나(또는 표준 입력의 줄마다)에 답해요."""
    manager = _manager(db, engine)
    user_id = manager.user_id_for(user)
    if message is not None:
        if not _answer(manager, user_id, message, as_json):
            raise typer.Exit(2)
        return
    ok = True
    for line in sys.stdin:
        if line.strip():
            ok = _answer(manager, user_id, line.rstrip("\n"), as_json) and ok
    if not ok:
        raise typer.Exit(2)


def chat_command(user: UserOption = "me", db: DbOption = None, engine: EngineOption = None) -> None:
    """터미널에서 대화해요 (끝내려면 Ctrl+D 또는 '그만')."""
    manager = _manager(db, engine)
    user_id = manager.user_id_for(user)
    console.print("메추리와 대화를 시작해요. 끝내려면 Ctrl+D 또는 '그만'을 입력하세요.")
    while True:
        try:
            message = console.input("[bold]나[/bold] › ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if message.strip() in ("그만", "exit", "quit"):
            break
        if not message.strip():
            continue
        console.print("[bold]메추리[/bold] › ", end="")
        try:
            for piece in manager.stream(user_id, message):
                if isinstance(piece, str):
                    console.print(piece, end="")
        except MessageRefused as exc:
            console.print(str(exc), end="")
        console.print()
