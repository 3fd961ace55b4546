"""The YAML config: the shipped ones are valid, and a wrong one is refused with the key that is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from mechuri.finetune.config import ConfigError, load_config, parse_config

CONFIGS = Path(__file__).parents[2] / "configs"


@pytest.mark.parametrize("name", ["gemma3-270m-cpu.yaml", "koalpaca-polyglot-5.8b-qlora.yaml",
                                  "mechuri-gemma3-270m.yaml"])
def test_shipped_configs_are_valid(name: str) -> None:
    config = load_config(CONFIGS / name)
    assert config.lora.target_modules and config.training.max_steps


def test_the_shipped_models_run_fits_an_hour_at_the_measured_cpu_speed() -> None:
    """configs/mechuri-gemma3-270m.yaml: every row kind (no source filter, so the reply-writer rows come
    with the others), 8 rows a step, and steps × the 19 s measured per 8-row step (benchmarks/RESULTS.md,
    "Fine-tuning") within an hour."""
    config = load_config(CONFIGS / "mechuri-gemma3-270m.yaml")
    assert config.model.path == "packaged:gemma3-270m" and config.data.sources is None
    assert config.data.repeat == {"synth:writer": 3, "synth:writer+slots": 3}  # the served job weighs more
    rows_per_step = config.training.batch_size * config.training.grad_accumulation
    assert rows_per_step == 8 and config.training.max_steps * 19 <= 3600


def test_the_original_design_is_qlora_on_query_key_value() -> None:
    config = load_config(CONFIGS / "koalpaca-polyglot-5.8b-qlora.yaml")
    assert config.quantization.mode == "nf4" and config.quantization.double_quant
    assert config.lora.target_modules == ["query_key_value"] and config.optim.name.startswith("paged_")
    assert config.training.gradient_checkpointing and config.training.batch_size == 8
    assert config.training.max_steps == 770


def test_errors_name_every_wrong_key(make_config) -> None:
    data = make_config(lora={"alhpa": 8, "r": 0}, training={"epochs": 2})
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "bad.yaml")
    message = str(caught.value)
    assert "bad.yaml is not a valid training config" in message
    assert "lora.alhpa: unknown key" in message
    assert "lora.r: Input should be greater than or equal to 1" in message
    assert "training: set exactly one of max_steps or epochs" in message


def test_missing_file_and_bad_yaml_are_clear(tmp_path) -> None:
    with pytest.raises(ConfigError, match="no config file"):
        load_config(tmp_path / "none.yaml")
    (tmp_path / "bad.yaml").write_text("model: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(tmp_path / "bad.yaml")
    with pytest.raises(ConfigError, match="expected a mapping"):
        parse_config(["a list"])


def test_max_steps_override_replaces_epochs(make_config) -> None:
    config = parse_config(make_config(training={"max_steps": None, "epochs": 2}))
    assert config.with_overrides(max_steps=3).training.epochs is None
