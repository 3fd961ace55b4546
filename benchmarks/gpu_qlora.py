"""QLoRA on a GPU: a Polyglot-ko-5.8B-shaped model in 4-bit, peak GPU memory and seconds per step at batch 8,
with and without packing, against the original's 3.7 s/step on a T4.

Why: the original design fine-tuned beomi/KoAlpaca-Polyglot-5.8B with QLoRA (4-bit NF4, double
quantization, bf16 compute, paged 8-bit AdamW, gradient checkpointing, LoRA r=8 / alpha=32 / dropout 0.05
on ``query_key_value``) at batch 8: 770 steps in ≈ 48 min on one T4, 3.7 s/step.
``configs/koalpaca-polyglot-5.8b-qlora.yaml`` reproduces it with ``mechuri.finetune``; this script
measures what that config costs on whatever GPU is at hand, without downloading anything, so it can run on
a lent machine with no network.

How: a GPT-NeoX with Polyglot-ko-5.8B's shape (28 layers, d_model 4096, 16 heads, FFN 16,384, vocab 30,080,
rotary on half of each head, untied output layer: 5.89 B parameters) is built with random weights on the
GPU in bf16, saved to a temporary folder (≈ 12 GB; ``--tmp-dir``) and loaded back through the repo's own
code: ``modeling.load_base`` (NF4 through bitsandbytes, the config's quantization), ``modeling.add_lora``
(``prepare_model_for_kbit_training`` + gradient checkpointing + LoRA), ``loop.make_optimizer``
(PagedAdamW8bit on CUDA), ``loss.answer_loss_sum`` and ``data.BatchPlan`` / ``data.to_tensors``. Each
step is the training loop's: collate, forward, backward (loss per answer token), clip, optimizer step.

Data: no tokenizer is needed. Token ids are random; only the lengths matter, and the prompt part is
masked with -100 as ``data.encode`` masks it. By default ``--rows`` (616, the original dataset's size)
lengths are drawn from a fixed seeded distribution meant to resemble KoAlpaca rows under the Polyglot
tokenizer (an assumption, not a measurement): prompt = 10 template tokens + question ~ lognormal(median
28, σ 0.6); answer ~ lognormal(median 120, σ 0.75) + EOS; rows outside 60…``--max-seq-len`` tokens are
drawn again. That gives ≈ 200 tokens on average with a long tail to 512. ``--dataset DIR --tokenizer PATH``
takes the lengths from a real ``train.jsonl`` instead (rows longer than ``--max-seq-len`` are skipped, as
in training).

Modes: ``packing`` (examples concatenated into rows of up to ``--max-seq-len``), ``length_grouped`` (the
config's batching; alias ``padded``) and ``random`` (padded, shuffled: what HF's Trainer does without
``group_by_length``). Each mode gets a fresh optimizer, ``--warmup`` untimed steps, then ``--steps``
timed steps (``torch.cuda.synchronize`` around each). Reported per mode: median s/step, real tokens/s
(padding not counted), padding share, peak GPU memory (``max_memory_allocated`` / ``max_memory_reserved``,
reset before each mode; the paged optimizer's state lives in CUDA unified memory, outside torch's
allocator, but for ≈ 3.7 M LoRA parameters it is a few MB), and the ratio to the T4's 3.7 s/step. A
packed step holds more than 8 examples, so the time per 8 examples (the original's step) and the
estimate for the original run (770 × 8 examples, 48 min on the T4) are reported too. ``data.pack``
packs first-fit decreasing within windows of 256 shuffled examples, so packed rows are nearly full
(≈ 2–5 % padding against ≈ 6 % for length grouping and ≈ 40 % for random batches on these lengths) and a
packed step carries 2–3× the examples of a padded one.

Run it on a lent GPU (needs ≈ 12 GB of GPU memory for the bf16 build and ≈ 13 GB free in the temp dir):

    .venv/bin/python benchmarks/gpu_qlora.py                       # all three modes, 2 warm-up + 10 steps
    .venv/bin/python benchmarks/gpu_qlora.py --modes packing,padded --steps 20 --json gpu_qlora.json
    .venv/bin/python benchmarks/gpu_qlora.py --autocast none       # without mixed precision

The config's ``training.autocast`` is ``bfloat16``, the counterpart of the original's Trainer mixed
precision (``float16`` on a T4, which has no bf16 units).
Without a CUDA GPU it says so and exits 0. ``--tiny`` runs the same code path on a 2-layer GPT-NeoX on the
CPU in seconds (NF4 works on the CPU with this bitsandbytes; compute in float32 there):

    .venv/bin/python benchmarks/gpu_qlora.py --tiny --steps 3 --warmup 1
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from _table import markdown_table, median

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = ROOT / "configs" / "koalpaca-polyglot-5.8b-qlora.yaml"
T4_S_PER_STEP = 3.7
"""The original: batch 8 on one T4, 770 steps in ≈ 48 min."""
ORIGINAL_BATCH = 8
ORIGINAL_STEPS = 770
ORIGINAL_ROWS = 616
MODES = ("packing", "length_grouped", "random")
ALIASES = {"padded": "length_grouped"}
NO_GPU = ("gpu_qlora: a CUDA GPU is needed for the Polyglot-ko-5.8B-shaped benchmark and none is available; "
          "run with --tiny for the same code path on a tiny model on the CPU.")
EOS_ID, PAD_ID, FIRST_ID = 2, 2, 3  # Polyglot-ko: <|endoftext|> is id 2 and doubles as padding here


@dataclass(frozen=True)
class Shape:
    """A GPT-NeoX shape: ``POLYGLOT_5_8B`` is beomi/KoAlpaca-Polyglot-5.8B's, ``TINY`` the CPU stand-in."""

    name: str
    layers: int
    hidden: int
    heads: int
    ffn: int
    vocab: int = 30_080

    def config(self) -> Any:
        from transformers import GPTNeoXConfig

        return GPTNeoXConfig(vocab_size=self.vocab, hidden_size=self.hidden, num_hidden_layers=self.layers,
                             num_attention_heads=self.heads, intermediate_size=self.ffn,
                             max_position_embeddings=2048, use_parallel_residual=True,
                             tie_word_embeddings=False, bos_token_id=0, eos_token_id=EOS_ID,
                             pad_token_id=PAD_ID,
                             rope_parameters={"rope_type": "default", "rope_theta": 10000.0,
                                              "partial_rotary_factor": 0.5})


POLYGLOT_5_8B = Shape("Polyglot-ko-5.8B shape", layers=28, hidden=4096, heads=16, ffn=16_384)
TINY = Shape("tiny GPT-NeoX", layers=2, hidden=64, heads=4, ffn=256)


@dataclass
class ModeResult:
    mode: str
    steps: int
    s_per_step: float
    """Median seconds per timed step."""
    examples_per_step: float
    real_tokens_per_step: float
    answer_tokens_per_step: float
    tokens_per_s: float
    """Real (non-padding) tokens over the timed steps' total time."""
    padding_share: float
    """Padding positions over all positions of the timed steps' input tensors."""
    s_per_8_examples: float
    """Median over steps of step seconds × 8 / examples in the step: the original's unit of work."""
    t4_ratio_step: float
    """3.7 s / s_per_step (> 1: faster than the T4 per step)."""
    t4_ratio_examples: float
    """3.7 s / s_per_8_examples."""
    original_run_min: float
    """Estimated minutes for the original's 770 × 8 examples (48 min on the T4)."""
    peak_allocated_gib: float | None
    peak_reserved_gib: float | None
    final_loss: float
    optimizer: str


# -- data ------------------------------------------------------------------------------------------------
def synthetic_lengths(count: int, max_seq_len: int, seed: int) -> list[tuple[int, int]]:
    """(prompt, answer) token counts resembling KoAlpaca rows (module docstring); answer includes EOS."""
    rng = random.Random(seed)
    lengths: list[tuple[int, int]] = []
    low = min(60, max_seq_len)
    while len(lengths) < count:
        prompt = 10 + round(rng.lognormvariate(math.log(28), 0.6))
        answer = max(2, round(rng.lognormvariate(math.log(120), 0.75))) + 1
        if low <= prompt + answer <= max_seq_len:
            lengths.append((prompt, answer))
    return lengths


def dataset_lengths(dataset: Path, tokenizer_path: str, max_seq_len: int,
                    limit: int | None) -> list[tuple[int, int]]:
    """(prompt, answer) token counts of a real ``train.jsonl``, encoded as training encodes it."""
    from mechuri.finetune.data import IGNORE, encode_all, read_rows
    from mechuri.finetune.modeling import load_tokenizer

    rows = read_rows(dataset / "train.jsonl", limit)
    items, _ = encode_all(rows, load_tokenizer(tokenizer_path), max_seq_len)
    prompts = [sum(1 for label in item.labels if label == IGNORE) for item in items]
    return [(p, len(item) - p) for p, item in zip(prompts, items, strict=True)]


def synthetic_rows(lengths: list[tuple[int, int]], vocab: int, seed: int) -> list[Any]:
    """``Encoded`` rows of random ids with the given lengths: prompt labels -100, answer ending in EOS."""
    from mechuri.finetune.data import IGNORE, Encoded

    rng = random.Random(seed + 1)
    rows = []
    for prompt, answer in lengths:
        ids = [rng.randrange(FIRST_ID, vocab) for _ in range(prompt + answer - 1)] + [EOS_ID]
        rows.append(Encoded(tuple(ids), (IGNORE,) * prompt + tuple(ids[prompt:])))
    return rows


# -- model -----------------------------------------------------------------------------------------------
def build_checkpoint(shape: Shape, folder: Path, device: str, seed: int) -> int:
    """A random-init model of ``shape`` saved as an HF folder (bf16 built on the GPU, fp32 on the CPU)."""
    import torch
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(shape.config(), dtype=dtype)
    params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(folder)
    del model
    gc.collect()
    if device == "cuda":
        torch.cuda.empty_cache()
    return params


def load_qlora(folder: Path, config: Any, device: str) -> Any:
    """The repo's path: NF4 base via ``load_base``, then ``add_lora`` (kbit prep, checkpointing, LoRA)."""
    from mechuri.finetune.modeling import add_lora, load_base

    base = load_base(str(folder), config.quantization, device)
    model = add_lora(base, config.lora, quantized=True,
                     gradient_checkpointing=config.training.gradient_checkpointing)
    model.train()
    return model


# -- measuring -------------------------------------------------------------------------------------------
def run_mode(model: Any, rows: list[Any], config: Any, mode: str, device: str, warmup: int,
             steps: int) -> ModeResult:
    """Warm-up then timed training steps of one batching mode, with a fresh optimizer."""
    import torch

    from mechuri.finetune.config import parse_config
    from mechuri.finetune.data import BatchPlan, to_tensors
    from mechuri.finetune.loop import make_optimizer, mixed_precision, real_tokens
    from mechuri.finetune.loss import answer_loss_sum

    config = parse_config(config.model_dump() | {"data": config.data.model_dump() | {"batching": mode}})
    training, data = config.training, config.data
    plan = BatchPlan(rows, training.batch_size, mode, training.seed, data.max_seq_len, data.group_buckets)
    batches = plan.batches()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = make_optimizer(params, config, device)
    cuda = device == "cuda"

    def sync() -> None:
        if cuda:
            torch.cuda.synchronize()

    if cuda:
        gc.collect()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    seconds: list[float] = []
    examples: list[int] = []
    tokens: list[int] = []
    answers: list[int] = []
    positions = 0
    loss_value = math.nan
    for step in range(warmup + steps):
        raw = next(batches)
        sync()
        began = time.perf_counter()
        batch = to_tensors(raw, mode, PAD_ID)
        answer_tokens = int((batch["labels"] != -100).sum())
        with mixed_precision(device, training.autocast):
            loss, _ = answer_loss_sum(model, batch)
        (loss / max(answer_tokens, 1)).backward()
        torch.nn.utils.clip_grad_norm_(params, config.optim.max_grad_norm)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        sync()
        elapsed = time.perf_counter() - began
        loss_value = float(loss.detach()) / max(answer_tokens, 1)
        if step < warmup:
            continue
        seconds.append(elapsed)
        examples.append(sum(len(row) for row in raw) if mode == "packing" else len(raw))
        tokens.append(real_tokens(raw))
        answers.append(answer_tokens)
        positions += batch["input_ids"].numel()
    peak_alloc = torch.cuda.max_memory_allocated() / 2**30 if cuda else None
    peak_reserved = torch.cuda.max_memory_reserved() / 2**30 if cuda else None
    s_step = median(seconds)
    s_8 = median([s * ORIGINAL_BATCH / n for s, n in zip(seconds, examples, strict=True)])
    result = ModeResult(
        mode=mode, steps=steps, s_per_step=s_step, examples_per_step=statistics.mean(examples),
        real_tokens_per_step=statistics.mean(tokens), answer_tokens_per_step=statistics.mean(answers),
        tokens_per_s=sum(tokens) / sum(seconds), padding_share=1 - sum(tokens) / positions,
        s_per_8_examples=s_8, t4_ratio_step=T4_S_PER_STEP / s_step, t4_ratio_examples=T4_S_PER_STEP / s_8,
        original_run_min=s_8 * ORIGINAL_STEPS / 60, peak_allocated_gib=peak_alloc,
        peak_reserved_gib=peak_reserved, final_loss=loss_value, optimizer=type(optimizer).__name__)
    return result


# -- output ----------------------------------------------------------------------------------------------
def results_table(results: list[ModeResult]) -> str:
    def gib(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}"

    headers = ["mode", "s/step (median)", "examples/step", "real tokens/step", "tokens/s", "padding",
               "peak alloc GiB", "peak reserved GiB", "s per 8 examples", f"T4 {T4_S_PER_STEP} s/step ÷ this",
               "T4 ÷ this (per 8 ex.)", f"est. {ORIGINAL_STEPS} × 8 ex. (min; T4 48)"]
    rows = [[r.mode, f"{r.s_per_step:.3f}", f"{r.examples_per_step:.1f}", f"{r.real_tokens_per_step:.0f}",
             f"{r.tokens_per_s:.0f}", f"{r.padding_share:.1%}", gib(r.peak_allocated_gib),
             gib(r.peak_reserved_gib), f"{r.s_per_8_examples:.3f}", f"{r.t4_ratio_step:.2f}×",
             f"{r.t4_ratio_examples:.2f}×", f"{r.original_run_min:.1f}"] for r in results]
    return markdown_table(headers, rows)


def parse_modes(text: str) -> list[str]:
    modes = []
    for name in (part.strip() for part in text.split(",") if part.strip()):
        mode = ALIASES.get(name, name)
        if mode not in MODES:
            raise argparse.ArgumentTypeError(f"unknown mode {name!r}; known: {', '.join([*MODES, *ALIASES])}")
        if mode not in modes:
            modes.append(mode)
    if not modes:
        raise argparse.ArgumentTypeError("give at least one mode")
    return modes


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="timed steps per mode")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps per mode before timing")
    parser.add_argument("--batch-size", type=int, default=ORIGINAL_BATCH)
    parser.add_argument("--max-seq-len", type=int, default=512)
    parser.add_argument("--modes", type=parse_modes, default=list(MODES),
                        help="comma-separated: packing, length_grouped (alias padded), random")
    parser.add_argument("--tiny", action="store_true",
                        help="a 2-layer GPT-NeoX instead of the 5.8B shape (same code path; runs on a CPU)")
    parser.add_argument("--device", choices=["auto", "cuda", "cpu"], default="auto",
                        help="auto: cuda when available; the 5.8B shape needs cuda")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                        help="training config whose quantization, lora, optim and training sections are used")
    parser.add_argument("--autocast", choices=["none", "bfloat16", "float16"], default=None,
                        help="mixed precision (default: the config's training.autocast)")
    parser.add_argument("--compute-dtype", choices=["float32", "bfloat16", "float16"], default=None,
                        help="NF4 matmul dtype (default: the config's on cuda, float32 on the CPU)")
    parser.add_argument("--rows", type=int, default=None,
                        help=f"rows in the pool (default {ORIGINAL_ROWS}, as the original; --dataset: all)")
    parser.add_argument("--dataset", type=Path, default=None, help="take lengths from DIR/train.jsonl")
    parser.add_argument("--tokenizer", default=None, help="tokenizer folder for --dataset (local only)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (torch.set_num_threads)")
    parser.add_argument("--tmp-dir", type=Path, default=None,
                        help="where the random checkpoint is written (≈ 12 GB for the 5.8B shape)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.dataset is not None and args.tokenizer is None:
        parser.error("--dataset needs --tokenizer (the lengths are token counts)")
    if args.steps < 1 or args.warmup < 0 or args.batch_size < 1:
        parser.error("--steps and --batch-size must be >= 1, --warmup >= 0")

    import torch

    from mechuri.finetune.config import load_config, parse_config

    has_cuda = torch.cuda.is_available()
    device = ("cuda" if has_cuda else "cpu") if args.device == "auto" else args.device
    if (device == "cuda" and not has_cuda) or (device != "cuda" and not args.tiny):
        print(NO_GPU)
        return 0
    if args.threads:
        torch.set_num_threads(args.threads)
    shape = TINY if args.tiny else POLYGLOT_5_8B

    base = load_config(args.config)
    compute = args.compute_dtype or (base.quantization.compute_dtype if device == "cuda" else "float32")
    config = parse_config(base.model_dump() | {
        "quantization": base.quantization.model_dump() | {"mode": "nf4", "compute_dtype": compute},
        "data": base.data.model_dump() | {"max_seq_len": args.max_seq_len},
        "training": base.training.model_dump() | {
            "batch_size": args.batch_size, "seed": args.seed, "device": device,
            "autocast": args.autocast or base.training.autocast}})

    if args.dataset is not None:
        lengths = dataset_lengths(args.dataset, args.tokenizer, args.max_seq_len, args.rows)
        source = f"lengths of {args.dataset / 'train.jsonl'} ({len(lengths)} rows that fit)"
    else:
        lengths = synthetic_lengths(args.rows or ORIGINAL_ROWS, args.max_seq_len, args.seed)
        source = f"{len(lengths)} synthetic KoAlpaca-like rows (seeded lengths, random ids)"
    if not lengths:
        print(f"gpu_qlora: no rows fit --max-seq-len {args.max_seq_len}", file=sys.stderr)
        return 1
    rows = synthetic_rows(lengths, shape.vocab, args.seed)

    setup_began = time.perf_counter()
    tmp_root = args.tmp_dir or Path(tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix="mechuri-gpu-qlora-", dir=tmp_root) as tmp:
        if not args.tiny:
            need = 2.2 * 5.9e9  # bf16 weights and a margin
            if shutil.disk_usage(tmp).free < need:
                free = shutil.disk_usage(tmp).free / 1e9
                print(f"gpu_qlora: {tmp_root} has {free:.1f} GB free, the random bf16 checkpoint needs "
                      f"≈ {need / 1e9:.0f} GB; pass --tmp-dir", file=sys.stderr)
                return 1
        params = build_checkpoint(shape, Path(tmp), device, args.seed)
        built_s = time.perf_counter() - setup_began
        model = load_qlora(Path(tmp), config, device)
    setup_s = time.perf_counter() - setup_began
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    model_gib = torch.cuda.memory_allocated() / 2**30 if device == "cuda" else None

    results = [run_mode(model, rows, config, mode, device, args.warmup, args.steps) for mode in args.modes]

    where = torch.cuda.get_device_name(0) if device == "cuda" else f"CPU ({os.cpu_count()} cores)"
    lengths_total = [p + a for p, a in lengths]
    print(f"\n{shape.name}: {shape.layers} layers, d_model {shape.hidden}, {shape.heads} heads, "
          f"vocab {shape.vocab:,}; {params / 1e9:.3f} B parameters, random init, NF4 "
          f"(double quant {config.quantization.double_quant}, compute {compute}), "
          f"LoRA r={config.lora.r} alpha={config.lora.alpha} on {', '.join(config.lora.target_modules)} "
          f"({trainable:,} trainable), gradient checkpointing {config.training.gradient_checkpointing}, "
          f"autocast {config.training.autocast}, optimizer {config.optim.name} "
          f"(ran as {results[0].optimizer})")
    print(f"Device: {where}; setup {setup_s:.0f} s (build + save {built_s:.0f} s, 4-bit load + LoRA "
          f"{setup_s - built_s:.0f} s)" + (f"; 4-bit model + LoRA {model_gib:.2f} GiB" if model_gib else ""))
    print(f"Data: {source}; tokens per example mean {statistics.mean(lengths_total):.0f}, median "
          f"{median(lengths_total):.0f}, max {max(lengths_total)}; batch {args.batch_size}, "
          f"max_seq_len {args.max_seq_len}; {args.warmup} warm-up + {args.steps} timed steps per mode")
    print(f"Reference: the original, {T4_S_PER_STEP} s/step at batch 8 on one T4 "
          f"({ORIGINAL_STEPS} steps ≈ 48 min)\n")
    print(results_table(results))
    if args.json is not None:
        report = {"device": where, "shape": asdict(shape), "parameters": params, "trainable": trainable,
                  "setup_s": setup_s, "model_gib": model_gib, "data": source,
                  "settings": {"batch_size": args.batch_size, "max_seq_len": args.max_seq_len,
                               "warmup": args.warmup, "steps": args.steps, "compute_dtype": compute,
                               "autocast": config.training.autocast, "optimizer": config.optim.name},
                  "reference": {"t4_s_per_step": T4_S_PER_STEP, "steps": ORIGINAL_STEPS, "minutes": 48},
                  "modes": [asdict(r) for r in results]}
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
