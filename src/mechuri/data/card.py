"""The dataset card: counts per source and intent, length statistics and histogram, filter statistics.

A dataset is only as usable as what is known about it; the card is written from the build's own
numbers (``stats.json`` holds the same in machine form), so it cannot drift from the files it describes.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mechuri.data.example import INTENTS, Example

if TYPE_CHECKING:
    from mechuri.data.build import BuildReport

FIELDS = ("instruction", "input", "output")


def length_stats(examples: list[Example]) -> dict[str, dict[str, float]]:
    """Characters per field: min, median, 90th percentile, max (and how many inputs are empty)."""
    stats: dict[str, dict[str, float]] = {}
    for name in FIELDS:
        lengths = sorted(len(getattr(e, name)) for e in examples) or [0]
        stats[name] = {"min": lengths[0], "median": statistics.median(lengths),
                       "p90": lengths[min(len(lengths) - 1, int(0.9 * len(lengths)))], "max": lengths[-1],
                       "empty": sum(1 for length in lengths if length == 0)}
    return stats


def plot_lengths(examples: list[Example], path: Path) -> None:
    """Histograms of instruction, input and output length (characters), one panel each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 3, figsize=(13, 3.6))
    for axis, name in zip(axes, FIELDS, strict=True):
        lengths = [len(getattr(e, name)) for e in examples]
        if name == "input":
            lengths = [length for length in lengths if length] or [0]
        axis.hist(lengths, bins=40, color="#d9822b", edgecolor="white")
        axis.set_title(f"{name} (chars)" + (", non-empty" if name == "input" else ""))
        axis.set_yscale("log")
        axis.set_xlabel("characters")
    axes[0].set_ylabel("examples")
    figure.suptitle(f"mechuri instruction dataset — {len(examples):,} examples")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def card_stats(report: BuildReport) -> dict[str, Any]:
    examples = report.examples
    by_source = Counter(e.source for e in examples)
    return {
        "total": len(examples),
        "splits": {"train": len(report.train), "validation": len(report.validation)},
        "by_source": dict(sorted(by_source.items())),
        "by_intent": dict(sorted(Counter(e.intent for e in examples).items())),
        "by_source_intent": {source: dict(Counter(e.intent for e in examples if e.source == source))
                             for source in sorted(by_source)},
        "read": dict(sorted(report.read.items())),
        "dropped": [{"source": s, "reason": r, "count": n} for (s, r), n in sorted(report.dropped.items())],
        "lengths": length_stats(examples),
        "generation": report.generation,
    }


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def render_card(stats: dict[str, Any]) -> str:
    """The README.md of the dataset folder (Hugging Face card front matter included)."""
    intents = [i for i in INTENTS if i in stats["by_intent"]]
    source_rows = [[s, stats["read"].get(s, 0), n, *(stats["by_source_intent"][s].get(i, 0) for i in intents)]
                   for s, n in stats["by_source"].items()]
    length_rows = [[name, *(f"{values[k]:g}" for k in ("min", "median", "p90", "max", "empty"))]
                   for name, values in stats["lengths"].items()]
    dropped_rows = [[d["source"], d["reason"], d["count"]] for d in stats["dropped"]] or [["—", "—", 0]]
    parts = [
        "---\nlanguage:\n- ko\nlicense: mit\ntask_categories:\n- text-generation\npretty_name: mechuri instruction "
        f"dataset\nsize_categories:\n- {'1K<n<10K' if stats['total'] < 10_000 else '10K<n<100K'}\n---",
        "# 메추리 instruction dataset",
        "Korean instruction data for fine-tuning mechuri's reply model, in the Alpaca format "
        "(`instruction`, `input`, `output`). Built by `mechuri data build` from hand-written seed tasks, the "
        "bundled cooking Q&A, examples grounded in mechuri's food table and recommender, and (when given) "
        "Self-Instruct output and imported Q&A. Every nutrition number in a grounded example's output is "
        "stated in its input: the model is taught to read numbers, not to recall them.",
        f"**{stats['total']:,} examples** — train {stats['splits']['train']:,}, "
        f"validation {stats['splits']['validation']:,} (split by group: a dish and its aliases stay together).",
        "## Files\n\n`train.json` / `validation.json` (Alpaca list), `train.jsonl` / `validation.jsonl` (with "
        "`id`, `source`, `intent`, `meta`), `hf/` (`datasets.load_from_disk`), `stats.json`, `lengths.png`.",
        "## Examples per source and intent\n\n" + _table(["source", "read", "kept", *intents], source_rows),
        "## Lengths (characters)\n\n" + _table(["field", "min", "median", "p90", "max", "empty"], length_rows)
        + "\n\n![length histogram](lengths.png)",
        "## Dropped while building\n\nFilters (length, blacklist, Korean, copies, and for teacher output "
        "nutrition numbers the context does not hold), exact duplicates, and ROUGE-L ≥ 0.7 near-duplicates.\n\n"
        + _table(["source", "reason", "count"], dropped_rows),
    ]
    generation = stats.get("generation") or {}
    if generation:
        rejected = sorted(generation.get("rejected", {}).items(), key=lambda item: -item[1])
        parts.append(f"## Self-Instruct generation\n\nKept {generation.get('kept', 0):,} teacher-written tasks.\n\n"
                     + _table(["rejected because", "count"], [[r, n] for r, n in rejected] or [["—", 0]])
                     + "\n\nTeacher: " + ", ".join(f"{k} {v}" for k, v in sorted(generation.get("teacher", {}).items())))
    return "\n\n".join(parts) + "\n"


def write_card(report: BuildReport, out_dir: Path) -> dict[str, str]:
    """Write README.md, stats.json and lengths.png into ``out_dir``."""
    stats = card_stats(report)
    (out_dir / "stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=2), encoding="utf-8")
    plot_lengths(report.examples, out_dir / "lengths.png")
    (out_dir / "README.md").write_text(render_card(stats), encoding="utf-8")
    return {"README.md": str(out_dir / "README.md"), "stats.json": str(out_dir / "stats.json"),
            "lengths.png": str(out_dir / "lengths.png")}
