"""The ``grounded`` engine: the template writer of ``mechuri.conversation.writer`` (the default; offline,
never fails, and the fallback of every LLM writer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mechuri.llm.registry import Engine, EngineSpec

if TYPE_CHECKING:
    from mechuri.config import Settings
    from mechuri.conversation.writer import ReplyWriter


def build(spec: EngineSpec, settings: Settings) -> ReplyWriter:
    from mechuri.conversation.writer import GroundedWriter

    return GroundedWriter()


ENGINE = Engine("grounded", "grounded", "the template writer (default; offline, never fails)", build=build)
