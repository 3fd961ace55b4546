"""Scoring ``understand`` against the labeled utterances (tests/nlu/data/utterances.jsonl).

One scorer for the regression test and the benchmark, so CI and the printed table always measure the
same thing: intents (primary and whole set), slot, preference and meal F1 over exact tuples, food mentions
per message, nutrients and follow-up references.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from mechuri.nlu.model import Understanding

Row = dict[str, Any]

T = TypeVar("T")


def load_utterances(path: Path, split: str | None = None) -> list[Row]:
    """The labeled rows of ``path`` (one JSON object per line), optionally only one split."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if split is None or row["split"] == split]


def slot_pairs(slots: dict[str, Any]) -> set[tuple[str, object]]:
    """(slot, value) pairs of filled slots; lists give one pair per value, numbers are rounded."""
    pairs: set[tuple[str, object]] = set()
    for name, value in slots.items():
        if name == "meal_inferred":
            continue
        if isinstance(value, list | tuple):
            pairs.update((name, item) for item in value)
        elif isinstance(value, float):
            pairs.add((name, round(value)))
        else:
            pairs.add((name, value))
    return pairs


@dataclass
class Counts:
    """True positives, false positives and false negatives of one micro-averaged F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: set[Any], gold: set[Any]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def f1(self) -> float:
        if not self.tp + self.fp + self.fn:
            return 1.0
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


@dataclass
class Report:
    """The scores of one run over a set of rows, and the rows that went wrong (for the developer)."""

    n: int = 0
    intent_primary: int = 0
    intent_set: int = 0
    slots: Counts = field(default_factory=Counts)
    preferences: Counts = field(default_factory=Counts)
    meals: Counts = field(default_factory=Counts)
    nutrients: Counts = field(default_factory=Counts)
    foods_exact: int = 0
    references: int = 0
    references_right: int = 0
    misses: list[tuple[Row, Understanding, list[str]]] = field(default_factory=list)

    def ratio(self, hits: int, total: int | None = None) -> float:
        total = self.n if total is None else total
        return hits / total if total else 1.0

    def table(self) -> dict[str, float]:
        return {
            "intent accuracy (primary)": self.ratio(self.intent_primary),
            "intent accuracy (set exact)": self.ratio(self.intent_set),
            "slot micro-F1": self.slots.f1,
            "preference F1": self.preferences.f1,
            "meal F1": self.meals.f1,
            "food-mention accuracy": self.ratio(self.foods_exact),
            "nutrient F1": self.nutrients.f1,
            "reference accuracy": self.ratio(self.references_right, self.references),
        }


def score(rows: Iterable[Row], understand: Callable[[str], Understanding]) -> Report:
    """Run ``understand`` on every row and compare with its labels."""
    report = Report()
    for row in rows:
        got = understand(row["text"])
        report.n += 1
        wrong: list[str] = []
        if got.intent == row["intents"][0]:
            report.intent_primary += 1
        else:
            wrong.append("intent")
        if set(got.intents) == set(row["intents"]):
            report.intent_set += 1
        else:
            wrong.append("intents")
        predicted_slots, gold_slots = slot_pairs(got.slots.filled()), slot_pairs(row["slots"])
        report.slots.add(predicted_slots, gold_slots)
        if predicted_slots != gold_slots:
            wrong.append("slots")
        predicted_prefs = {(p.kind, p.value, p.polarity) for p in got.preferences}
        gold_prefs = {(p["kind"], p["value"], p["polarity"]) for p in row["preferences"]}
        report.preferences.add(predicted_prefs, gold_prefs)
        if predicted_prefs != gold_prefs:
            wrong.append("preferences")
        predicted_meals = {(m.dish, m.meal, m.servings, m.day_offset) for m in got.meals}
        gold_meals = {(m["dish"], m["meal"], m["servings"], m["day_offset"]) for m in row["meals"]}
        report.meals.add(predicted_meals, gold_meals)
        if predicted_meals != gold_meals:
            wrong.append("meals")
        if [f.dish for f in got.foods] == row["foods"]:
            report.foods_exact += 1
        else:
            wrong.append("foods")
        report.nutrients.add(set(got.nutrients), set(row.get("nutrients", ())))
        if set(got.nutrients) != set(row.get("nutrients", ())):
            wrong.append("nutrients")
        if "followup" in row["intents"]:
            report.references += 1
            if got.reference == row.get("reference"):
                report.references_right += 1
            else:
                wrong.append("reference")
        if wrong:
            report.misses.append((row, got, wrong))
    return report


def time_per_message(messages: Sequence[T], understand: Callable[[T], object], *, repeats: int = 3,
                     warmup: int = 20) -> tuple[float, float]:
    """Median and 95th percentile milliseconds per message, after ``warmup`` untimed calls. A message is
    whatever ``understand`` takes: a text, or a held-out row with its context."""
    for message in messages[:warmup]:
        understand(message)
    timings: list[float] = []
    for _ in range(repeats):
        for message in messages:
            start = time.perf_counter()
            understand(message)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))]
