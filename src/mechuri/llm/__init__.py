"""LLM writers: model backends behind one small interface, grounded prompts, guardrails and fallback.

Importing this package imports no model library; each backend imports its own when it loads.
"""

from mechuri.llm.base import (
    Backend,
    BackendBusy,
    BackendError,
    BackendTimeout,
    BackendUnavailable,
    BrokenStream,
)
from mechuri.llm.engine import EngineSpec, EngineSpecError, build_backend, build_writer, parse_engine
from mechuri.llm.prompts import Prompt, build_prompt
from mechuri.llm.registry import Engine, EngineOption, engines, register_engine

__all__ = [
    "Backend", "BackendBusy", "BackendError", "BackendTimeout", "BackendUnavailable", "BrokenStream", "Engine", "EngineOption",
    "EngineSpec", "EngineSpecError", "Prompt", "build_backend", "build_prompt", "build_writer", "engines",
    "parse_engine", "register_engine",
]
