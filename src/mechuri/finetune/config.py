"""The training run's one YAML config, validated by pydantic.

One file holds everything a run depends on, so a run folder's copy of it is enough to reproduce or
resume the run; unknown keys are refused (a typo such as ``lerning_rate`` must not silently fall back to
a default), and errors name the key and what was wrong with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class ConfigError(ValueError):
    """A config file that cannot be used; the message lists every problem, one per line."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ModelConfig(_Strict):
    path: str = Field(description="an HF model folder, a hub id already in the cache, or packaged:gemma3-270m")


class QuantizationConfig(_Strict):
    """``nf4``: QLoRA's frozen 4-bit base (bitsandbytes), double quantization, matmuls in compute_dtype."""

    mode: Literal["none", "nf4"] = "none"
    double_quant: bool = True
    compute_dtype: Literal["float32", "bfloat16", "float16"] = "bfloat16"
    base_dtype: Literal["auto", "float32", "bfloat16", "float16"] = Field(
        "auto", description="the frozen base's weights when not quantized: auto = fp32 on a CPU, "
                            "compute_dtype on a GPU; bfloat16 halves its memory and spares autocast from "
                            "casting every frozen weight on every step (LoRA weights stay fp32)")


class LoraConfig(_Strict):
    r: int = Field(8, ge=1)
    alpha: int = Field(16, ge=1)
    dropout: float = Field(0.05, ge=0.0, lt=1.0)
    target_modules: list[str] = Field(min_length=1)


class OptimConfig(_Strict):
    name: Literal["adamw_torch", "paged_adamw_8bit", "paged_adamw_32bit"] = "adamw_torch"
    lr: float = Field(2e-4, gt=0)
    weight_decay: float = Field(0.0, ge=0)
    schedule: Literal["cosine", "linear", "constant"] = "cosine"
    warmup_steps: int = Field(0, ge=0)
    max_grad_norm: float = Field(1.0, gt=0)


class DataConfig(_Strict):
    dataset: str = Field("data/dataset", description="folder with train.jsonl and validation.jsonl")
    max_seq_len: int = Field(512, ge=8)
    batching: Literal["length_grouped", "packing", "random"] = "length_grouped"
    group_buckets: int = Field(16, ge=1, description="length grouping: batches sorted within this many")
    sources: list[str] | None = Field(None, min_length=1, description="train only on rows of these sources "
                                      "(e.g. synth:writer); default: every row")
    repeat: dict[str, int] = Field(default_factory=dict, description="rows of these sources go in this many "
                                   "times (the served job weighs more within a fixed number of steps)")
    max_train_rows: int | None = Field(None, ge=1)
    max_eval_rows: int | None = Field(64, ge=1)

    @field_validator("repeat")
    @classmethod
    def _at_least_once(cls, repeat: dict[str, int]) -> dict[str, int]:
        if any(times < 1 for times in repeat.values()):
            raise ValueError("every repeat count is at least 1")
        return repeat


class TrainingConfig(_Strict):
    batch_size: int = Field(8, ge=1)
    grad_accumulation: int = Field(1, ge=1)
    max_steps: int | None = Field(None, ge=1)
    epochs: float | None = Field(None, gt=0)
    eval_every: int = Field(50, ge=1)
    save_every: int = Field(100, ge=1)
    log_every: int = Field(1, ge=1)
    seed: int = 42
    gradient_checkpointing: bool = False
    autocast: Literal["none", "bfloat16", "float16"] = Field(
        "none", description="mixed precision: matmuls in this dtype, weights and optimizer state in fp32")
    threads: int | None = Field(None, ge=1, description="CPU threads (torch.set_num_threads)")
    device: Literal["auto", "cpu", "cuda"] = "auto"

    @model_validator(mode="after")
    def _one_length(self) -> TrainingConfig:
        if (self.max_steps is None) == (self.epochs is None):
            raise ValueError("set exactly one of max_steps or epochs")
        return self


class TrainConfig(_Strict):
    """The whole run: ``model``, ``quantization``, ``lora``, ``optim``, ``data``, ``training``."""

    name: str = Field("run", pattern=r"^[\w.\-]+$")
    model: ModelConfig
    quantization: QuantizationConfig = QuantizationConfig()
    lora: LoraConfig
    optim: OptimConfig = OptimConfig()
    data: DataConfig = DataConfig()
    training: TrainingConfig

    def with_overrides(self, **changes: Any) -> TrainConfig:
        """A copy with ``training`` fields replaced (the CLI's ``--max-steps``), validated again."""
        training = self.training.model_dump() | {k: v for k, v in changes.items() if v is not None}
        if changes.get("max_steps") is not None:
            training["epochs"] = None
        return parse_config(self.model_dump() | {"training": training})


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key (a typo?)"
        lines.append(f"  {where}: {message}")
    return "\n".join(lines)


def parse_config(data: Any, source: str = "config") -> TrainConfig:
    """Validate already-parsed YAML; raises ConfigError listing every problem as ``key.path: reason``."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping of sections (model, lora, training …), "
                          f"got {type(data).__name__}")
    try:
        return TrainConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{source} is not a valid training config:\n{_describe(exc)}") from None


def load_config(path: Path) -> TrainConfig:
    """Read and validate a YAML config file."""
    import yaml

    if not path.exists():
        raise ConfigError(f"no config file at {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    return parse_config(data, str(path))


def dump_config(config: TrainConfig, path: Path) -> None:
    """Write the config a run used into its folder (what ``--resume`` reads back)."""
    import yaml

    path.write_text(yaml.safe_dump(config.model_dump(), allow_unicode=True, sort_keys=False), encoding="utf-8")
