"""A run's LoRA adapter folded into its base model and saved as a plain HF folder.

Serving ``hf:BASE+RUN/adapter`` works as it is; a merged folder is for engines that take no adapter
(llama.cpp after conversion, vLLM without LoRA) and saves the adapter's per-token cost. The base is
loaded un-quantized: merging into 4-bit weights would round the update away.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mechuri.finetune.config import load_config
from mechuri.finetune.modeling import resolve_model


def merge_run(run_dir: Path, out: Path, *, cache_dir: Path | None = None, base: str | None = None) -> Path:
    """``run_dir/adapter`` merged into the run's base (or ``base``), written to ``out`` with the tokenizer."""
    import peft
    import torch
    import transformers

    adapter = run_dir / "adapter"
    if not (adapter / "adapter_config.json").exists():
        raise FileNotFoundError(f"{adapter} holds no adapter; train first (mechuri train --config …)")
    source = base or resolve_model(load_config(run_dir / "config.yaml").model.path, cache_dir)
    model = transformers.AutoModelForCausalLM.from_pretrained(source, dtype=torch.float32,
                                                              local_files_only=Path(source).exists())
    merged = peft.PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    merged.save_pretrained(partial)
    tokenizer_dir = run_dir / "tokenizer" if (run_dir / "tokenizer").exists() else Path(source)
    transformers.AutoTokenizer.from_pretrained(tokenizer_dir).save_pretrained(partial)
    shutil.rmtree(out, ignore_errors=True)
    partial.rename(out)
    return out
