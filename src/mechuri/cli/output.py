"""Printing for the CLI: rich tables for people, JSON for machines."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """One JSON document on one line, Korean left readable."""
    typer_echo(json.dumps(data, ensure_ascii=False))


def typer_echo(text: str) -> None:
    import typer

    typer.echo(text)


def engine_help(default: str) -> str:
    """The ``--engine`` help: every registered engine's syntax and options (``default``: where it comes from)."""
    from mechuri.llm.registry import options_summary, usage

    return f"답변 작성기: {usage()} (옵션 — {options_summary()}; {default})"
