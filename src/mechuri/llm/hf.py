"""Hugging Face transformers backend: any causal LM directory or hub id, an optional PEFT/LoRA adapter,
optional 4-bit NF4 loading (bitsandbytes, double quantization), device chosen automatically.

This is how the original design's model is served: beomi/KoAlpaca-Polyglot-5.8B with a QLoRA adapter on
a GPU. The same code runs a tiny test model on the CPU, and a GGUF file (``gguf_file=``, dequantized by
transformers, then saved once as a plain checkpoint so later loads are fast).

Nothing here downloads unless asked: a path that exists is loaded offline; anything else is treated as a
hub id and loaded from the local cache, or from the hub only when ``allow_download`` is set.
torch and transformers are imported on ``load()``, never at import time. ``ENGINE`` (at the end) declares
the ``hf:`` engine to ``mechuri.llm.registry``.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mechuri.llm.base import BackendError, BackendUnavailable, StopCutter
from mechuri.llm.budget import Cancel, TurnBudget
from mechuri.llm.prompts import Prompt, as_messages, as_text
from mechuri.llm.registry import DRAFT, SLOTS, Engine, EngineOption, EngineSpec, EngineSpecError
from mechuri.llm.shipped import SHIPPED

if TYPE_CHECKING:
    from mechuri.config import Settings

TEMPLATES = ("auto", "chat", "alpaca")
JOIN_TIMEOUT_S = 30.0
"""How long a closed stream waits for the generating thread to notice (one forward pass, normally)."""


def _import_stack() -> tuple[Any, Any]:
    try:
        import torch
        import transformers
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise BackendUnavailable(
            f"the hf engine needs torch and transformers: pip install 'mechuri[hf]' ({exc})") from exc
    return torch, transformers


def pick_device(torch: Any, device: str) -> str:
    """``auto``: every GPU (accelerate spreads the layers), else Apple's MPS, else the CPU."""
    if device != "auto":
        return device
    if torch.cuda.is_available():
        return "auto"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


class HFBackend:
    """A causal LM loaded with transformers (+ peft adapter, + bitsandbytes 4-bit), on first use."""

    def __init__(self, model: str, adapter: str | None = None, *, load_in_4bit: bool = False,
                 device: str = "auto", template: str = "auto", gguf_file: str | None = None,
                 cache_dir: Path | None = None, allow_download: bool = False,
                 prepare: Callable[[], str] | None = None, name: str | None = None) -> None:
        """``prepare``: makes the model folder on load and returns its path (the packaged GGUF base is
        converted once, minutes, so not when the engine is built); ``name``: what the turn's metadata
        calls it."""
        if template not in TEMPLATES:
            raise ValueError(f"template must be one of {', '.join(TEMPLATES)}; got {template!r}")
        self.model_id, self.adapter = model, adapter
        self.load_in_4bit, self.device, self.template = load_in_4bit, device, template
        self.gguf_file, self.cache_dir, self.allow_download = gguf_file, cache_dir, allow_download
        self.prepare = prepare
        self.name = name or "hf:" + (Path(model).name if Path(model).exists() else model) + ("+lora" if adapter else "")
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()

    # -- loading ---------------------------------------------------------------------------------------
    def load(self) -> None:
        """Load tokenizer, model and adapter (once; later calls return at once)."""
        with self._load_lock:
            if self._model is None:
                self._model, self._tokenizer = self._load()

    def _source(self) -> tuple[str, dict[str, Any]]:
        """Where from_pretrained reads and with which options; a converted GGUF is read from its cache."""
        local = Path(self.model_id).exists()
        options: dict[str, Any] = {"local_files_only": local or not self.allow_download}
        if self.gguf_file:
            converted = self._gguf_cache()
            if converted is not None and (converted / "config.json").exists():
                return str(converted), {"local_files_only": True}
            options["gguf_file"] = self.gguf_file
        return self.model_id, options

    def _gguf_cache(self) -> Path | None:
        if self.cache_dir is None or not self.gguf_file:
            return None
        source = Path(self.model_id) / self.gguf_file
        stamp = f"{source.resolve()}:{source.stat().st_size}" if source.exists() else str(source)
        return self.cache_dir / f"{Path(self.gguf_file).stem}-{hashlib.sha1(stamp.encode()).hexdigest()[:10]}"

    def _load(self) -> tuple[Any, Any]:
        torch, transformers = _import_stack()
        if self.prepare is not None:
            try:
                self.model_id = self.prepare()
            except (OSError, RuntimeError, ValueError) as exc:
                raise BackendUnavailable(f"cannot prepare the base model: {exc}") from exc
        source, options = self._source()
        device = pick_device(torch, self.device)
        on_gpu = device not in ("cpu", "mps")
        kwargs: dict[str, Any] = {**options, "device_map": device}
        if self.load_in_4bit:
            kwargs["quantization_config"] = transformers.BitsAndBytesConfig(
                load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                bnb_4bit_compute_dtype=torch.bfloat16 if on_gpu else torch.float32)
        else:
            kwargs["dtype"] = "auto" if on_gpu else torch.float32
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(source, **options)
            model = transformers.AutoModelForCausalLM.from_pretrained(source, **kwargs)
        except (OSError, ValueError, ImportError) as exc:
            raise BackendUnavailable(f"cannot load the model {self.model_id!r}: {exc}") from exc
        if self.gguf_file and source == self.model_id:
            self._save_converted(model, tokenizer)
        if self.adapter:
            try:
                from peft import PeftModel
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise BackendUnavailable("a LoRA adapter needs peft: pip install 'mechuri[hf]'") from exc
            model = PeftModel.from_pretrained(model, self.adapter, local_files_only=options["local_files_only"])
        model.eval()
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        return model, tokenizer

    def _save_converted(self, model: Any, tokenizer: Any) -> None:
        """Keep the dequantized GGUF as a plain checkpoint: the conversion takes minutes, the reload seconds."""
        target = self._gguf_cache()
        if target is None:
            return
        # The weights are plain tensors by now; transformers only still marks them as "from GGUF".
        quantizer = getattr(model, "hf_quantizer", None)
        quantization = getattr(model.config, "quantization_config", None)
        try:
            model.hf_quantizer = None
            if quantization is not None:
                del model.config.quantization_config
            target.mkdir(parents=True, exist_ok=True)
            model.save_pretrained(target)
            tokenizer.save_pretrained(target)
        except (OSError, ValueError):
            pass  # no cache only costs the next start its speed
        finally:
            model.hf_quantizer = quantizer
            if quantization is not None:
                model.config.quantization_config = quantization

    # -- generation ------------------------------------------------------------------------------------
    def uses_chat_template(self) -> bool:
        self.load()
        has_template = bool(getattr(self._tokenizer, "chat_template", None))
        return self.template == "chat" or (self.template == "auto" and has_template)

    def render(self, prompt: Prompt | str) -> str:
        """The text fed to the model: the tokenizer's chat template when it has one, else KoAlpaca's; a plain
        string is fed as it is."""
        if isinstance(prompt, str):
            return prompt
        if self.uses_chat_template():
            return self._tokenizer.apply_chat_template(as_messages(prompt), tokenize=False,
                                                       add_generation_prompt=True)
        return as_text(prompt)

    def _inputs(self, prompt: Prompt | str) -> Any:
        templated = not isinstance(prompt, str) and self.uses_chat_template()
        inputs = self._tokenizer(self.render(prompt), return_tensors="pt", return_token_type_ids=False,
                                 add_special_tokens=not templated)  # a chat template writes its own BOS
        return inputs.to(self._model.device)

    def loaded(self) -> tuple[Any, Any]:
        """The model and tokenizer (loaded on first call), for callers that score rather than generate
        (``mechuri eval``'s held-out loss)."""
        self.load()
        return self._model, self._tokenizer

    def _options(self, max_tokens: int, temperature: float, stop_flag: threading.Event,
                 top_p: float = 0.9) -> dict[str, Any]:
        _, transformers = _import_stack()

        class Cancelled(transformers.StoppingCriteria):
            """Stops generating once the reader has gone (a timed-out or closed stream)."""

            def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> bool:
                return stop_flag.is_set()

        options: dict[str, Any] = {
            "max_new_tokens": max_tokens, "pad_token_id": self._tokenizer.pad_token_id,
            "stopping_criteria": transformers.StoppingCriteriaList([Cancelled()]),
            "repetition_penalty": 1.1,
        }
        if temperature > 0:
            options.update(do_sample=True, temperature=temperature, top_p=top_p)
        else:
            options.update(do_sample=False)
        return options

    def generate(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
                 stop: Sequence[str] = (), top_p: float = 0.9) -> str:
        return "".join(self.stream(prompt, max_tokens=max_tokens, temperature=temperature, stop=stop,
                                   top_p=top_p))

    def stream(self, prompt: Prompt | str, *, max_tokens: int = 256, temperature: float = 0.3,
               stop: Sequence[str] = (), top_p: float = 0.9, budget: TurnBudget | None = None,
               cancel: Cancel | None = None) -> Iterator[str]:
        """Pieces as the model writes them (TextIteratorStreamer); closing the iterator, or ``cancel``, stops
        generation."""
        self.load()
        _, transformers = _import_stack()
        stop_flag = threading.Event()
        streamer = transformers.TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True)
        failure: list[BaseException] = []

        def run() -> None:
            try:
                with self._lock:  # one generation at a time per model: memory, not correctness, is the limit
                    self._model.generate(**self._inputs(prompt), streamer=streamer,
                                         **self._options(max_tokens, temperature, stop_flag, top_p))
            except BaseException as exc:  # reported to the reader below
                failure.append(exc)
                streamer.end()

        worker = threading.Thread(target=run, name="mechuri-hf-generate", daemon=True)
        worker.start()
        cutter = StopCutter(stop)
        try:
            for piece in streamer:
                if cancel is not None and cancel.cancelled:
                    break
                shown = cutter.feed(piece)
                if shown:
                    yield shown
                if cutter.done:
                    break
            if failure:
                raise BackendError(f"generation failed: {failure[0]}") from failure[0]
            rest = cutter.flush()
            if rest:
                yield rest
        finally:
            stop_flag.set()  # the model stops at its next token; wait for it so no thread outlives the reply
            worker.join(timeout=JOIN_TIMEOUT_S)


# -- the engine: hf:PATH[+ADAPTER][?OPTIONS] ----------------------------------------------------------------
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def _check_model(target: str, what: str) -> None:
    if Path(target).expanduser().exists() or _HUB_ID.match(target):
        return
    raise EngineSpecError(f"hf: no {what} at {target!r} (a folder, a .gguf file, or a hub id like "
                          "beomi/KoAlpaca-Polyglot-5.8B)")


def parse_spec(target: str, options: dict[str, str]) -> EngineSpec:
    if target in SHIPPED:  # the packaged base (converted on first load) + the shipped PEFT adapter
        shipped = SHIPPED[target]
        return EngineSpec("hf", target, str(shipped.adapter("hf")), options={**shipped.serving(), **options})
    model, _, adapter = target.partition("+")
    _check_model(model, "model")
    if adapter:
        _check_model(adapter, "adapter")
    return EngineSpec("hf", model, adapter or None, options=options)


def build(spec: EngineSpec, settings: Settings) -> HFBackend:
    if spec.target in SHIPPED:
        from mechuri.finetune.modeling import resolve_model

        base = f"packaged:{SHIPPED[spec.target].base}"
        return HFBackend(base, spec.adapter, load_in_4bit=spec.flag("4bit", settings.llm_4bit),
                         device=spec.options.get("device", settings.llm_device),
                         template=spec.options.get("template", "auto"),
                         prepare=lambda: resolve_model(base, settings.data_dir / "models"), name=f"hf:{spec.target}")
    path = Path(spec.target).expanduser()
    model, gguf_file = (str(path.parent), path.name) if path.is_file() else (spec.target, None)
    return HFBackend(model, spec.adapter, load_in_4bit=spec.flag("4bit", settings.llm_4bit),
                     device=spec.options.get("device", settings.llm_device),
                     template=spec.options.get("template", "auto"), gguf_file=gguf_file,
                     cache_dir=settings.data_dir / "hf-gguf-cache", allow_download=not path.exists())


ENGINE = Engine(
    "hf", "hf:PATH[+ADAPTER]",
    f"transformers: a model folder, a .gguf file or a hub id, + a LoRA adapter; {', '.join(SHIPPED)}: the "
    "packaged Gemma 3 270M + the shipped adapter (models/)",
    parse=parse_spec, build=build,
    options=(
        EngineOption("4bit", "load in 4-bit NF4 with bitsandbytes; default MECHURI_LLM_4BIT", type="flag"),
        EngineOption("device", "auto, cpu, cuda or mps; default MECHURI_LLM_DEVICE"),
        EngineOption("template", "the model's chat template, or Alpaca-style text; default auto", values=TEMPLATES),
        DRAFT,
        SLOTS,
    ),
)
