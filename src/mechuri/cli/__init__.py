"""The ``mechuri`` command line: one entry point, one sub-command per job."""

from __future__ import annotations

import typer

from mechuri.cli.db import db_app
from mechuri.cli.food import food_app, targets_command

app = typer.Typer(
    name="mechuri",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(food_app, name="food")
app.command("targets")(targets_command)
app.add_typer(db_app, name="db")


def main() -> None:
    """Console-script entry point."""
    app()
