"""Exporting a run as the shipped model: the PEFT adapter, the same adapter as a llama.cpp LoRA GGUF (names,
shapes, alpha and the update itself checked), serving.json and a model card written from the run's files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mechuri.finetune.gguf_lora import BaseShape, ConversionError, convert

gguf = pytest.importorskip("gguf")
np = pytest.importorskip("numpy")


@pytest.fixture(scope="module")
def run(tmp_path_factory, tiny_model, tiny_dataset) -> Path:
    """A real (tiny) training run: config.yaml, adapter/, metrics.jsonl, summary.json."""
    import yaml

    from mechuri.finetune.loop import run_training

    folder = tmp_path_factory.mktemp("tiny-run")
    config = {"name": "tiny", "model": {"path": str(tiny_model)},
              "lora": {"r": 4, "alpha": 8, "dropout": 0.0, "target_modules": ["query_key_value", "dense_4h_to_h"]},
              "optim": {"lr": 5e-2, "schedule": "constant"},
              "data": {"dataset": str(tiny_dataset), "max_seq_len": 64, "max_eval_rows": 4},
              "training": {"batch_size": 4, "max_steps": 2, "eval_every": 2, "save_every": 2, "seed": 7,
                           "threads": 1, "device": "cpu"}}
    (folder / "in.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    run_training(folder / "in.yaml", folder / "run", progress=False)
    return folder / "run"


def tiny_base_gguf(model_dir: Path, target: Path) -> Path:
    """The tiny GPT-NeoX's weights as a llama.cpp-named GGUF (F32): what the conversion checks shapes against."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.GPTNEOX, model.config.num_hidden_layers)
    writer = gguf.GGUFWriter(str(target), "gptneox")
    writer.add_block_count(model.config.num_hidden_layers)
    for key, tensor in model.state_dict().items():
        name = names.get_name(key, try_suffixes=(".weight", ".bias"))
        if name is not None:
            writer.add_tensor(name, tensor.numpy())
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return target


def fields(reader) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, field in reader.fields.items():
        part = field.parts[field.data[0]] if field.data else None
        if part is not None and field.types and field.types[0] == gguf.GGUFValueType.STRING:
            out[name] = bytes(part).decode()
        elif part is not None:
            out[name] = part[0] if len(part) == 1 else part
    return out


def test_the_lora_gguf_carries_the_same_update_as_the_peft_adapter(run, tiny_model, tmp_path):
    from safetensors.numpy import load_file

    base = BaseShape.read(tiny_base_gguf(tiny_model, tmp_path / "base.gguf"))
    assert (base.arch, base.blocks) == ("gptneox", 2)
    out = convert(run / "adapter", tmp_path / "adapter.gguf", base=base)
    reader = gguf.GGUFReader(str(out))
    meta = fields(reader)
    assert meta["general.architecture"] == "gptneox" and meta["general.type"] == "adapter"
    assert meta["adapter.type"] == "lora" and float(meta["adapter.lora.alpha"]) == 8.0
    tensors = {t.name: np.array(t.data, dtype=np.float32).reshape([int(n) for n in reversed(t.shape)])
               for t in reader.tensors}
    assert set(tensors) == {f"blk.{i}.{part}.weight.lora_{ab}" for i in range(2)
                            for part in ("attn_qkv", "ffn_down") for ab in "ab"}
    peft_weights = load_file(str(run / "adapter" / "adapter_model.safetensors"))
    a = peft_weights["base_model.model.gpt_neox.layers.1.attention.query_key_value.lora_A.weight"]
    b = peft_weights["base_model.model.gpt_neox.layers.1.attention.query_key_value.lora_B.weight"]
    assert np.abs(b).max() > 0  # trained: B left its zero init, so the update is not trivially equal
    converted = tensors["blk.1.attn_qkv.weight.lora_b"] @ tensors["blk.1.attn_qkv.weight.lora_a"]
    np.testing.assert_allclose(converted, b @ a, atol=2e-3 * float(np.abs(b @ a).max()) + 1e-6)
    # llama.cpp's own check: A is r × in and B out × r against the base weight out × in
    assert tensors["blk.0.ffn_down.weight.lora_a"].shape == (4, base.shapes["blk.0.ffn_down.weight"][1])


def test_an_adapter_for_another_shape_is_refused(run, tmp_path):
    wrong = BaseShape("gptneox", 2, {"blk.0.attn_qkv.weight": (1, 1)})
    with pytest.raises(ConversionError, match="attn_qkv"):
        convert(run / "adapter", tmp_path / "x.gguf", base=wrong)
    assert not (tmp_path / "x.gguf").exists()
    with pytest.raises(ConversionError, match="architecture"):
        convert(run / "adapter", tmp_path / "y.gguf", base=BaseShape("no-such-arch", 2))


def test_export_writes_the_folder_the_engine_loads_with_a_card_from_the_run(run, tiny_model, tmp_path, monkeypatch):
    from mechuri.finetune.export import export_run
    from mechuri.llm import shipped
    from mechuri.llm.registry import parse_engine

    base = tiny_base_gguf(tiny_model, tmp_path / "base.gguf")
    models = tmp_path / "models"
    exported = export_run(run, models / "mechuri-gemma3-270m", base_gguf=base)
    folder = exported.folder
    assert {"adapter/adapter_config.json", "adapter/adapter_model.safetensors", "adapter.gguf",
            "serving.json"} <= set(exported.files)
    assert json.loads((folder / "serving.json").read_text()) == {"base": "gemma3-270m", "template": "alpaca",
                                                                 "draft": False, "slots": True}
    card = (folder / "MODEL_CARD.md").read_text(encoding="utf-8")
    summary = json.loads((run / "summary.json").read_text())
    assert "Gemma Terms of Use" in card and "ai.google.dev/gemma/terms" in card
    assert f"Steps run: {summary['steps']:,}" in card and "query_key_value, dense_4h_to_h" in card
    assert "Not measured" in card  # no eval.md in the run: no figure is made up
    assert not (models / "mechuri-gemma3-270m.partial").exists()

    # the shipped PEFT adapter (float16, half the bytes) changes the model as the run's own did
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    ids = torch.tensor([[2, 5, 7, 9, 11, 3]])
    logits = []
    for adapter in (run / "adapter", folder / "adapter"):
        model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model), str(adapter)).eval()
        with torch.no_grad():
            logits.append(model(ids).logits)
    base = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    with torch.no_grad():
        plain = base(ids).logits
    assert (folder / "adapter" / "adapter_model.safetensors").stat().st_size < \
        0.6 * (run / "adapter" / "adapter_model.safetensors").stat().st_size
    assert torch.allclose(logits[0], logits[1], atol=1e-3) and not torch.allclose(plain, logits[1], atol=1e-3)

    monkeypatch.setattr(shipped, "MODELS_DIR", models)
    spec = parse_engine("gguf:mechuri")
    assert spec.adapter == str(folder / "adapter.gguf")
    assert spec.options == {"template": "alpaca", "draft": "0", "slots": "1"}
    assert parse_engine("hf:mechuri?slots=0").options["slots"] == "0"  # the engine string still decides
    assert parse_engine("hf:mechuri").adapter == str(folder / "adapter")


def test_the_plain_prompt_is_served_when_the_eval_says_it_passes_more(run, tmp_path):
    from mechuri.finetune.export import choose_slots

    assert choose_slots(run)  # not measured: slots
    scores = [{"system": "fine-tuned", "guardrail_ok": 0.8}, {"system": "fine-tuned + slots", "guardrail_ok": 0.6}]
    (tmp_path / "eval.json").write_text(json.dumps({"scores": scores}))
    assert not choose_slots(tmp_path)
    scores[1]["guardrail_ok"] = 0.9
    (tmp_path / "eval.json").write_text(json.dumps({"scores": scores}))
    assert choose_slots(tmp_path)
