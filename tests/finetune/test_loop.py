"""The training loop on the tiny GPT-NeoX: QLoRA learns, resume replays exactly, the adapter and the
merged model load through mechuri.llm.hf, and the commands run through the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mechuri.cli import app
from mechuri.finetune import checkpoint as ckpt
from mechuri.finetune.config import parse_config
from mechuri.finetune.loop import Trainer
from mechuri.llm.hf import HFBackend

pytestmark = pytest.mark.slow


def losses(run_dir) -> dict[int, float]:
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    return {r["step"]: r["train_loss"] for r in rows if "train_loss" in r}


def test_qlora_nf4_trains_and_the_loss_goes_down(make_config, tmp_path) -> None:
    config = parse_config(make_config(quantization={"mode": "nf4", "double_quant": True,
                                                    "compute_dtype": "float32"},
                                      training={"max_steps": 12, "save_every": 12, "eval_every": 12}))
    summary = Trainer(config, tmp_path / "run", progress=False).train()
    seen = losses(tmp_path / "run")
    assert summary.steps == 12 and sum(list(seen.values())[-3:]) / 3 < sum(list(seen.values())[:3]) / 3
    assert (tmp_path / "run" / "loss.png").stat().st_size > 0


def test_bf16_autocast_trains_with_fp32_lora_weights(make_config, tmp_path, monkeypatch) -> None:
    import torch
    from safetensors.torch import load_file

    from mechuri.finetune import loop

    modes: list[tuple[bool, torch.dtype]] = []
    real = loop.answer_loss_sum

    def spy(model, batch):
        modes.append((torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu")))
        return real(model, batch)

    monkeypatch.setattr(loop, "answer_loss_sum", spy)
    config = parse_config(make_config(training={"max_steps": 12, "save_every": 12, "eval_every": 12,
                                                "autocast": "bfloat16"}))
    Trainer(config, tmp_path / "run", progress=False).train()
    seen = list(losses(tmp_path / "run").values())
    assert sum(seen[-3:]) / 3 < sum(seen[:3]) / 3
    weights = load_file(tmp_path / "run" / "adapter" / "adapter_model.safetensors")
    assert weights and {tensor.dtype for tensor in weights.values()} == {torch.float32}
    in_bf16 = [mode for mode in modes if mode[0]]
    assert in_bf16 == [(True, torch.bfloat16)] * 12 and len(modes) > 12  # the eval passes run in fp32


def test_a_bf16_base_keeps_fp32_lora_weights_and_learns(make_config, tmp_path) -> None:
    import torch
    from safetensors.torch import load_file

    config = parse_config(make_config(quantization={"base_dtype": "bfloat16"},
                                      training={"max_steps": 12, "save_every": 12, "eval_every": 12,
                                                "autocast": "bfloat16"}))
    trainer = Trainer(config, tmp_path / "run", progress=False)
    trainer.train()
    seen = list(losses(tmp_path / "run").values())
    assert sum(seen[-3:]) / 3 < sum(seen[:3]) / 3
    weights = load_file(tmp_path / "run" / "adapter" / "adapter_model.safetensors")
    assert {tensor.dtype for tensor in weights.values()} == {torch.float32}
    base = trainer._model(str(config.model.path), "cpu", None)
    frozen = {p.dtype for p in base.parameters() if not p.requires_grad}
    assert frozen == {torch.bfloat16}


def test_resume_replays_the_same_steps(make_config, tmp_path, monkeypatch) -> None:
    config = parse_config(make_config())
    Trainer(config, tmp_path / "whole", progress=False).train()
    original = ckpt.save_checkpoint

    def crash_after_first(run_dir, step, *args):
        original(run_dir, step, *args)
        raise KeyboardInterrupt

    monkeypatch.setattr(ckpt, "save_checkpoint", crash_after_first)
    with pytest.raises(KeyboardInterrupt):
        Trainer(config, tmp_path / "cut", progress=False).train()
    monkeypatch.setattr(ckpt, "save_checkpoint", original)
    Trainer(config, tmp_path / "cut", progress=False).train(resume=True)
    whole, cut = losses(tmp_path / "whole"), losses(tmp_path / "cut")
    assert sorted(cut) == list(range(1, 7))
    for step in range(1, 7):
        assert cut[step] == pytest.approx(whole[step], abs=1e-4)


def test_adapter_and_merged_model_load_through_hf(make_config, tiny_model, tmp_path) -> None:
    from mechuri.finetune.merge import merge_run

    run = tmp_path / "run"
    Trainer(parse_config(make_config()), run, progress=False).train()
    with_adapter = HFBackend(str(tiny_model), str(run / "adapter"), device="cpu", template="alpaca")
    merged = HFBackend(str(merge_run(run, tmp_path / "merged")), device="cpu", template="alpaca")
    prompt = "### 질문: 점심 메뉴 추천\n\n### 답변:"
    assert with_adapter.generate(prompt, max_tokens=6, temperature=0.0) == merged.generate(
        prompt, max_tokens=6, temperature=0.0)


def test_cli_train_generate_eval(write_config, tiny_model, tiny_dataset, tmp_path) -> None:
    runner = CliRunner()
    assert "--resume" in runner.invoke(app, ["train", "--help"]).output
    bad = runner.invoke(app, ["train", "--config", str(tmp_path / "none.yaml")])
    assert bad.exit_code == 2 and "no config file" in bad.output
    run = tmp_path / "run"
    done = runner.invoke(app, ["train", "--config", str(write_config()), "--out", str(run), "--max-steps", "2",
                               "--no-progress"])
    assert done.exit_code == 0, done.output
    said = runner.invoke(app, ["generate", "점심 메뉴 추천", "--model", str(tiny_model), "--adapter", str(run),
                               "--max-new-tokens", "5", "--seed", "1"])
    assert said.exit_code == 0, said.output
    scored = runner.invoke(app, ["eval", "--model", str(tiny_model), "--adapter", str(run), "--dataset",
                                 str(tiny_dataset), "--limit", "4", "--heldout", "4", "--max-new-tokens", "8"])
    assert scored.exit_code == 0, scored.output
    report = json.loads((run / "eval.json").read_text())
    assert [s["system"] for s in report["scores"]] == ["grounded", "base", "fine-tuned", "fine-tuned + slots"]


def test_sources_choose_the_training_rows(make_config, tiny_dataset, tiny_tokenizer, tmp_path) -> None:
    rows = [json.loads(line) for line in (tiny_dataset / "train.jsonl").read_text().splitlines()]
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for index, row in enumerate(rows):
        row["source"] = "synth:writer" if index % 4 == 0 else "seed"
    (mixed / "train.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    (mixed / "validation.jsonl").write_text((tiny_dataset / "validation.jsonl").read_text())
    chosen = parse_config(make_config(data={"dataset": str(mixed), "sources": ["synth:writer"]}))
    train, _, _ = Trainer(chosen, tmp_path / "run", progress=False)._data(tiny_tokenizer)
    assert len(train) == len(rows[::4])
    weighted = parse_config(make_config(data={"dataset": str(mixed), "repeat": {"synth:writer": 3}}))
    train, _, _ = Trainer(weighted, tmp_path / "run", progress=False)._data(tiny_tokenizer)
    assert len(train) == len(rows) + 2 * len(rows[::4])  # each writer row three times, the others once
    nothing = parse_config(make_config(data={"dataset": str(mixed), "sources": ["import:web"]}))
    with pytest.raises(ValueError, match="no training rows from sources"):
        Trainer(nothing, tmp_path / "run", progress=False)._data(tiny_tokenizer)


def test_eval_rows_are_spread_over_the_file() -> None:
    from mechuri.finetune.data import spread

    assert spread(list(range(10)), 5) == [0, 2, 4, 6, 8] and spread([1, 2], 5) == [1, 2]
    assert spread(list(range(7)), None) == list(range(7))
