"""Engine specs: ``MECHURI_ENGINE`` / ``--engine`` strings turned into a reply writer.

The engines are declared by the modules that implement them and collected in ``mechuri.llm.registry``
(``usage()`` lists their syntax, ``register_engine`` adds one); this module looks the kind up there and
builds: ``build_backend`` the model backend an engine names, ``build_writer`` the reply writer the
application passes to the ``DialogueManager``. ``KINDS`` is the registry's kind names, in order.

Parsing checks what can be checked cheaply (the option, the file exists, the URL has a scheme, the model
is named) and says how to fix it; weights load on the first reply. Heavy libraries are imported by the
backends only when they load, so the grounded default never imports torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mechuri.llm.base import Backend
from mechuri.llm.registry import DRAFT, SLOTS, EngineSpec, EngineSpecError, get_engine, kinds, parse_engine

if TYPE_CHECKING:
    from mechuri.config import Settings
    from mechuri.conversation.writer import ReplyWriter

__all__ = ["KINDS", "EngineSpec", "EngineSpecError", "build_backend", "build_writer", "parse_engine"]

KINDS: tuple[str, ...]
"""The registry's kind names, in order (read on use, so that importing mechuri.llm loads no engine module)."""


def __getattr__(name: str) -> tuple[str, ...]:
    if name == "KINDS":
        return kinds()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _build(spec: EngineSpec | str, settings: Settings) -> tuple[EngineSpec, object]:
    spec = parse_engine(spec) if isinstance(spec, str) else spec
    return spec, get_engine(spec.kind).build(spec, settings)


def build_backend(spec: EngineSpec | str, settings: Settings) -> Backend | None:
    """The backend an engine names (not loaded yet); None for an engine that is a writer (``grounded``)."""
    _, made = _build(spec, settings)
    return made if isinstance(made, Backend) else None


def build_writer(settings: Settings, engine: str | EngineSpec | None = None) -> ReplyWriter:
    """The reply writer for ``engine`` (default: ``settings.engine``): the engine's own writer (grounded),
    or an LLM writer over the engine's backend with the grounded writer as its fallback."""
    spec, made = _build(engine or settings.engine, settings)
    if not isinstance(made, Backend):
        return made  # type: ignore[return-value]
    from mechuri.conversation.writer import GroundedWriter
    from mechuri.llm.writer import LLMWriter

    return LLMWriter(made, GroundedWriter(), timeout_s=settings.llm_timeout_s,
                     first_token_s=settings.llm_first_token_s, workers=settings.llm_workers,
                     max_tokens=settings.llm_max_tokens, temperature=settings.llm_temperature,
                     draft=spec.flag(DRAFT.name, True), slots=spec.flag(SLOTS.name, False))
