"""Checkpoints that let ``--resume`` continue exactly: adapter, optimizer, scheduler, step and RNG.

The data order is recomputed from the seed (``BatchPlan``), so the step number says where the data
stands; the RNG states make dropout draw the same masks it would have drawn without the interruption.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

KEEP = 2
"""Checkpoints kept: the last one, and the one before in case the last was cut off mid-write."""


def checkpoint_dir(run_dir: Path, step: int) -> Path:
    return run_dir / "checkpoints" / f"step-{step:06d}"


def save_checkpoint(run_dir: Path, step: int, model: Any, optimizer: Any, scheduler: Any) -> Path:
    import numpy as np
    import torch

    target = checkpoint_dir(run_dir, step)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    model.save_pretrained(partial / "adapter")
    torch.save(optimizer.state_dict(), partial / "optimizer.pt")
    torch.save(scheduler.state_dict(), partial / "scheduler.pt")
    torch.save({"torch": torch.get_rng_state(), "python": random.getstate(), "numpy": np.random.get_state(),
                "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None},
               partial / "rng.pt")
    (partial / "state.json").write_text(json.dumps({"step": step}), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    for old in sorted(p for p in (run_dir / "checkpoints").glob("step-*") if not p.name.endswith(".partial"))[:-KEEP]:
        shutil.rmtree(old, ignore_errors=True)
    return target


def latest_checkpoint(run_dir: Path) -> Path | None:
    found = sorted(p for p in (run_dir / "checkpoints").glob("step-*")
                   if not p.name.endswith(".partial") and (p / "state.json").exists())
    return found[-1] if found else None


def restore_state(folder: Path, optimizer: Any, scheduler: Any) -> int:
    """Load optimizer, scheduler and RNG from ``folder``; returns the step it was saved at."""
    import numpy as np
    import torch

    optimizer.load_state_dict(torch.load(folder / "optimizer.pt", weights_only=False))
    scheduler.load_state_dict(torch.load(folder / "scheduler.pt", weights_only=False))
    rng = torch.load(folder / "rng.pt", weights_only=False)
    torch.set_rng_state(rng["torch"])
    random.setstate(rng["python"])
    np.random.set_state(rng["numpy"])
    if rng.get("cuda") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(rng["cuda"])
    return int(json.loads((folder / "state.json").read_text(encoding="utf-8"))["step"])
