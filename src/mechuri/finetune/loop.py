"""The training loop: a plain loop rather than HF's Trainer, so each part (answer-only loss, batching,
checkpoints) is one small function a test can call, and a resumed run provably replays the same steps.

A run folder holds ``config.yaml``, ``adapter/`` (the final LoRA adapter), ``tokenizer/``,
``metrics.jsonl``, ``loss.png``, ``summary.json`` and ``checkpoints/``.
"""

from __future__ import annotations

import logging
import random
import resource
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mechuri.finetune import checkpoint as ckpt
from mechuri.finetune.config import TrainConfig, dump_config, load_config
from mechuri.finetune.data import BatchPlan, Encoded, collate, encode_all, read_rows, spread, to_tensors
from mechuri.finetune.loss import answer_loss_sum
from mechuri.finetune.metrics import MetricsLog, plot_loss
from mechuri.finetune.modeling import (
    add_lora,
    load_adapter,
    load_base,
    load_tokenizer,
    pick_device,
    resolve_model,
)

log = logging.getLogger(__name__)


@dataclass
class TrainSummary:
    """What a finished run reports (also ``summary.json`` in the run folder)."""

    steps: int
    train_loss: float | None
    eval_loss: float | None
    wall_s: float
    tokens: int
    tokens_per_s: float
    peak_rss_mb: float
    train_rows: int
    skipped_rows: int
    run_dir: str


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def make_optimizer(params: list[Any], config: TrainConfig, device: str) -> Any:
    """AdamW; the paged bitsandbytes ones on a GPU (they page optimizer state to host memory under
    pressure, which only exists with CUDA), plain AdamW with a logged note elsewhere."""
    import torch

    optim = config.optim
    if optim.name.startswith("paged_") and device == "cuda":
        import bitsandbytes as bnb

        cls = bnb.optim.PagedAdamW8bit if optim.name == "paged_adamw_8bit" else bnb.optim.PagedAdamW32bit
        return cls(params, lr=optim.lr, weight_decay=optim.weight_decay)
    if optim.name.startswith("paged_"):
        log.warning("%s needs CUDA; using torch AdamW on %s instead", optim.name, device)
    return torch.optim.AdamW(params, lr=optim.lr, weight_decay=optim.weight_decay)


def make_scheduler(optimizer: Any, config: TrainConfig, total_steps: int) -> Any:
    import transformers

    return transformers.get_scheduler(config.optim.schedule, optimizer,
                                      num_warmup_steps=config.optim.warmup_steps, num_training_steps=total_steps)


def real_tokens(batch: list[Any]) -> int:
    """Tokens of the examples in a micro-batch, padding not counted (a packed row is a list of examples)."""
    return sum(real_tokens(item) if isinstance(item, list) else len(item) for item in batch)


def mixed_precision(device: str, dtype: str) -> Any:
    """``torch.autocast`` for ``dtype`` on ``device`` (a no-op context for ``none``).

    On a CPU with AMX or AVX-512 BF16 units (this machine has both), bf16 matmuls run at several times
    the fp32 rate, and the LoRA weights, their gradients and AdamW's state stay fp32; the loss itself is
    taken on fp32 logits (``answer_loss_sum``). ``benchmarks/train_speed.py`` measures the gain.
    """
    import contextlib

    import torch

    if dtype == "none":
        return contextlib.nullcontext()
    return torch.autocast(device_type="cuda" if device == "cuda" else "cpu", dtype=getattr(torch, dtype))


def seed_everything(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def evaluate_loss(model: Any, items: list[Encoded], pad_id: int, batch_size: int) -> float | None:
    """Mean loss per answer token over ``items`` (length-sorted batches: little padding), in fp32 whatever
    the training precision, so eval losses of runs with and without autocast compare."""
    import torch

    if not items:
        return None
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    ordered = sorted(items, key=len)
    with torch.no_grad():
        for start in range(0, len(ordered), batch_size):
            loss, n = answer_loss_sum(model, collate(ordered[start:start + batch_size], pad_id))
            total, count = total + float(loss), count + n
    if was_training:
        model.train()
    return total / max(count, 1)


class Trainer:
    """One run: ``Trainer(config, run_dir).train(resume=…)``."""

    def __init__(self, config: TrainConfig, run_dir: Path, *, progress: bool = True,
                 cache_dir: Path | None = None) -> None:
        self.config, self.run_dir, self.progress, self.cache_dir = config, run_dir, progress, cache_dir
        self.metrics = MetricsLog(run_dir / "metrics.jsonl")

    # -- setup ---------------------------------------------------------------------------------------
    def _data(self, tokenizer: Any) -> tuple[list[Encoded], list[Encoded], int]:
        data = self.config.data
        folder = Path(data.dataset)
        for name in ("train.jsonl", "validation.jsonl"):
            if not (folder / name).exists():
                raise FileNotFoundError(f"{folder / name} is missing; build it with `mechuri data build`")
        rows = read_rows(folder / "train.jsonl")
        if data.sources is not None:
            rows = [row for row in rows if row.get("source") in data.sources]
            if not rows:
                raise ValueError(f"no training rows from sources {data.sources} in {folder / 'train.jsonl'}")
        rows = [row for row in rows for _ in range(data.repeat.get(str(row.get("source")), 1))]
        train, skipped = encode_all(rows[:data.max_train_rows], tokenizer, data.max_seq_len)
        held, _ = encode_all(spread(read_rows(folder / "validation.jsonl"), data.max_eval_rows), tokenizer,
                             data.max_seq_len)
        return train, held, skipped

    def _model(self, source: str, device: str, resume_from: Path | None) -> Any:
        config = self.config
        quantized = config.quantization.mode == "nf4"
        base = load_base(source, config.quantization, device)
        if resume_from is not None:
            if quantized:
                import peft

                base = peft.prepare_model_for_kbit_training(
                    base, use_gradient_checkpointing=config.training.gradient_checkpointing)
            return load_adapter(base, resume_from / "adapter")
        return add_lora(base, config.lora, quantized=quantized,
                        gradient_checkpointing=config.training.gradient_checkpointing)

    # -- the loop ------------------------------------------------------------------------------------
    def train(self, *, resume: bool = False) -> TrainSummary:
        import torch
        from tqdm import tqdm

        config, run_dir = self.config, self.run_dir
        training = config.training
        if training.threads:
            torch.set_num_threads(training.threads)
        run_dir.mkdir(parents=True, exist_ok=True)
        resume_from = ckpt.latest_checkpoint(run_dir) if resume else None
        if resume and resume_from is None:
            log.warning("no checkpoint in %s; starting from step 0", run_dir)
        if resume_from is None:
            if (run_dir / "checkpoints").exists():
                shutil.rmtree(run_dir / "checkpoints")
            self.metrics.path.unlink(missing_ok=True)
        dump_config(config, run_dir / "config.yaml")
        seed_everything(training.seed)
        device = pick_device(training.device)
        source = resolve_model(config.model.path, self.cache_dir)
        tokenizer = load_tokenizer(source)
        tokenizer.save_pretrained(run_dir / "tokenizer")
        train_items, eval_items, skipped = self._data(tokenizer)
        plan = BatchPlan(train_items, training.batch_size, config.data.batching, training.seed,
                         config.data.max_seq_len, config.data.group_buckets)
        total = training.max_steps or plan.steps_for(training.epochs or 1.0, training.grad_accumulation)
        model = self._model(source, device, resume_from)
        model.train()
        params = [p for p in model.parameters() if p.requires_grad]
        optimizer = make_optimizer(params, config, device)
        scheduler = make_scheduler(optimizer, config, total)
        start = 0
        if resume_from is not None:
            start = ckpt.restore_state(resume_from, optimizer, scheduler)
            self.metrics.truncate_after(start)
            log.info("resuming from %s (step %d)", resume_from, start)
        pad_id = tokenizer.pad_token_id
        batches = plan.batches(skip=start * training.grad_accumulation)
        began, tokens = time.perf_counter(), 0
        last_train: float | None = None
        last_eval: float | None = None
        bar = tqdm(total=total, initial=start, desc="train", unit="step", disable=not self.progress,
                   dynamic_ncols=True)
        for step in range(start + 1, total + 1):
            raw = [next(batches) for _ in range(training.grad_accumulation)]
            micro = [to_tensors(batch, config.data.batching, pad_id) for batch in raw]
            tokens += sum(real_tokens(batch) for batch in raw)
            answer_tokens = sum(int((m["labels"] != -100).sum()) for m in micro)
            step_loss = 0.0
            for batch in micro:
                with mixed_precision(device, training.autocast):
                    loss, _ = answer_loss_sum(model, batch)
                (loss / answer_tokens).backward()  # per-token mean over the whole accumulated step
                step_loss += float(loss)
            torch.nn.utils.clip_grad_norm_(params, config.optim.max_grad_norm)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            last_train = step_loss / max(answer_tokens, 1)
            if step % training.log_every == 0 or step == total:
                self.metrics.write({"step": step, "train_loss": round(last_train, 5),
                                    "lr": scheduler.get_last_lr()[0], "tokens": tokens,
                                    "elapsed_s": round(time.perf_counter() - began, 2)})
            if step % training.eval_every == 0 or step == total:
                last_eval = evaluate_loss(model, eval_items, pad_id, training.batch_size)
                if last_eval is not None:
                    self.metrics.write({"step": step, "eval_loss": round(last_eval, 5)})
            if step % training.save_every == 0 or step == total:
                ckpt.save_checkpoint(run_dir, step, model, optimizer, scheduler)
            bar.set_postfix(loss=f"{last_train:.3f}", lr=f"{scheduler.get_last_lr()[0]:.1e}")
            bar.update(1)
        bar.close()
        wall = time.perf_counter() - began
        model.save_pretrained(run_dir / "adapter")
        rows = self.metrics.rows()
        plot_loss(rows, run_dir / "loss.png", title=f"{config.name}: {config.model.path}")
        summary = TrainSummary(steps=total, train_loss=last_train, eval_loss=last_eval, wall_s=round(wall, 1),
                               tokens=tokens, tokens_per_s=round(tokens / wall, 1) if wall else 0.0,
                               peak_rss_mb=round(peak_rss_mb(), 1), train_rows=len(train_items),
                               skipped_rows=skipped, run_dir=str(run_dir))
        import json

        (run_dir / "summary.json").write_text(json.dumps(asdict(summary), indent=2), encoding="utf-8")
        return summary


def run_training(config_path: Path | None, out: Path | None, *, resume: bool = False,
                 max_steps: int | None = None, progress: bool = True, cache_dir: Path | None = None) -> TrainSummary:
    """The ``mechuri train`` command's work: the config file (or the run folder's copy on resume)."""
    if config_path is None:
        if out is None or not (out / "config.yaml").exists():
            raise FileNotFoundError("give --config, or --resume with --out pointing at an earlier run")
        config_path = out / "config.yaml"
    config = load_config(config_path)
    if max_steps is not None:
        config = config.with_overrides(max_steps=max_steps)
    run_dir = out or Path("runs") / config.name
    return Trainer(config, run_dir, progress=progress, cache_dir=cache_dir).train(resume=resume)
