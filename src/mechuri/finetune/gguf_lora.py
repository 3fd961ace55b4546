"""A PEFT LoRA adapter rewritten as a llama.cpp LoRA GGUF, so ``gguf:`` serving can apply it to the
packaged quantized base at run time (``Llama(lora_path=…)``) — no merged full-size copy of the model.

What llama.cpp expects (``llama_adapter_lora_init``): a GGUF whose ``general.type`` is ``adapter``,
``adapter.type`` ``lora`` and ``adapter.lora.alpha`` the LoRA alpha, with ``general.architecture`` that of
the base; and for every adapted weight ``W`` (PyTorch shape out × in, the base tensor named the llama.cpp
way, e.g. ``blk.3.attn_q.weight``) two tensors ``<name>.lora_a`` (r × in) and ``<name>.lora_b`` (out × r).
llama.cpp then adds ``scale · alpha / r · B·A·x`` — the same update PEFT applies.

The names come from the ``gguf`` package's own table (``gguf.get_tensor_name_map``), for the architecture
and block count read from the base GGUF when one is given (every tensor is then checked against the base's
shapes, so a mismatched adapter fails here, not at serving time), else given by the caller.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ADAPTER_WEIGHTS = "adapter_model.safetensors"
_PREFIX = "base_model.model."


class ConversionError(ValueError):
    """An adapter that cannot become a llama.cpp LoRA for this base, and why."""


@dataclass(frozen=True)
class BaseShape:
    """What the conversion needs to know about the base model: its llama.cpp architecture, block count,
    and (from a base GGUF) each tensor's shape in PyTorch order (out, in)."""

    arch: str
    blocks: int
    shapes: dict[str, tuple[int, ...]] | None = None

    @classmethod
    def read(cls, base_gguf: Path) -> BaseShape:
        import gguf

        reader = gguf.GGUFReader(str(base_gguf))
        arch = _field_text(reader, "general.architecture")
        blocks = int(_field_value(reader, f"{arch}.block_count"))
        shapes = {tensor.name: tuple(int(n) for n in reversed(tensor.shape)) for tensor in reader.tensors}
        return cls(arch, blocks, shapes)


def _field_value(reader: Any, key: str) -> Any:
    field = reader.get_field(key)
    if field is None:
        raise ConversionError(f"the base GGUF has no {key}")
    return field.parts[field.data[0]][0]


def _field_text(reader: Any, key: str) -> str:
    field = reader.get_field(key)
    if field is None:
        raise ConversionError(f"the base GGUF has no {key}")
    return bytes(field.parts[field.data[0]]).decode("utf-8")


def _pairs(weights: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``module name`` → (A, B) from PEFT's keys (``base_model.model.<module>.lora_A.weight``)."""
    modules: dict[str, dict[str, Any]] = {}
    for key, tensor in weights.items():
        if not key.startswith(_PREFIX) or ".lora_" not in key:
            raise ConversionError(f"not a plain LoRA weight: {key} (only lora_A/lora_B on linear layers convert)")
        module, _, part = key[len(_PREFIX):].rpartition(".lora_")
        modules.setdefault(module, {})[part.split(".")[0]] = tensor
    missing = [name for name, parts in modules.items() if set(parts) != {"A", "B"}]
    if missing:
        raise ConversionError(f"LoRA A or B missing for {missing[:3]}")
    return {name: (parts["A"], parts["B"]) for name, parts in modules.items()}


def convert(adapter_dir: Path, out: Path, *, base: BaseShape) -> Path:
    """Write ``adapter_dir`` (PEFT: adapter_config.json + adapter_model.safetensors) as a llama.cpp LoRA
    GGUF at ``out`` (F16 tensors: half the size, and llama.cpp computes the update in F32 anyway)."""
    import gguf
    import numpy as np
    from safetensors.numpy import load_file

    config = json.loads((adapter_dir / "adapter_config.json").read_text(encoding="utf-8"))
    if config.get("peft_type", "LORA") != "LORA" or config.get("use_dora") or config.get("use_rslora"):
        raise ConversionError("only plain LoRA adapters convert (no DoRA, no rsLoRA)")
    arch = next((a for a, name in gguf.MODEL_ARCH_NAMES.items() if name == base.arch), None)
    if arch is None:
        raise ConversionError(f"the gguf package does not know the architecture {base.arch!r}")
    names = gguf.get_tensor_name_map(arch, base.blocks)
    pairs = _pairs(load_file(str(adapter_dir / ADAPTER_WEIGHTS)))
    writer = gguf.GGUFWriter(str(out.with_name(out.name + ".partial")), base.arch)
    writer.add_string(gguf.Keys.General.TYPE, gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(config["lora_alpha"]))
    for module in sorted(pairs):
        lora_a, lora_b = pairs[module]
        target = names.get_name(module)
        if target is None:
            raise ConversionError(f"no llama.cpp name for {module} in {base.arch}")
        weight = f"{target}.weight"
        shape = (lora_b.shape[0], lora_a.shape[1])
        if base.shapes is not None and base.shapes.get(weight) != shape:
            raise ConversionError(f"{module}: the adapter is for a {shape} weight, the base's {weight} is "
                                  f"{base.shapes.get(weight)}")
        writer.add_tensor(f"{weight}.lora_a", np.ascontiguousarray(lora_a, dtype=np.float16))
        writer.add_tensor(f"{weight}.lora_b", np.ascontiguousarray(lora_b, dtype=np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    out.with_name(out.name + ".partial").replace(out)
    return out
