"""The table and statistics helpers shared by the benchmark scripts (``benchmarks/_table.py``)."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

from _table import markdown_table, median, pad, percentile  # noqa: E402


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def test_pad_counts_a_hangul_syllable_as_two_columns() -> None:
    assert pad("김치", 6) == "김치  "
    assert pad("김치", 6, right=True) == "  김치"
    assert pad("ab", 6) == "ab    "
    assert pad("김치찌개", 8) == "김치찌개"
    assert pad("김치찌개", 3) == "김치찌개"  # never cut


def test_percentile_is_nearest_rank() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 0.0) == 1.0
    assert percentile(values, 0.5) == 3.0
    assert percentile(values, 0.95) == 5.0
    assert percentile(values, 1.0) == 5.0
    assert percentile(list(range(1, 101)), 0.95) == 95  # round(0.95 × 99) = 94 → the 95th value
    assert percentile([7.0], 0.99) == 7.0
    assert values == [5.0, 1.0, 4.0, 2.0, 3.0]  # the input is not sorted in place


def test_empty_values_give_zero() -> None:
    assert percentile([], 0.95) == 0.0
    assert median([]) == 0.0


def test_median() -> None:
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert median([4.0, 1.0, 2.0, 3.0]) == 2.5


def test_markdown_table_lines_up_a_hangul_cell() -> None:
    table = markdown_table(["measure", "value"], [("김치찌개 칼로리", 450), ("p95", 1.25)])
    lines = table.split("\n")
    assert lines == [
        "| measure         | value |",
        "|-----------------|------:|",
        "| 김치찌개 칼로리 |   450 |",
        "| p95             |  1.25 |",
    ]
    assert len({columns(line) for line in lines}) == 1  # every line is as wide in a terminal
    assert [line.index("|", 1) for line in lines[:2]] == [18, 18]


def test_markdown_table_right_aligns_all_but_the_first_column() -> None:
    table = markdown_table(["a", "b", "c"], [("x", "한", 10)])
    assert table.split("\n") == [
        "| a   |   b |   c |",
        "|-----|----:|----:|",
        "| x   |  한 |  10 |",
    ]


def test_markdown_table_rejects_a_short_row() -> None:
    with pytest.raises(ValueError, match="row 0"):
        markdown_table(["a", "b"], [("only one",)])
