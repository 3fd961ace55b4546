"""Alpaca rows → token ids with the prompt masked, and the order in which they are batched.

The model is trained to write the *answer*: prompt tokens get the label -100 (ignored by the loss) and
the answer is followed by EOS so the fine-tuned model learns to stop. Batches are padded to their own
longest row, not to ``max_seq_len``: on a CPU every padded position costs as much as a real one.
Length grouping (rows of similar length batched together) makes that padding small; packing removes it
by concatenating examples into nearly full rows (first-fit decreasing), each restarting its ``position_ids``
so transformers keeps them from attending to each other.

The order is a pure function of the seed and the epoch, so a resumed run sees exactly the batches the
uninterrupted one would have seen.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mechuri.llm.prompts import instruction_prompt

IGNORE = -100


@dataclass(frozen=True)
class Encoded:
    """One example: ``input_ids`` = prompt + answer + EOS; ``labels`` = -100 on the prompt, ids after."""

    input_ids: tuple[int, ...]
    labels: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.input_ids)

    @property
    def answer_tokens(self) -> int:
        return sum(1 for label in self.labels if label != IGNORE)


def read_rows(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Alpaca rows from a JSONL file (``instruction``, ``input``, ``output``; other keys are kept)."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
                if limit is not None and len(rows) >= limit:
                    break
    return rows


def spread(rows: list[Any], limit: int | None) -> list[Any]:
    """``limit`` rows evenly spaced through ``rows``: the file is ordered by source, so its first rows
    would measure the eval loss on one kind of example only."""
    if limit is None or len(rows) <= limit:
        return rows
    return [rows[i * len(rows) // limit] for i in range(limit)]


def encode(row: dict[str, Any], tokenizer: Any) -> Encoded:
    """The prompt as ``instruction_prompt`` renders it (BOS included when the tokenizer adds one), then
    「 answer」 + EOS."""
    prompt = tokenizer(instruction_prompt(row["instruction"], row.get("input") or ""),
                       add_special_tokens=True)["input_ids"]
    answer = tokenizer(" " + row["output"].strip(), add_special_tokens=False)["input_ids"]
    answer = [*answer, tokenizer.eos_token_id]
    return Encoded(tuple(prompt) + tuple(answer), (IGNORE,) * len(prompt) + tuple(answer))


def encode_all(rows: Sequence[dict[str, Any]], tokenizer: Any, max_seq_len: int) -> tuple[list[Encoded], int]:
    """Encoded rows that fit ``max_seq_len``, and how many did not (skipped whole: a cut-off answer would
    teach the model to stop mid-sentence, a cut-off prompt to answer a question it did not see)."""
    kept, skipped = [], 0
    for row in rows:
        item = encode(row, tokenizer)
        if len(item) <= max_seq_len:
            kept.append(item)
        else:
            skipped += 1
    return kept, skipped


def collate(items: Sequence[Encoded], pad_id: int) -> dict[str, Any]:
    """Right-padded tensors as long as the longest item; pad positions get label -100 and mask 0."""
    import torch

    width = max(len(item) for item in items)
    input_ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    labels = torch.full((len(items), width), IGNORE, dtype=torch.long)
    attention = torch.zeros((len(items), width), dtype=torch.long)
    for row, item in enumerate(items):
        input_ids[row, :len(item)] = torch.tensor(item.input_ids)
        labels[row, :len(item)] = torch.tensor(item.labels)
        attention[row, :len(item)] = 1
    return {"input_ids": input_ids, "attention_mask": attention, "labels": labels}


def collate_packed(rows: Sequence[Sequence[Encoded]], pad_id: int) -> dict[str, Any]:
    """Packed rows: examples back to back, ``position_ids`` restarting at 0 for each one.

    No attention mask is passed: transformers then reads the example boundaries from the restarting
    position ids and builds a block-diagonal mask (and flash-attention uses them for varlen kernels).
    """
    import torch

    width = max(sum(len(item) for item in row) for row in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    labels = torch.full((len(rows), width), IGNORE, dtype=torch.long)
    positions = torch.zeros((len(rows), width), dtype=torch.long)
    for r, row in enumerate(rows):
        at = 0
        for item in row:
            input_ids[r, at:at + len(item)] = torch.tensor(item.input_ids)
            labels[r, at:at + len(item)] = torch.tensor(item.labels)
            positions[r, at:at + len(item)] = torch.arange(len(item))
            at += len(item)
        positions[r, at:] = torch.arange(width - at)  # the tail is one more (padding) "example"
    return {"input_ids": input_ids, "position_ids": positions, "labels": labels}


def pack(items: Sequence[Encoded], order: Sequence[int], max_seq_len: int, window: int = 256) -> list[list[Encoded]]:
    """Rows of at most ``max_seq_len`` tokens, packed first-fit decreasing within windows of ``order``.

    Greedy packing in shuffled order closes a row whenever the next example does not fit, which left
    about a fifth of each packed batch as padding; first-fit decreasing over a window of a few hundred
    examples fills rows almost exactly while the window keeps each epoch's mix random.
    """
    rows: list[list[Encoded]] = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start:start + window], key=lambda i: -len(items[i]))
        bins: list[list[Encoded]] = []
        room: list[int] = []
        for index in chunk:
            item = items[index]
            slot = next((b for b, free in enumerate(room) if free >= len(item)), None)
            if slot is None:
                bins.append([item])
                room.append(max_seq_len - len(item))
            else:
                bins[slot].append(item)
                room[slot] -= len(item)
        rows += bins
    return rows


class BatchPlan:
    """The micro-batches of every epoch, in a reproducible order: ``plan.batches()`` never ends."""

    def __init__(self, items: Sequence[Encoded], batch_size: int, mode: str, seed: int,
                 max_seq_len: int, group_buckets: int = 16) -> None:
        if not items:
            raise ValueError("no training examples fit max_seq_len")
        self.items, self.batch_size, self.mode = list(items), batch_size, mode
        self.seed, self.max_seq_len, self.group_buckets = seed, max_seq_len, group_buckets

    def epoch(self, number: int) -> list[list[Encoded]]:
        """The batches of epoch ``number`` (each a list of examples, or of packed rows' examples)."""
        rng = random.Random(self.seed * 1_000_003 + number)
        order = list(range(len(self.items)))
        rng.shuffle(order)
        if self.mode == "packing":
            rows = pack(self.items, order, self.max_seq_len)
            rng.shuffle(rows)  # first-fit decreasing emits each window's longest rows first
            return [rows[i:i + self.batch_size] for i in range(0, len(rows), self.batch_size)]  # type: ignore[misc]
        if self.mode == "length_grouped":
            chunk = self.batch_size * self.group_buckets
            grouped: list[int] = []
            for start in range(0, len(order), chunk):
                grouped += sorted(order[start:start + chunk], key=lambda i: len(self.items[i]))
            order = grouped
        batches = [[self.items[i] for i in order[s:s + self.batch_size]]
                   for s in range(0, len(order), self.batch_size)]
        if self.mode == "length_grouped":
            rng.shuffle(batches)  # else every chunk would run short rows first, long rows last
        return batches

    def batches_per_epoch(self) -> int:
        return len(self.epoch(0))

    def steps_for(self, epochs: float, grad_accumulation: int) -> int:
        return max(1, math.ceil(epochs * self.batches_per_epoch() / grad_accumulation))

    def batches(self, skip: int = 0) -> Iterator[list[Any]]:
        """Every micro-batch from the start, the first ``skip`` left out (a resumed run)."""
        number, seen = 0, 0
        while True:
            for batch in self.epoch(number):
                if seen >= skip:
                    yield batch
                seen += 1
            number += 1


def to_tensors(batch: list[Any], mode: str, pad_id: int) -> dict[str, Any]:
    return collate_packed(batch, pad_id) if mode == "packing" else collate(batch, pad_id)
