"""The documentation keeps up with the code: these tests fail when something is undocumented.

- the README stays a front door (at most 150 lines, with `make run` and `make test` as the Makefile has them);
- every setting of ``mechuri.config.Settings`` is in docs/settings.md under its environment variable;
- docs/cli.md is exactly what ``python -m mechuri.cli.reference`` prints now, so every command,
  subcommand and option is in it;
- every engine kind of ``mechuri.llm.engine.KINDS`` has a row with its spec syntax in docs/llm.md;
- every field of the ``Turn`` is in docs/architecture.md's Turn contract;
- every relative link (and image) in README.md, docs/*.md and benchmarks/RESULTS.md points at a file that
  exists, and a ``#anchor`` into a Markdown file at one of its headings;
- every page under docs/ is listed in the docs index.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from mechuri.llm.engine import KINDS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
MAX_README_LINES = 150


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md")), ROOT / "benchmarks" / "RESULTS.md"]


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of the lines outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (not ``-`` or ``_``), spaces to ``-``."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip())  # a link in a heading: its text
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading anchor of a Markdown text, GitHub style (a repeated heading gets ``-1``, ``-2`` …)."""
    seen: dict[str, int] = {}
    found = set()
    for _, line in prose_lines(text):
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMG_SRC = re.compile(r"<img\s[^>]*src=\"([^\"]+)\"")


def links(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, target)`` of every Markdown link and image outside code."""
    for number, line in prose_lines(text):
        line = re.sub(r"`[^`]*`", "", line)  # inline code is not a link
        for match in (*LINK.finditer(line), *IMG_SRC.finditer(line)):
            yield number, match.group(1)


def broken_links(path: Path) -> list[str]:
    """What is wrong with the relative links of one Markdown file, one message per broken link."""
    text = path.read_text(encoding="utf-8")
    problems = []
    for number, target in links(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # http:, https:, mailto: …
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{number}"
        if not linked.exists():
            problems.append(f"{where}: {target!r} points at {file_part!r}, which does not exist")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text(encoding="utf-8")):
            problems.append(f"{where}: {target!r}: no heading with the anchor #{anchor} in {linked.name}")
    return problems


# ---------------------------------------------------------------------------------------------- README


def test_readme_is_a_front_door() -> None:
    lines = README.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert len(lines) <= MAX_README_LINES, (
        f"README.md has {len(lines)} lines; keep it a front door of at most {MAX_README_LINES} and move "
        "the details into docs/")


def test_readme_gives_the_two_commands_the_makefile_defines() -> None:
    readme = README.read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("run", "test"):
        assert re.search(rf"^make {target}\b", readme, re.MULTILINE), f"README.md lacks `make {target}`"
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), f"the Makefile has no `{target}` target"


# -------------------------------------------------------------------------------------------- settings


def setting_variables() -> dict[str, str]:
    """Every field of ``Settings`` → the environment variable that sets it."""
    from mechuri.config import Settings

    prefix = Settings.model_config.get("env_prefix", "")
    variables = {}
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias if isinstance(field.validation_alias, str) else field.alias
        variables[name] = (alias or f"{prefix}{name}").upper()
    return variables


def test_settings_are_read_from_the_variables_we_think() -> None:
    variables = setting_variables()
    assert variables["database_url"] == "MECHURI_DATABASE_URL"
    assert len(variables) >= 10


def test_every_setting_is_documented() -> None:
    documented = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [f"{variable} (Settings.{name})" for name, variable in setting_variables().items()
               if f"`{variable}`" not in documented]
    assert not missing, "settings missing from docs/settings.md: " + ", ".join(missing)


# ------------------------------------------------------------------------------------------------- CLI


def test_cli_reference_is_up_to_date() -> None:
    from mechuri.cli.reference import COMMAND, render

    committed = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert committed == render(), (
        f"docs/cli.md is not what the code's commands give: a command, subcommand or option changed. "
        f"Regenerate it with `PYTHONPATH=src {COMMAND}` and commit the result.")


def test_cli_reference_has_every_command_and_option() -> None:
    """The generator itself misses nothing: every visible command has a heading, every option a row."""
    from mechuri.cli.reference import commands, render

    rendered = render()
    paths = []
    for path, command, _ in commands():
        paths.append(path)
        start = rendered.index(f"`{path}`\n")
        section = rendered[start:rendered.find("\n#", start)]
        for param in command.params:
            if getattr(param, "hidden", False):
                continue
            for opt in param.opts if param.param_type_name == "option" else [param.name]:
                assert opt in section, f"{path}: {opt} is missing from its section of the reference"
    for expected in ("mechuri ask", "mechuri serve", "mechuri food search", "mechuri db upgrade",
                     "mechuri data build", "mechuri train merge"):
        assert expected in paths


# ------------------------------------------------------------------------------------------------- LLM


def engine_rows() -> list[str]:
    """The first cells of the engine table under docs/llm.md's "Choosing an engine"."""
    text = (DOCS / "llm.md").read_text(encoding="utf-8")
    section = text.split("## Choosing an engine", 1)[1].split("\n## ", 1)[0]
    return [line.split("|")[1].strip() for line in section.split("\n") if line.startswith("| `")]


@pytest.mark.parametrize("kind", KINDS)
def test_every_engine_kind_is_documented_with_its_spec(kind: str) -> None:
    specs = [cell.strip("`") for cell in engine_rows()]
    matching = [spec for spec in specs if spec == kind or spec.startswith(f"{kind}:")]
    assert matching, (f"engine kind {kind!r} has no row in docs/llm.md's 'Choosing an engine' table; add "
                      f"one whose first cell is its spec syntax, e.g. `{kind}:…`")


# ------------------------------------------------------------------------------------------------ Turn


def test_every_turn_field_is_in_the_turn_contract() -> None:
    from mechuri.conversation.turn import Turn

    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    contract = text.split("## The Turn contract", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in Turn.model_fields if f"`{name}`" not in contract]
    assert not missing, "Turn fields missing from docs/architecture.md#the-turn-contract: " + ", ".join(missing)


# ----------------------------------------------------------------------------------------------- links


@pytest.mark.parametrize("path", markdown_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_relative_links_point_at_existing_files(path: Path) -> None:
    assert path.exists(), f"{path.relative_to(ROOT)} is missing"
    problems = broken_links(path)
    assert not problems, "\n".join(problems)


def test_every_docs_page_is_in_the_index() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    listed = {target.partition("#")[0] for _, target in links(index)}
    missing = [page.name for page in sorted(DOCS.glob("*.md")) if page.name != "README.md" and page.name not in listed]
    assert not missing, "docs/README.md does not list: " + ", ".join(missing)


def test_the_link_checker_finds_what_is_broken(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# Other page\n\n## Meal plans (식단 짜기)\n\n## Fast CPU serving: llama.cpp\n",
                                       encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n\n## Title\n\n"
        "[ok](other.md) [ok](other.md#meal-plans-식단-짜기) [ok](other.md#fast-cpu-serving-llamacpp) "
        "[ok](#title-1) [web](https://example.com/missing.md) `[code](missing.md)`\n"
        "```\n[fenced](missing.md)\n```\n"
        "![gone](screenshots/gone.png) [bad anchor](other.md#nowhere) [bad self](#nowhere)\n",
        encoding="utf-8")
    problems = broken_links(page)
    assert len(problems) == 3, problems
    assert "gone.png" in problems[0] and "#nowhere" in problems[1] and "#nowhere" in problems[2]
