"""Slotted copies of grounded rows: the same request with its amounts as numbered slots (``llm.slots``).

A model served in slot mode (``LLMWriter(slots=True)``, the ``slots=1`` engine option) sees 「열량 {3}」
where the facts said 「열량 450kcal」 and should write 「{3}」 where the answer says 「450kcal」. It can only
learn that from rows in that form, so each reply-writer row also goes into the dataset slotted
(source ``synth:writer+slots``), beside its plain form: one adapter then serves both modes, and
``mechuri eval`` can compare them. The copy keeps the row's group, so the split keeps both forms of a row
on the same side (validation never holds the other form of a training row).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mechuri.data.example import Example
from mechuri.llm.slots import slot_prompt

SLOTTED_SOURCES = ("synth:writer",)
"""The rows that get a slotted copy: the served job itself, the only prompt ``LLMWriter`` slots. (The
2,500 nutrition rows would more than double their share of a fixed number of training steps.)"""
SUFFIX = "+slots"


def slotted(example: Example) -> Example | None:
    """``example`` with the amounts of its input as slots and its answer's amounts written as those slots;
    None when its input states no amount or its answer uses none of them (nothing to learn)."""
    table = slot_prompt(example.instruction, example.input)
    output = table.slot(example.output)
    if not table.values or output == example.output:
        return None
    return Example(table.instruction, table.input, output, example.source + SUFFIX, example.intent,
                   meta={**example.meta, "slots": len(table.values)})


def with_slotted(examples: Iterable[Example], sources: Iterable[str] = SLOTTED_SOURCES) -> Iterator[Example]:
    """Every example, each of ``sources`` followed by its slotted copy."""
    chosen = frozenset(sources)
    for example in examples:
        yield example
        copy = slotted(example) if example.source in chosen else None
        if copy is not None:
            yield copy
