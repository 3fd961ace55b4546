"""Test doubles and builders for the LLM tests: a scripted backend, a tiny random-init GPT-NeoX saved on
disk, and a small OpenAI-compatible server that misbehaves on request. Nothing here downloads anything.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence

from faulty_llm import FakeOpenAI  # re-exported: the misbehaving server lives in tests/faulty_llm.py
from mechuri.llm.budget import Cancel, TurnBudget
from mechuri.llm.prompts import Prompt
from tiny_models import (  # re-exported: the tiny model lives in tests/tiny_models.py
    TINY_WORDS,
    build_tiny_gpt_neox,
)

__all__ = ["TINY_WORDS", "FakeOpenAI", "GatedBackend", "ScriptedBackend", "build_tiny_gpt_neox"]


class ScriptedBackend:
    """A backend whose reply is a function of the prompt, so tests choose exactly what the 'model' says."""

    def __init__(self, reply: Callable[[Prompt | str], str] | str, *, delay_s: float = 0.0,
                 name: str = "scripted") -> None:
        self.reply = reply if callable(reply) else (lambda _prompt: reply)
        self.delay_s = delay_s
        self.name = name
        self.prompts: list[Prompt | str] = []

    def generate(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
                 stop: Sequence[str] = ()) -> str:
        return "".join(self.stream(prompt, max_tokens=max_tokens, temperature=temperature, stop=stop))

    def stream(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
               stop: Sequence[str] = (), budget: TurnBudget | None = None,
               cancel: Cancel | None = None) -> Iterator[str]:
        self.prompts.append(prompt)
        if cancel is not None:
            if cancel.wait(self.delay_s):
                return
        else:
            time.sleep(self.delay_s)
        text = self.reply(prompt)
        for start in range(0, len(text), 5):
            yield text[start:start + 5]


class GatedBackend:
    """A backend that writes ``parts(prompt)`` in order and, before every part after the first, waits for
    ``gate`` to open: a test sees what reached the reader while the 'model' is still writing, then opens
    the gate (or never does, and lets the turn's deadline cancel it). ``written`` counts the parts sent."""

    def __init__(self, parts: Callable[[Prompt | str], list[str]], *, name: str = "gated",
                 open_gate: bool = False) -> None:
        self.parts = parts
        self.name = name
        self.gate = threading.Event()
        if open_gate:
            self.gate.set()
        self.written = 0
        self.cancelled = threading.Event()
        self.prompts: list[Prompt | str] = []

    def generate(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
                 stop: Sequence[str] = ()) -> str:
        return "".join(self.stream(prompt, max_tokens=max_tokens, temperature=temperature, stop=stop))

    def stream(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
               stop: Sequence[str] = (), budget: TurnBudget | None = None,
               cancel: Cancel | None = None) -> Iterator[str]:
        self.prompts.append(prompt)
        for number, part in enumerate(self.parts(prompt)):
            while number and not self.gate.wait(0.01):
                if cancel is not None and cancel.cancelled:
                    self.cancelled.set()
                    return
            if cancel is not None and cancel.cancelled:
                self.cancelled.set()
                return
            self.written += 1
            yield part
