"""Small helpers the benchmark scripts share for their printed tables and summary figures.

The scripts in ``benchmarks/`` are run directly (``.venv/bin/python benchmarks/plan_bench.py``), so they
are not a package and cannot import each other through ``mechuri``; each used to carry its own copy of
the terminal padding and percentile helpers, and the copies had drifted (one guarded the empty list,
another returned NaN, the others raised). This module is the one copy. A script imports it as
``from _table import pad, percentile``, which works because Python puts the script's own folder first
on ``sys.path``; tests add ``benchmarks/`` to ``sys.path`` themselves.

Terminal widths count a Hangul syllable (any East Asian wide or full-width character) as two columns,
so tables with Korean cells still line up.
"""

from __future__ import annotations

import statistics
import unicodedata
from collections.abc import Sequence

__all__ = ["markdown_table", "median", "pad", "percentile"]


def _shown_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for each wide or full-width character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad ``text`` with spaces to ``width`` terminal columns (on the left when ``right``); never cut."""
    space = " " * max(0, width - _shown_width(text))
    return space + text if right else text + space


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: the value at ``round(share × (n − 1))`` in sorted order; 0.0 when empty."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def median(values: Sequence[float]) -> float:
    """``statistics.median`` of ``values``; 0.0 when empty."""
    return statistics.median(values) if values else 0.0


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-markdown table, padded so that it also lines up in a terminal.

    The first column is left-aligned, the others right-aligned (also in the ``---:`` markers). Cells
    are shown with ``str()``, so a caller formats its floats beforehand. No trailing newline.
    """
    cells = [[str(cell) for cell in row] for row in rows]
    for number, row in enumerate(cells):
        if len(row) != len(headers):
            raise ValueError(f"row {number} has {len(row)} cells for {len(headers)} headers")
    widths = [max([3, _shown_width(header)] + [_shown_width(row[column]) for row in cells])
              for column, header in enumerate(headers)]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(pad(cell, width, right=column > 0)
                                 for column, (cell, width) in enumerate(zip(row, widths, strict=True))) + " |"

    rule = "|" + "|".join("-" * (width + 2) if column == 0 else "-" * (width + 1) + ":"
                          for column, width in enumerate(widths)) + "|"
    return "\n".join([line(list(headers)), rule, *(line(row) for row in cells)])
