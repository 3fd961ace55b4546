"""Rewrite the food table's numbers from the MFDS values of the mapped dishes (``food import-mfds --apply``).

Why a separate step from ``mfds.import_mfds``: the import measures and ships the per-100 g subset; this
step turns it into the per-serving numbers the product says, and it is the only code that writes the
food table's CSV parts. It is reproducible (the same release and mapping give the same rows) and
idempotent (a row's serving size is never changed, so applying twice changes nothing).

Per mapped dish: each nutrient per serving = MFDS per-100 g × the serving the table's row stands for
(the mapping's ``serving_g`` where the row is e.g. a dry 라면 pack of a 550 g bowl, else the row's
``serving_g``, a typical Korean portion). A nutrient MFDS does not report keeps the table's estimate,
named in ``notes``. ``source`` becomes the MFDS code and name and ``estimated`` 0. Derived tags that the
new numbers contradict (저칼로리, 저염, 고단백) are dropped; a dish whose new numbers would break another
table check keeps its estimate and is reported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mechuri.knowledge.checks import HIGH_PROTEIN_G, LOW_CALORIE_KCAL, LOW_SODIUM_MG, PER_DISH_CHECKS
from mechuri.knowledge.foods import FOODS_DIR, _parse_row
from mechuri.knowledge.mfds import NUTRIENTS, MappingRow, MfdsValues
from mechuri.knowledge.vocab import NUTRIENT_LABELS

KEPT_NOTE = "식약처 미보고 항목은 추정"
"""Prefix of the note naming the nutrients MFDS does not report for a dish (kept from the estimate)."""
SERVING_NOTE = "식약처 값은 조리 후"
"""Prefix of the note saying which cooked weight the row's serving stands for (라면 120 g → 550 g)."""


@dataclass
class ApplyReport:
    """What ``apply_values`` changed: dishes switched to MFDS, tags dropped, dishes kept as estimates."""

    applied: list[str] = field(default_factory=list)
    dropped_tags: list[tuple[str, str]] = field(default_factory=list)  # (dish, tag)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (dish, why the estimate stays)
    rows: int = 0

    @property
    def estimated(self) -> int:
        return self.rows - len(self.applied) - self.already

    already: int = 0  # rows that were MFDS-based and are not in this import (left as they are)


def _format(key: str, value: float) -> str:
    if key in ("kcal", "sodium_mg"):
        return str(round(value))
    return f"{round(value, 1):.1f}"


def _without_old_notes(notes: str) -> list[str]:
    parts = [part.strip() for part in notes.split(";") if part.strip()]
    return [part for part in parts if not part.startswith((KEPT_NOTE, SERVING_NOTE))]


def mfds_row(row: dict[str, str], value: MfdsValues, pairing: MappingRow | None) -> tuple[dict[str, str], list[str]]:
    """The CSV row with MFDS numbers per serving, and the derived tags it had to drop."""
    serving = float(row["serving_g"])
    grams = pairing.serving_g if pairing and pairing.serving_g else serving
    new = dict(row)
    kept = []
    for key in NUTRIENTS:
        per100 = value.per100[key]
        if per100 is None:
            kept.append(NUTRIENT_LABELS.get(key, key))
            continue
        new[key] = _format(key, per100 * grams / 100)
    number = {key: float(new[key]) for key in NUTRIENTS}
    # An estimate kept beside MFDS values must not contradict them (sugar above carbohydrate …).
    for part, whole in (("sugar_g", "carbohydrate_g"), ("fiber_g", "carbohydrate_g"), ("saturated_fat_g", "fat_g")):
        if number[part] > number[whole]:
            new[part] = _format(part, number[whole])
    tags = [tag for tag in row["tags"].split("|") if tag]
    dropped = [tag for tag, broken in (("저칼로리", number["kcal"] > LOW_CALORIE_KCAL),
                                       ("저염", number["sodium_mg"] > LOW_SODIUM_MG),
                                       ("고단백", number["protein_g"] < HIGH_PROTEIN_G)) if broken and tag in tags]
    new["tags"] = "|".join(tag for tag in tags if tag not in dropped)
    new["source"] = value.source
    new["estimated"] = "0"
    notes = _without_old_notes(row.get("notes") or "")
    if grams != serving:
        notes.append(f"{SERVING_NOTE} {grams:g} g 기준")
    if kept:
        notes.append(f"{KEPT_NOTE}: {', '.join(kept)}")
    new["notes"] = "; ".join(notes)
    return new, dropped


def apply_values(values: Sequence[MfdsValues], mapping: Sequence[MappingRow],
                 folder: Path = FOODS_DIR, *, write: bool = True) -> ApplyReport:
    """Switch every mapped dish of the CSV parts in ``folder`` to its MFDS values (see the module doc)."""
    by_dish = {value.dish: value for value in values}
    pairings = {pairing.dish: pairing for pairing in mapping}
    report = ApplyReport()
    for part in sorted(folder.glob("*.csv")):
        text = part.read_text(encoding="utf-8")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fieldnames = list(reader.fieldnames or ())
        rows = []
        for line, row in enumerate(reader, start=2):
            report.rows += 1
            value = by_dish.get(row["name"])
            if value is None:
                report.already += row["estimated"].strip() == "0"
                rows.append(row)
                continue
            new, dropped = mfds_row(row, value, pairings.get(row["name"]))
            problems = [problem for check in PER_DISH_CHECKS for problem in check(_parse_row(new, f"{part.name}:{line}"))]
            if problems:
                report.kept.append((row["name"], "; ".join(problem.detail for problem in problems)))
                rows.append(row)
                continue
            report.applied.append(row["name"])
            report.dropped_tags.extend((row["name"], tag) for tag in dropped)
            rows.append(new)
        if write:
            out = io.StringIO(newline="")
            writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            if out.getvalue() != text:
                part.write_text(out.getvalue(), encoding="utf-8")
    return report


def estimated_share(rows: int, estimated: int) -> float:
    """Percent of the table's rows still estimated (one decimal)."""
    return round(100 * estimated / rows, 1) if rows else 0.0

