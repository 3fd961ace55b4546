"""A training run exported as the model people run: the adapter for ``hf:`` (PEFT safetensors), the same
adapter as a llama.cpp LoRA GGUF for ``gguf:``, how to serve it (``serving.json``) and its model card.

``mechuri train export RUN --out models/mechuri-gemma3-270m`` writes the folder ``mechuri.llm.shipped``
loads by name (``--engine gguf:mechuri`` / ``hf:mechuri``). The base is not copied: it is the packaged
GGUF both for llama.cpp and (dequantized once) for transformers, so the folder holds a few MB.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mechuri.finetune.gguf_lora import ADAPTER_WEIGHTS, BaseShape, convert
from mechuri.finetune.model_card import render

ADAPTER_FILES = ("adapter_config.json", ADAPTER_WEIGHTS)
SERVING_DEFAULTS: dict[str, Any] = {"base": "gemma3-270m", "template": "alpaca", "draft": False, "slots": True}
"""How an exported adapter is served unless the engine string says otherwise: the Alpaca frame and the
draft-free ``[사실]`` prompt it was trained on, and slot decoding (``llm.slots``) — unless the run's
``eval.json`` shows the plain prompt passing the guardrail more often (``choose_slots``)."""


@dataclass(frozen=True)
class Exported:
    folder: Path
    files: dict[str, int]
    serving: dict[str, Any]


def choose_slots(run_dir: Path) -> bool:
    """Slot decoding, unless ``mechuri eval`` measured the plain prompt passing the guardrail more often."""
    path = run_dir / "eval.json"
    if not path.exists():
        return True
    scores = {s["system"]: s for s in json.loads(path.read_text(encoding="utf-8"))["scores"]}
    plain, slotted = scores.get("fine-tuned", {}), scores.get("fine-tuned + slots", {})
    if plain.get("guardrail_ok") is None or slotted.get("guardrail_ok") is None:
        return True
    return slotted["guardrail_ok"] >= plain["guardrail_ok"]


def half_precision(source: Path, target: Path) -> Path:
    """The adapter's weights in float16: half the bytes to ship, and LoRA matrices lose nothing that
    matters in 11 bits of mantissa (peft casts them back to the model's dtype when it loads them; the
    export test compares the logits)."""
    import numpy as np
    from safetensors.numpy import load_file, save_file

    weights = load_file(str(source))
    save_file({name: tensor.astype(np.float16) for name, tensor in weights.items()}, str(target),
              metadata={"format": "pt"})
    return target


def export_run(run_dir: Path, out: Path, *, base_gguf: Path, base: str = "gemma3-270m") -> Exported:
    """``run_dir``'s adapter → ``out``: ``adapter/`` (PEFT, float16), ``adapter.gguf`` (llama.cpp LoRA, checked
    against ``base_gguf``), ``serving.json`` and ``MODEL_CARD.md``. Written to a side folder first, so a
    failed export never leaves a half folder where the loader looks."""
    adapter = run_dir / "adapter"
    if not all((adapter / name).exists() for name in ADAPTER_FILES):
        raise FileNotFoundError(f"{adapter} holds no adapter; train first (mechuri train --config …)")
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "adapter").mkdir(parents=True)
    shutil.copy2(adapter / "adapter_config.json", partial / "adapter" / "adapter_config.json")
    half_precision(adapter / ADAPTER_WEIGHTS, partial / "adapter" / ADAPTER_WEIGHTS)
    convert(adapter, partial / "adapter.gguf", base=BaseShape.read(base_gguf))
    serving = {**SERVING_DEFAULTS, "base": base, "slots": choose_slots(run_dir)}
    (partial / "serving.json").write_text(json.dumps(serving, indent=2) + "\n", encoding="utf-8")
    files = {str(path.relative_to(partial)): path.stat().st_size for path in sorted(partial.rglob("*"))
             if path.is_file()}
    (partial / "MODEL_CARD.md").write_text(render(run_dir, serving=serving, files=files), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return Exported(out, files, serving)
