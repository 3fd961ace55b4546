"""Test doubles and builders for the LLM tests: a scripted backend, a tiny random-init GPT-NeoX saved on
disk, and a small OpenAI-compatible server that misbehaves on request. Nothing here downloads anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

from faulty_llm import FakeOpenAI  # re-exported: the misbehaving server lives in tests/faulty_llm.py
from mechuri.llm.budget import Cancel, TurnBudget
from mechuri.llm.prompts import Prompt
from tiny_models import (  # re-exported: the tiny model lives in tests/tiny_models.py
    TINY_WORDS,
    build_tiny_gpt_neox,
)

__all__ = ["TINY_WORDS", "FakeOpenAI", "ScriptedBackend", "build_tiny_gpt_neox"]


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
