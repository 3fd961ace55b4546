"""Importing outside Q&A and food tables (JSON, JSONL, CSV) as examples, through a field mapping.

Sources come in every shape — a community Q&A dump with nested answers, a public calorie table with
Korean column names in CP949 — so instead of one importer per source there is one mapping: each of
instruction / input / output is a column (``question``, dotted for nesting: ``answers.0.body``) or a
template of columns (``{식품명} 칼로리 알려줘``). A calorie table becomes grounded examples by putting
its numbers in the input template too. The bundled cooking Q&A collection is imported the same way.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mechuri.data.example import INTENTS, Example, guess_intent

Format = Literal["json", "jsonl", "csv"]
QA_KIND_INTENTS = {"recipe": "cooking", "tip": "cooking", "ingredients": "ingredient", "storage": "ingredient",
                   "nutrition": "nutrition", "culture": "culture"}
"""The bundled Q&A collection's kinds, as example intents."""
_TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")
_LIST_KEYS = ("data", "rows", "items", "records", "examples")


class ImportFormatError(ValueError):
    """The file cannot be read as the format, or the mapping names nothing in it."""


@dataclass(frozen=True)
class FieldMapping:
    """Where each example field comes from: a column, a dotted path, or a ``{column}`` template."""

    instruction: str
    output: str
    input: str = ""
    intent: str | None = None
    """An intent word (fixed), a column/template whose value is a Q&A kind or intent, or None to guess."""


@dataclass
class ImportResult:
    examples: list[Example]
    skipped: Counter[str] = field(default_factory=Counter)
    """Reason → rows not imported (a mapped column missing or empty)."""


def detect_format(path: Path) -> Format:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("json", "jsonl", "csv"):
        return suffix  # type: ignore[return-value]
    if suffix == "ndjson":
        return "jsonl"
    raise ImportFormatError(f"cannot tell the format of {path.name}; pass json, jsonl or csv")


def _read_text(path: Path) -> str:
    """UTF-8 (with or without BOM), else CP949 — what Korean public data files often still use."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFormatError(f"{path.name} is neither UTF-8 nor CP949 text")


def read_records(path: Path, fmt: Format | None = None) -> list[dict[str, Any]]:
    """The rows of a JSON (a list, or an object holding one), JSONL or CSV file, as dicts."""
    fmt = fmt or detect_format(path)
    text = _read_text(path)
    try:
        if fmt == "csv":
            return [dict(row) for row in csv.DictReader(text.splitlines())]
        if fmt == "jsonl":
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        data = json.loads(text)
    except (json.JSONDecodeError, csv.Error) as exc:
        raise ImportFormatError(f"{path.name}: not valid {fmt}: {exc}") from exc
    if isinstance(data, dict):
        lists = [data[key] for key in _LIST_KEYS if isinstance(data.get(key), list)]
        lists = lists or [value for value in data.values() if isinstance(value, list)]
        if len(lists) != 1:
            raise ImportFormatError(f"{path.name}: expected a list of records, or an object holding exactly one")
        data = lists[0]
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise ImportFormatError(f"{path.name}: expected a list of objects")
    return data


def _lookup(row: Any, path: str) -> Any:
    """``row[path]``, or a dotted path through objects and lists (``answers.0.body``)."""
    if isinstance(row, dict) and path in row:
        return row[path]
    value = row
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    return str(value).strip()


class _Missing(Exception):
    pass


def render(spec: str, row: dict[str, Any]) -> str:
    """A column's value, or a template with every ``{column}`` filled; raises ``_Missing`` when one is
    absent or empty."""
    if not spec:
        return ""
    if "{" not in spec:
        value = _text(_lookup(row, spec))
        if not value:
            raise _Missing(spec)
        return value

    def fill(match: re.Match[str]) -> str:
        value = _text(_lookup(row, match.group(1)))
        if not value:
            raise _Missing(match.group(1))
        return value

    return _TEMPLATE_FIELD.sub(fill, spec)


def _intent(spec: str | None, row: dict[str, Any], instruction: str) -> str:
    if spec is None:
        return guess_intent(instruction)
    if spec in INTENTS:
        return spec
    try:
        value = render(spec, row)
    except _Missing:
        return guess_intent(instruction)
    return value if value in INTENTS else QA_KIND_INTENTS.get(value, guess_intent(instruction))


def import_records(rows: list[dict[str, Any]], mapping: FieldMapping, name: str) -> ImportResult:
    """Examples (source ``import:<name>``) from rows; rows missing a mapped value are counted, not kept."""
    result = ImportResult([])
    for number, row in enumerate(rows):
        try:
            instruction = render(mapping.instruction, row)
            output = render(mapping.output, row)
            given = render(mapping.input, row) if mapping.input else ""
        except _Missing as missing:
            result.skipped[f"missing:{missing.args[0]}"] += 1
            continue
        result.examples.append(Example(instruction, given, output, source=f"import:{name}",
                                       intent=_intent(mapping.intent, row, f"{instruction} {given}"),
                                       id=f"{name}-{number:06d}", meta={"row": number}))
    return result


def import_file(path: Path, mapping: FieldMapping, name: str | None = None, fmt: Format | None = None) -> ImportResult:
    """Read ``path`` and map its rows (see ``import_records``); ``name`` defaults to the file's stem."""
    return import_records(read_records(path, fmt), mapping, name or path.stem)


def qa_examples() -> list[Example]:
    """The bundled cooking and food Q&A collection (``knowledge/data/food_qa.jsonl``) as examples."""
    from mechuri.knowledge.qa import QA_PATH

    rows = read_records(QA_PATH)
    result = import_records(rows, FieldMapping(instruction="question", output="answer", intent="kind"), "qa")
    return [Example(e.instruction, e.input, e.output, source="qa", intent=e.intent, id=str(rows[e.meta["row"]]["id"]),
                    meta={"group": "|".join(rows[e.meta["row"]].get("dishes", [])) or e.instruction})
            for e in result.examples]
