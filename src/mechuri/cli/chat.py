"""``mechuri ask`` (one turn, or one per stdin line; ``--json`` for tools) and ``mechuri chat`` (interactive)."""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from mechuri.cli.output import console, engine_help, print_json
from mechuri.config import get_settings
from mechuri.conversation import DialogueManager, MessageRefused
from mechuri.db import Database
from mechuri.llm.base import BackendError
from mechuri.llm.engine import EngineSpecError, build_writer

UserOption = Annotated[str, typer.Option("--user", "-u", help="사용자 이름 (없으면 새로 만들어요)")]
DbOption = Annotated[str | None, typer.Option("--db", help="SQLAlchemy URL (기본: MECHURI_DATABASE_URL 또는 SQLite)")]
EngineOption = Annotated[str | None, typer.Option("--engine", help=engine_help("기본: MECHURI_ENGINE"))]


def _manager(db_url: str | None, engine: str | None = None) -> DialogueManager:
    """The dialogue manager with the configured writer; a bad ``--engine`` is a usage error (exit 2) that
    says what would work. A model is loaded here, before the first message: a turn's first-token deadline
    counts from its arrival, and a one-shot ``ask`` would otherwise spend it loading weights (the web app
    loads at start-up for the same reason). A model that cannot load is left to the turns, which answer
    grounded and say why."""
    settings = get_settings()
    if engine:
        settings = settings.model_copy(update={"engine": engine})
    try:
        writer = build_writer(settings)
    except EngineSpecError as exc:
        raise typer.BadParameter(str(exc), param_hint="--engine") from exc
    warm_up = getattr(writer, "warm_up", None)
    if callable(warm_up):
        with contextlib.suppress(BackendError):
            warm_up()
    return DialogueManager(Database(db_url or settings.resolved_database_url), settings, writer=writer)


def parse_at(value: str, timezone: str) -> datetime:
    """An ISO 8601 time (``2026-12-01T12:10:00+09:00``); one without an offset is read in ``timezone``."""
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise MessageRefused(f"시각을 읽을 수 없어요: {value!r} (예: 2026-12-01T12:10:00+09:00)") from exc
    return at if at.tzinfo else at.replace(tzinfo=ZoneInfo(timezone))


def _line_message(line: str, default_at: datetime | None, timezone: str) -> tuple[str, datetime | None]:
    """A stdin line: plain text, or a JSON object ``{"text": "…", "at": "ISO-TIME"}`` (one process can then
    play many days of a user)."""
    if not line.lstrip().startswith("{"):
        return line, default_at
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        return line, default_at  # a message that happens to start with 「{」
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise MessageRefused('JSON 줄에는 "text"(문자열)가 있어야 해요: {"text": "점심 추천해줘", "at": "…"}')
    at = data.get("at")
    if at is not None and not isinstance(at, str):
        raise MessageRefused('"at"은 ISO 시각 문자열이어야 해요 (예: "2026-12-01T12:10:00+09:00").')
    return data["text"], parse_at(at, timezone) if at else default_at


def _answer(manager: DialogueManager, user_id: int, message: str, as_json: bool,
            at: datetime | None = None) -> bool:
    """One turn printed; False when the message was refused (the reason goes to stderr / JSON).

    As text, the reply is printed piece by piece as the writer releases it (an LLM writer's first checked
    sentence appears while the model writes the rest); as JSON, the whole Turn once it is done."""
    try:
        if as_json:
            print_json(manager.respond(user_id, message, at=at).model_dump(mode="json"))
            return True
        printed = False
        for piece in manager.stream(user_id, message, at=at):
            if isinstance(piece, str) and (printed or piece.strip()):
                typer.echo(piece if printed else piece.lstrip(), nl=False)
                printed = True
        typer.echo()
    except MessageRefused as exc:
        if as_json:
            print_json({"error": str(exc)})
        else:
            typer.echo(str(exc), err=True)
        return False
    return True


def ask_command(
    message: Annotated[str | None, typer.Argument(help="보낼 메시지 (생략하면 표준 입력에서 한 줄에 하나씩)")] = None,
    user: UserOption = "me",
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="턴마다 JSON 한 줄")] = False,
    engine: EngineOption = None,
    at: Annotated[str | None, typer.Option(
        "--at", help="이 시각에 보낸 것으로 답해요 (ISO 8601, 예: 2026-12-01T12:10:00+09:00; 시간대가 없으면 "
        "MECHURI_TIMEZONE). 표준 입력의 JSON 줄 {\"text\": …, \"at\": …}은 줄마다 시각을 정해요")] = None,
) -> None:
    """메시지 하나(또는 표준 입력의 줄마다)에 답해요."""
    manager = _manager(db, engine)
    timezone = manager.settings.timezone
    try:
        default_at = parse_at(at, timezone) if at else None
    except MessageRefused as exc:
        raise typer.BadParameter(str(exc), param_hint="--at") from exc
    user_id = manager.user_id_for(user)
    if message is not None:
        if not _answer(manager, user_id, message, as_json, default_at):
            raise typer.Exit(2)
        return
    ok = True
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            text, when = _line_message(line.rstrip("\n"), default_at, timezone)
        except MessageRefused as exc:
            if as_json:
                print_json({"error": str(exc)})
            else:
                typer.echo(str(exc), err=True)
            ok = False
            continue
        ok = _answer(manager, user_id, text, as_json, when) and ok
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
