"""Fine-tuning speed on this CPU: the naive LoRA/QLoRA step against mechuri's, one lever at a time.

The issue measured, before any work, ≈ 13 s per LoRA step of 8 × 128 tokens (fp32 weights) and ≈ 25 s
per NF4 QLoRA step of 8 × 256 tokens on Gemma 3 270M. Those are the "naive" rows here: logits for every
position through the 262,144-word output layer, every row padded to the sequence length, fp32 matmuls.
Each following row adds one lever of ``mechuri.finetune``:

1. **answer-only logits** — the output layer runs on answer positions only (``answer_loss_sum``);
2. **length grouping** — batches of similar-length rows, padded to their own longest row;
3. **bf16 autocast** — matmuls in bfloat16 (AMX / AVX-512 BF16 on this CPU), LoRA weights, gradients
   and AdamW state still fp32 (``training.autocast``); for NF4 also ``compute_dtype: bfloat16``;
4. **bf16 base weights** (LoRA only) — the frozen base stored in bfloat16 (``quantization.base_dtype``),
   so autocast no longer casts every frozen fp32 weight on every forward and backward.

Every variant trains the same examples (the first ``--batches`` × 8 rows of the built dataset that fit
the length, in one shuffled order) from a freshly loaded model, after one warm-up step, so the
seconds per 8 examples and the real-token rate compare directly. The LoRA settings are those of
``configs/gemma3-270m-cpu.yaml``.

    .venv/bin/mechuri data build            # once: data/dataset
    .venv/bin/python benchmarks/train_speed.py [--batches 4] [--modes lora,nf4] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _table import markdown_table, median

ROOT = Path(__file__).resolve().parents[1]
BATCH = 8
ISSUE_BASELINE_S = {"lora": 13.0, "nf4": 25.0}
"""Seconds per step the issue measured before any work (8 × 128 LoRA, 8 × 256 NF4)."""


@dataclass(frozen=True)
class Variant:
    label: str
    answer_only: bool
    grouped: bool
    bf16: bool
    bf16_base: bool = False
    """Frozen base weights stored in bf16 (``quantization.base_dtype``): LoRA mode only."""


VARIANTS = (
    Variant("naive: full logits, padded, fp32", False, False, False),
    Variant("+ answer-only logits", True, False, False),
    Variant("+ length grouping", True, True, False),
    Variant("+ bf16 autocast (the CPU config)", True, True, True),
    Variant("+ bf16 base weights", True, True, True, bf16_base=True),
)
SEQ_LEN = {"lora": 128, "nf4": 256}


def pad_to(batch: dict[str, Any], width: int, pad_id: int) -> dict[str, Any]:
    """Right-pad a collated batch to ``width`` (the naive data loader pads every row to max_seq_len)."""
    import torch

    extra = width - batch["input_ids"].shape[1]
    if extra <= 0:
        return batch
    rows = batch["input_ids"].shape[0]
    fill = {"input_ids": pad_id, "attention_mask": 0, "labels": -100}
    return {key: torch.cat([value, torch.full((rows, extra), fill[key], dtype=value.dtype)], dim=1)
            for key, value in batch.items()}


def examples(tokenizer: Any, dataset: Path, max_len: int, count: int, seed: int) -> list[Any]:
    from mechuri.finetune.data import encode_all, read_rows

    rows = read_rows(dataset / "train.jsonl")
    random.Random(seed).shuffle(rows)
    items, _ = encode_all(rows, tokenizer, max_len)
    if len(items) < count:
        raise SystemExit(f"only {len(items)} rows of ≤ {max_len} tokens in {dataset}; lower --batches")
    return items[:count]


def batches_for(items: list[Any], variant: Variant, width: int, pad_id: int) -> list[dict[str, Any]]:
    from mechuri.finetune.data import collate

    ordered = sorted(items, key=len) if variant.grouped else items
    groups = [ordered[i:i + BATCH] for i in range(0, len(ordered), BATCH)]
    if variant.grouped:
        random.Random(0).shuffle(groups)
    collated = [collate(group, pad_id) for group in groups]
    return collated if variant.grouped else [pad_to(batch, width, pad_id) for batch in collated]


def run_variant(source: str, mode: str, variant: Variant, items: list[Any], pad_id: int,
                warmup: dict[str, Any], lora: Any) -> dict[str, Any]:
    import torch

    from mechuri.finetune.config import QuantizationConfig
    from mechuri.finetune.loop import mixed_precision
    from mechuri.finetune.loss import answer_loss_sum, full_logit_loss
    from mechuri.finetune.modeling import add_lora, load_base

    quantization = QuantizationConfig(mode="nf4" if mode == "nf4" else "none",
                                      compute_dtype="bfloat16" if variant.bf16 else "float32",
                                      base_dtype="bfloat16" if variant.bf16_base else "auto")
    model = add_lora(load_base(source, quantization, "cpu"), lora, quantized=mode == "nf4",
                     gradient_checkpointing=False)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-4)

    def step(batch: dict[str, Any]) -> float:
        began = time.perf_counter()
        with mixed_precision("cpu", "bfloat16" if variant.bf16 else "none"):
            if variant.answer_only:
                total, count = answer_loss_sum(model, batch)
                loss = total / max(count, 1)
            else:
                loss = full_logit_loss(model, batch)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return time.perf_counter() - began

    step(warmup)
    batches = batches_for(items, variant, SEQ_LEN[mode], pad_id)
    times = [step(batch) for batch in batches]
    real = sum(len(item) for item in items)
    shown = sum(int(batch["input_ids"].numel()) for batch in batches)
    return {"mode": mode, "variant": variant.label, "median_s": median(times),
            "s_per_8": sum(times) / len(times), "tokens_per_s": real / sum(times),
            "padding": 1 - real / shown, "steps": len(times)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=ROOT / "data" / "dataset")
    parser.add_argument("--model", default="packaged:gemma3-270m", help="a model folder or packaged name")
    parser.add_argument("--lora-targets", help="comma-separated modules (default: the CPU config's)")
    parser.add_argument("--batches", type=int, default=4, help="timed steps per variant (8 rows each)")
    parser.add_argument("--modes", default="lora,nf4")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    import torch

    from mechuri.finetune.config import load_config
    from mechuri.finetune.data import collate
    from mechuri.finetune.modeling import load_tokenizer, resolve_model

    if not (args.dataset / "train.jsonl").exists():
        print(f"{args.dataset}/train.jsonl is missing: run `mechuri data build` first")
        return 2
    torch.set_num_threads(args.threads)
    source = resolve_model(args.model)
    tokenizer = load_tokenizer(source)
    lora = load_config(ROOT / "configs" / "gemma3-270m-cpu.yaml").lora
    if args.lora_targets:
        lora = lora.model_copy(update={"target_modules": args.lora_targets.split(",")})
    results = []
    for mode in args.modes.split(","):
        items = examples(tokenizer, args.dataset, SEQ_LEN[mode], (args.batches + 1) * BATCH, seed=1)
        warmup, timed = collate(items[:BATCH], tokenizer.pad_token_id), items[BATCH:]
        for variant in VARIANTS:
            if variant.bf16_base and mode == "nf4":
                continue  # an NF4 base is 4-bit already
            result = run_variant(source, mode, variant, timed, tokenizer.pad_token_id, warmup, lora)
            results.append(result)
            print(f"  {mode} {variant.label}: {result['s_per_8']:.2f} s per 8 rows", file=sys.stderr)

    print(f"\n{args.model}, LoRA r{lora.r} on {', '.join(lora.target_modules)}, batch {BATCH}, "
          f"{args.threads} threads, {args.batches} timed steps per row (same rows in every variant)\n")
    rows = []
    for result in results:
        naive = next(r for r in results if r["mode"] == result["mode"])
        mode = f"{'LoRA fp32' if result['mode'] == 'lora' else 'QLoRA NF4'} ≤{SEQ_LEN[result['mode']]}"
        rows.append((mode, result["variant"], f"{result['median_s']:.2f}", f"{result['s_per_8']:.2f}",
                     f"{result['tokens_per_s']:.0f}", f"{100 * result['padding']:.0f} %",
                     f"{naive['s_per_8'] / result['s_per_8']:.2f}×",
                     f"{ISSUE_BASELINE_S[result['mode']] / result['s_per_8']:.2f}×"))
    print(markdown_table(("mode", "variant", "median s/step", "s per 8 rows", "real tokens/s", "padding",
                          "vs naive", "vs issue"), rows))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
