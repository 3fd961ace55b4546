"""The answer-only logits give the same loss as the full forward pass."""

from __future__ import annotations

import pytest
from tiny_data import tiny_rows

from mechuri.finetune.data import collate, collate_packed, encode_all, pack
from mechuri.finetune.loss import answer_loss, full_logit_loss


@pytest.fixture(scope="module")
def lora_model(tiny_model):
    import peft
    import torch
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    config = peft.LoraConfig(r=4, lora_alpha=8, target_modules=["query_key_value"], init_lora_weights=False)
    return peft.get_peft_model(base, config).eval()


def test_selective_logits_equal_full_logits(lora_model, tiny_tokenizer) -> None:
    import torch

    items, _ = encode_all(tiny_rows(6), tiny_tokenizer, 64)
    batch = collate(items, tiny_tokenizer.pad_token_id)
    with torch.no_grad():
        assert float(answer_loss(lora_model, batch)) == pytest.approx(float(full_logit_loss(lora_model, batch)),
                                                                       rel=1e-5)


def test_selective_logits_gradients_match(lora_model, tiny_tokenizer) -> None:
    items, _ = encode_all(tiny_rows(4), tiny_tokenizer, 64)
    batch = collate(items, tiny_tokenizer.pad_token_id)
    grads = []
    for loss_fn in (answer_loss, full_logit_loss):
        lora_model.zero_grad()
        loss_fn(lora_model, batch).backward()
        grads.append([p.grad.clone() for p in lora_model.parameters() if p.requires_grad])
    for a, b in zip(*grads, strict=True):
        assert (a - b).abs().max() < 1e-5


def test_packed_rows_score_like_separate_rows(lora_model, tiny_tokenizer) -> None:
    """Packed examples do not see each other: the loss equals the padded batch's."""
    import torch

    items, _ = encode_all(tiny_rows(4), tiny_tokenizer, 64)
    rows = pack(items, range(len(items)), 200)
    assert len(rows) == 1
    with torch.no_grad():
        packed = answer_loss(lora_model, collate_packed(rows, tiny_tokenizer.pad_token_id))
        padded = answer_loss(lora_model, collate(items, tiny_tokenizer.pad_token_id))
    assert float(packed) == pytest.approx(float(padded), rel=1e-4)
