"""The command-line reference (``docs/cli.md``), generated from the Typer app itself.

    python -m mechuri.cli.reference > docs/cli.md

walks the command tree of ``mechuri.cli.app`` (every group, command and subcommand that is not hidden)
and renders each one's help text, usage and options as Markdown, with the option texts exactly as
``--help`` shows them. ``tests/test_docs.py`` compares ``docs/cli.md`` with this output, so a command or
option added without regenerating the file fails the tests.

The output depends only on the code: a default inside the installed package (``food check --folder``)
is written as the source path ``src/mechuri/…``, wherever the package lives, and the home folder as ``~``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

import mechuri

COMMAND = "python -m mechuri.cli.reference > docs/cli.md"
_PACKAGE = Path(mechuri.__file__).resolve().parent


def _portable(text: str) -> str:
    """``text`` without this machine's paths: the package as ``src/mechuri``, the home folder as ``~``."""
    text = text.replace(str(_PACKAGE), "src/mechuri")
    home = str(Path.home())
    return text.replace(f"{home}/", "~/") if home != "/" else text


def _cell(text: str) -> str:
    """``text`` fit for one Markdown table cell: one line, pipes escaped."""
    return " ".join(_portable(text).split()).replace("|", "\\|")


def _paragraphs(text: str) -> str:
    """A help text as Markdown paragraphs: click's ``\\b`` markers dropped, lines within a paragraph joined."""
    blocks = [block.replace("\b", "").strip() for block in _portable(text).strip().split("\n\n")]
    return "\n\n".join(" ".join(block.split()) for block in blocks if block)


def commands(root: Any = None, path: str = "mechuri", parent: Any = None) -> Iterator[tuple[str, Any, Any]]:
    """Every visible command under ``root`` (the ``mechuri`` app by default), depth first in the order
    ``--help`` lists them: ``(full name, command, its click context)``."""
    if root is None:
        from mechuri.cli import app

        root = typer.main.get_command(app)
    context = typer.Context(root, info_name=path.rsplit(" ", 1)[-1], parent=parent)
    yield path, root, context
    if hasattr(root, "list_commands"):
        for name in root.list_commands(context):
            command = root.get_command(context, name)
            if command is not None and not getattr(command, "hidden", False):
                yield from commands(command, f"{path} {name}", context)


def _section(path: str, command: Any, context: Any) -> list[str]:
    depth = path.count(" ")
    lines = [f"{'#' * min(depth + 2, 4)} `{path}`", ""]
    if command.help:
        lines += [_paragraphs(command.help), ""]
    usage = " ".join(command.collect_usage_pieces(context))
    lines += ["```", f"{path} {usage}".rstrip(), "```", ""]
    rows = []
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        record = param.get_help_record(context)
        if record is None:
            continue
        names, help_text = record
        kind = "argument" if param.param_type_name == "argument" else "option"
        rows.append(f"| `{_cell(names)}` | {kind} | {_cell(help_text) or '—'} |")
    if rows:
        lines += ["| option | kind | help |", "| --- | --- | --- |", *rows, ""]
    if hasattr(command, "list_commands"):
        subcommands = [name for name in command.list_commands(context)
                       if not getattr(command.get_command(context, name), "hidden", False)]
        if subcommands:
            links = ", ".join(f"[`{name}`](#{_anchor(f'{path} {name}')})" for name in subcommands)
            lines += [f"Subcommands: {links}.", ""]
    return lines


def _anchor(path: str) -> str:
    """GitHub's anchor for the heading ``` `path` ```: lower case, spaces to hyphens, backticks dropped."""
    return path.lower().replace(" ", "-")


def render() -> str:
    """The whole reference as Markdown (ends with one newline)."""
    lines = [
        "# Command-line reference",
        "",
        f"<!-- Generated from the code by `{COMMAND}`; do not edit by hand. -->",
        "",
        "Every `mechuri` command and subcommand with its options, exactly as `--help` shows them. "
        "Run `mechuri COMMAND --help` for the same text in a terminal; examples are in the "
        "[README](../README.md#the-main-commands) and the topic pages under [docs/](README.md).",
        "",
    ]
    for path, command, context in commands():
        lines += _section(path, command, context)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def main() -> None:
    """Print the reference (``python -m mechuri.cli.reference > docs/cli.md``)."""
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
