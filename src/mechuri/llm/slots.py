"""Slot decoding: the model writes 「{3}」 where an amount goes, and the writer fills in the Turn's value.

Why slots rather than a grammar: the numbers are where a small model goes wrong (it writes 1,900mg as
1,090mg, or a calorie count a line away), and copying a short marker from its prompt is the thing a
270M model does best. Every amount of the prompt's facts (「450kcal」, 「1,900mg」, 「20.5g」) is replaced
by a numbered slot in the prompt the model sees, so an amount the model states through a slot is the
Turn's own text, byte for byte, on every backend (hf, llama.cpp, an OpenAI-compatible server) — a
per-turn llama.cpp grammar would only constrain llama.cpp. The model may still write a digit itself,
and the guardrail still checks every number after filling; a slot that names no fact (「{9}」) stays
unfilled and the guardrail rejects its sentence (``placeholder``).

The same transform makes the training rows (``mechuri.data.slotted``: a slotted copy of each
reply-writer row, the grounded answer with its amounts turned back into the prompt's slots) and the
slotted row of ``mechuri eval``, so a model is served the prompt it learned.

The user's own message is left as written: 「500칼로리 이하로」 is what they said, not a fact to fill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mechuri.llm.prompts import LABELS, SLOT_RULE, Prompt

AMOUNT = re.compile(r"(?<![\d.,{])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s?(?:kcal|mg|g)(?![A-Za-z])")
"""An amount with its unit as the facts and the grounded replies write it: 450kcal, 1,900mg, 20.5g."""
SLOT = re.compile(r"\{(\d{1,3})\}")
_MESSAGE_LINE = f"- {LABELS['message']}:"
_HOLD = 5
"""The longest slot still being written that the filler holds back (「{123」): longer is plain text."""


@dataclass(frozen=True)
class Slotted:
    """A prompt whose amounts are slots, and what each slot stands for (``"3"`` → ``"450kcal"``)."""

    instruction: str
    input: str
    values: dict[str, str]

    def prompt(self) -> Prompt:
        return Prompt(system=self.instruction, user=self.input)

    def unslot(self, text: str) -> str:
        """``text`` with every slot it names filled; unknown slots stay as written."""
        return SLOT.sub(lambda m: self.values.get(m.group(1), m.group(0)), text)

    def slot(self, text: str) -> str:
        """``text`` (a reference answer) with each amount that is a slot's value written as that slot:
        what a model trained on slotted rows should produce."""
        numbers = {value: key for key, value in self.values.items()}
        return AMOUNT.sub(lambda m: "{" + numbers[m.group(0)] + "}" if m.group(0) in numbers else m.group(0), text)


def slot_prompt(instruction: str, facts: str) -> Slotted:
    """``instruction`` with the slot rule, and ``facts`` with every amount outside the user's message
    turned into a numbered slot; the same amount written twice is the same slot."""
    values: dict[str, str] = {}
    numbers: dict[str, str] = {}

    def slot(match: re.Match[str]) -> str:
        text = match.group(0)
        if text not in numbers:
            numbers[text] = str(len(numbers) + 1)
            values[numbers[text]] = text
        return "{" + numbers[text] + "}"

    lines = [line if line.startswith(_MESSAGE_LINE) else AMOUNT.sub(slot, line) for line in facts.split("\n")]
    return Slotted(f"{instruction} {SLOT_RULE}" if values else instruction, "\n".join(lines), values)


def slot_built_prompt(prompt: Prompt) -> Slotted:
    """``slot_prompt`` over a grounded ``Prompt`` (what ``LLMWriter`` sends)."""
    return slot_prompt(prompt.system, prompt.user)


class SlotFiller:
    """Fills slots in streamed text as it arrives, holding back a slot until its 「}」 has come."""

    def __init__(self, slotted: Slotted | None) -> None:
        self.slotted = slotted
        self._held = ""
        self.filled = 0
        self.unknown: list[str] = []

    def feed(self, piece: str) -> str:
        if self.slotted is None:
            return piece
        text = self._held + piece
        cut = text.rfind("{")
        if cut >= 0 and "}" not in text[cut:] and len(text) - cut <= _HOLD:
            text, self._held = text[:cut], text[cut:]
        else:
            self._held = ""
        return self._fill(text)

    def flush(self) -> str:
        text, self._held = self._held, ""
        return self._fill(text) if self.slotted is not None else text

    def _fill(self, text: str) -> str:
        assert self.slotted is not None
        for match in SLOT.finditer(text):
            if match.group(1) in self.slotted.values:
                self.filled += 1
            else:
                self.unknown.append(match.group(0))
        return self.slotted.unslot(text)
