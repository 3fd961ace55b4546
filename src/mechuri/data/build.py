"""Building the dataset: gather every source, filter, dedupe across sources, split, export, describe.

Order decides which copy of a duplicate survives, so sources are read from the most trusted down:
hand-written seeds, the bundled Q&A, imports, grounded synthesis, then teacher output. Dedupe is
two-step. Exact: the same request in the same context (instruction + input, whitespace and case
folded) is one example. Near: ROUGE-L ≥ 0.7 as Self-Instruct defines it — on the instruction for seed
and teacher tasks (a new *task* must differ), and on question + answer for Q&A and imports (the same
post twice in a dump). Synthesized examples share templated instructions on purpose and differ in
their grounded input, so only the exact step applies to them.

The split is by group (a dish and all its aliases, a Q&A entry …), hashed, so validation never holds a
near-copy of a training example. Output: Alpaca JSON and JSONL per split, a Hugging Face dataset on
disk, ``stats.json`` and a dataset card with a length histogram (``card``).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mechuri.data.dedupe import DEFAULT_THRESHOLD, KoreanTokenizer, RougeLIndex, frequency_rank
from mechuri.data.example import Example, exact_key, read_examples, read_jsonl, write_jsonl
from mechuri.data.filters import FilterConfig, first_problem
from mechuri.data.synthesize import SynthesisConfig

NEAR_DUP_KEYS = {"seed": "task", "self_instruct": "task", "qa": "qa", "import": "qa"}
"""Which near-duplicate index a source family goes through (none: exact dedupe only)."""


def family(source: str) -> str:
    """``synth:recommend`` → ``synth``; ``import:community`` → ``import``."""
    return source.split(":", 1)[0]


@dataclass(frozen=True)
class BuildConfig:
    """What goes in and where it goes; every default builds the teacher-free dataset."""

    out_dir: Path
    generated: tuple[Path, ...] = ()
    """Self-Instruct run folders (or their ``generated.jsonl``)."""
    imports: tuple[Path, ...] = ()
    """Example JSONL files written by ``mechuri data import``."""
    synthesized: Path | None = None
    """A JSONL from ``mechuri data synthesize`` to use instead of synthesizing now."""
    synthesis: SynthesisConfig = field(default_factory=SynthesisConfig)
    include_seeds: bool = True
    include_qa: bool = True
    include_synth: bool = True
    validation_share: float = 0.05
    threshold: float = DEFAULT_THRESHOLD
    seed: int = 13
    write_hf: bool = True


@dataclass
class BuildReport:
    """The dataset and everything the card says about it."""

    train: list[Example]
    validation: list[Example]
    read: Counter[str]
    """Source → examples read."""
    dropped: Counter[tuple[str, str]]
    """(source, reason) → examples dropped by the build's filters and dedupe."""
    generation: dict[str, Any]
    """Summed Self-Instruct run statistics (kept, rejected by reason, teacher retries …)."""
    files: dict[str, str] = field(default_factory=dict)

    @property
    def examples(self) -> list[Example]:
        return self.train + self.validation


def _generated_file(path: Path) -> Path:
    return path / "generated.jsonl" if path.is_dir() else path


def generation_stats(paths: Iterable[Path]) -> dict[str, Any]:
    """Kept and rejected counts of Self-Instruct runs, read from their files (the source of truth)."""
    kept, reasons, teacher = 0, Counter[str](), Counter[str]()
    for path in paths:
        folder = path if path.is_dir() else path.parent
        if (folder / "generated.jsonl").exists():
            kept += sum(1 for _ in read_jsonl(folder / "generated.jsonl"))
        if (folder / "rejected.jsonl").exists():
            reasons.update(row.get("reason", "unknown") for row in read_jsonl(folder / "rejected.jsonl"))
        if (folder / "state.json").exists():
            teacher.update(json.loads((folder / "state.json").read_text(encoding="utf-8")).get("teacher", {}))
    return {"kept": kept, "rejected": dict(reasons), "teacher": dict(teacher)} if kept or reasons else {}


def gather(config: BuildConfig) -> list[Example]:
    """Every candidate example, most trusted source first."""
    from mechuri.data.importers import qa_examples
    from mechuri.data.seed import seed_examples
    from mechuri.data.synthesize import synthesize

    examples: list[Example] = []
    if config.include_seeds:
        examples += seed_examples()
    if config.include_qa:
        examples += qa_examples()
    for path in config.imports:
        examples += read_examples(path)
    if config.synthesized is not None:
        examples += read_examples(config.synthesized)
    elif config.include_synth:
        examples += synthesize(config.synthesis)
    for path in config.generated:
        examples += read_examples(_generated_file(path))
    return examples


def _near_key(example: Example) -> tuple[str, str] | None:
    index = NEAR_DUP_KEYS.get(family(example.source))
    if index is None:
        return None
    text = example.instruction if index == "task" else f"{example.instruction}\n{example.output}"
    return index, text


def clean(examples: list[Example], threshold: float = DEFAULT_THRESHOLD,
          tokenizer: KoreanTokenizer | None = None) -> tuple[list[Example], Counter[tuple[str, str]]]:
    """Filter, then exact dedupe, then ROUGE-L near-dedupe (see the module docstring); first one wins."""
    dropped: Counter[tuple[str, str]] = Counter()
    kept: list[Example] = []
    seen: set[str] = set()
    for example in examples:
        config = FilterConfig(grounded_numbers=family(example.source) == "self_instruct")
        reason = first_problem(example, config)
        if reason is None and exact_key(example) in seen:
            reason = "exact_duplicate"
        if reason is not None:
            dropped[(example.source, reason)] += 1
            continue
        seen.add(exact_key(example))
        kept.append(example)
    tokenizer = tokenizer or KoreanTokenizer()
    keys = [_near_key(example) for example in kept]
    tokens = [tokenizer.tokenize(key[1]) if key else [] for key in keys]
    indexes = {name: RougeLIndex(threshold, token_rank=frequency_rank(
        t for k, t in zip(keys, tokens, strict=True) if k and k[0] == name)) for name in set(NEAR_DUP_KEYS.values())}
    survivors = []
    seed_tasks: set[str] = set()
    for example, key, token_list in zip(kept, keys, tokens, strict=True):
        if example.source == "seed":  # further instances of one seed task share its instruction
            if example.instruction in seed_tasks:
                survivors.append(example)
                continue
            seed_tasks.add(example.instruction)
        if key is not None and indexes[key[0]].offer(token_list) is not None:
            dropped[(example.source, "near_duplicate")] += 1
            continue
        survivors.append(example)
    return survivors, dropped


def _group(example: Example) -> str:
    return str(example.meta.get("group") or exact_key(example))


def split(examples: list[Example], share: float, seed: int) -> tuple[list[Example], list[Example]]:
    """Train and validation by a hash of each example's group, so a dish's aliases stay together."""
    train, validation = [], []
    for example in examples:
        digest = hashlib.sha1(f"{seed}:{_group(example)}".encode()).digest()
        (validation if int.from_bytes(digest[:8], "big") / 2**64 < share else train).append(example)
    return train, validation


def _with_ids(examples: list[Example]) -> list[Example]:
    used: set[str] = set()
    out = []
    for example in examples:
        identifier = example.id or example.fingerprint()
        while identifier in used:
            identifier += "+"
        used.add(identifier)
        out.append(example if identifier == example.id else Example(
            example.instruction, example.input, example.output, example.source, example.intent, identifier,
            example.meta))
    return out


def write_outputs(report: BuildReport, out_dir: Path, write_hf: bool = True) -> dict[str, str]:
    """Alpaca JSON + JSONL per split, the HF dataset, stats.json, the card and its histogram."""
    from mechuri.data.card import write_card

    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    for name, rows in (("train", report.train), ("validation", report.validation)):
        alpaca = out_dir / f"{name}.json"
        alpaca.write_text(json.dumps([e.alpaca() for e in rows], ensure_ascii=False, indent=1), encoding="utf-8")
        write_jsonl(out_dir / f"{name}.jsonl", rows)
        files[f"{name}.json"] = str(alpaca)
        files[f"{name}.jsonl"] = str(out_dir / f"{name}.jsonl")
    if write_hf:
        from datasets import Dataset, DatasetDict, disable_progress_bars

        disable_progress_bars()

        columns = ("id", "instruction", "input", "output", "source", "intent")
        DatasetDict({name: Dataset.from_list([{c: e.to_dict()[c] for c in columns} for e in rows])
                     for name, rows in (("train", report.train), ("validation", report.validation))}
                    ).save_to_disk(str(out_dir / "hf"))
        files["hf"] = str(out_dir / "hf")
    files.update(write_card(report, out_dir))
    report.files = files
    return files


def build_dataset(config: BuildConfig) -> BuildReport:
    """Gather, clean, split and write the dataset described by ``config``."""
    examples = gather(config)
    read = Counter(example.source for example in examples)
    cleaned, dropped = clean(examples, config.threshold)
    train, validation = split(_with_ids(cleaned), config.validation_share, config.seed)
    report = BuildReport(train, validation, read, dropped, generation_stats(config.generated))
    write_outputs(report, config.out_dir, config.write_hf)
    return report
