"""The causal-LM loss computed only where it counts: the output layer runs on answer positions alone.

A model's forward pass computes logits for every position, and the loss then ignores the prompt's.
For Gemma 3 270M the output layer is 640 × 262,144 — more multiply-adds than the whole transformer
body — so on prompt-heavy rows most of the step is spent on logits that are thrown away. Here the body
runs as usual, the positions whose *next* token is a label are gathered, and only those go through
``lm_head``. The loss is the same number (a test checks it against the full-logit loss).
"""

from __future__ import annotations

from typing import Any

from mechuri.finetune.data import IGNORE


def causal_lm(model: Any) -> Any:
    """The ``…ForCausalLM`` inside a PEFT wrapper (its LoRA layers are injected in place)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def answer_loss_sum(model: Any, batch: dict[str, Any]) -> tuple[Any, int]:
    """Summed cross-entropy over answer tokens and their count (sum, so micro-batches and eval batches
    can be averaged per token)."""
    import torch
    import torch.nn.functional as F

    lm = causal_lm(model)
    device = lm.get_output_embeddings().weight.device
    inputs = {key: value.to(device) for key, value in batch.items() if key != "labels"}
    labels = batch["labels"].to(device)
    hidden = lm.get_decoder()(**inputs, use_cache=False).last_hidden_state
    targets = labels[:, 1:]
    keep = targets != IGNORE
    chosen = hidden[:, :-1][keep]
    logits = lm.get_output_embeddings()(chosen).float()
    cap = getattr(lm.config, "final_logit_softcapping", None)
    if cap:
        logits = torch.tanh(logits / cap) * cap
    loss = F.cross_entropy(logits, targets[keep], reduction="sum")
    return loss, int(keep.sum())


def answer_loss(model: Any, batch: dict[str, Any]) -> Any:
    """Mean cross-entropy per answer token."""
    total, count = answer_loss_sum(model, batch)
    return total / max(count, 1)


def full_logit_loss(model: Any, batch: dict[str, Any]) -> Any:
    """The ordinary way (logits everywhere, transformers' own loss): the reference and the naive baseline."""
    lm = causal_lm(model)
    device = lm.get_output_embeddings().weight.device
    return model(**{key: value.to(device) for key, value in batch.items()}, use_cache=False).loss
