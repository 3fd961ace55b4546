"""Fixtures for the fine-tuning tests: the tiny random-init GPT-NeoX (tests/tiny_models.py), a tiny
Alpaca dataset in its vocabulary, and a config factory. Nothing downloads; every run is seconds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tiny_data import tiny_rows

from tiny_models import build_tiny_gpt_neox


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    pytest.importorskip("transformers", reason="the hf extra is not installed")
    return build_tiny_gpt_neox(tmp_path_factory.mktemp("tiny-gpt-neox"))


@pytest.fixture(scope="session")
def tiny_tokenizer(tiny_model) -> Any:
    from mechuri.finetune.modeling import load_tokenizer

    return load_tokenizer(str(tiny_model))


@pytest.fixture(scope="session")
def tiny_dataset(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-dataset")
    for name, rows in (("train.jsonl", tiny_rows(48)), ("validation.jsonl", tiny_rows(8, offset=3))):
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return folder


@pytest.fixture
def make_config(tiny_model, tiny_dataset) -> Callable[..., dict[str, Any]]:
    """``make_config(quantization={...}, training={...})``: a valid config dict for the tiny model."""
    def make(**sections: dict[str, Any]) -> dict[str, Any]:
        config: dict[str, Any] = {
            "name": "tiny",
            "model": {"path": str(tiny_model)},
            "lora": {"r": 4, "alpha": 8, "dropout": 0.1, "target_modules": ["query_key_value"]},
            "optim": {"lr": 5e-3, "schedule": "cosine", "warmup_steps": 1},
            "data": {"dataset": str(tiny_dataset), "max_seq_len": 64, "max_eval_rows": 8},
            "training": {"batch_size": 4, "max_steps": 6, "eval_every": 3, "save_every": 3, "seed": 7,
                         "threads": 1, "device": "cpu"},
        }
        for key, value in sections.items():
            config[key] = {**config.get(key, {}), **value}
        return config
    return make


@pytest.fixture
def write_config(tmp_path, make_config) -> Callable[..., Path]:
    import yaml

    def write(**sections: dict[str, Any]) -> Path:
        path = tmp_path / "config.yaml"
        path.write_text(yaml.safe_dump(make_config(**sections), allow_unicode=True), encoding="utf-8")
        return path
    return write
