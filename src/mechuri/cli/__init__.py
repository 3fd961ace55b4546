"""The ``mechuri`` command line: one entry point, one sub-command per job."""

from __future__ import annotations

import typer

from mechuri.cli.chat import ask_command, chat_command
from mechuri.cli.data import data_app
from mechuri.cli.db import db_app
from mechuri.cli.finetune import eval_command, generate_command, train_app
from mechuri.cli.food import food_app, targets_command
from mechuri.cli.nlu import nlu_app
from mechuri.cli.serve import serve_command
from mechuri.cli.user import user_app
from mechuri.db import DatabaseUnavailable

app = typer.Typer(
    name="mechuri",
    help="메추리 — 영양과 입맛을 함께 챙기는 메뉴 추천 챗봇 (a Korean menu-recommendation chatbot).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(food_app, name="food")
app.command("targets")(targets_command)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.command("ask")(ask_command)
app.command("chat")(chat_command)
app.command("serve")(serve_command)
app.add_typer(data_app, name="data")
app.add_typer(train_app, name="train")
app.command("generate")(generate_command)
app.command("eval")(eval_command)
app.add_typer(nlu_app, name="nlu")


def main() -> None:
    """Console-script entry point; a database that cannot be used is one paragraph on stderr (exit 1)."""
    try:
        app()
    except DatabaseUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise SystemExit(1) from None
