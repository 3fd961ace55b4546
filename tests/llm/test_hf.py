"""The transformers path, for real, on a tiny random-init GPT-NeoX (the architecture of Polyglot-ko, which
KoAlpaca-Polyglot-5.8B is built on): plain, with a LoRA adapter, in 4-bit NF4, and behind the writer."""

from __future__ import annotations

import pytest

from mechuri.config import Settings
from mechuri.llm.base import BackendUnavailable
from mechuri.llm.engine import build_writer
from mechuri.llm.prompts import Prompt

pytest.importorskip("torch", reason="the hf extra is not installed")
pytest.importorskip("transformers", reason="the hf extra is not installed")

from llm_fakes import build_tiny_gpt_neox

from mechuri.llm.hf import HFBackend

PROMPT = Prompt(system="메추리 점심 추천", user="사실 - 오늘 점심 메뉴")


def bitsandbytes_cpu() -> str | None:
    """Why 4-bit loading cannot run here, or None when it can (bitsandbytes ≥ 0.45 quantizes on the CPU)."""
    try:
        import torch
        from bitsandbytes.functional import dequantize_4bit, quantize_4bit
    except Exception as exc:  # an install without a usable native library raises more than ImportError
        return f"bitsandbytes does not import: {exc}"
    try:
        weight = torch.randn(64, 64)
        packed, state = quantize_4bit(weight, quant_type="nf4", compress_statistics=True)
        assert (dequantize_4bit(packed, state) - weight).abs().mean() < 0.2
    except Exception as exc:
        return f"bitsandbytes cannot quantize on this CPU: {exc}"
    return None


def logits(backend: HFBackend, text: str):
    import torch

    backend.load()
    inputs = backend._tokenizer(text, return_tensors="pt", return_token_type_ids=False)
    with torch.no_grad():
        return backend._model(**inputs).logits


def test_the_tiny_model_loads_and_writes_greedily_the_same_whole_or_streamed(tiny_model):
    backend = HFBackend(str(tiny_model), device="auto")
    whole = backend.generate(PROMPT, max_tokens=12, temperature=0.0)
    pieces = list(backend.stream(PROMPT, max_tokens=12, temperature=0.0))
    assert whole and whole == "".join(pieces)
    assert backend._model.device.type == "cpu" and backend.name == f"hf:{tiny_model.name}"


def test_without_a_chat_template_the_prompt_is_koalpaca(tiny_model):
    backend = HFBackend(str(tiny_model))
    assert not backend.uses_chat_template()
    assert backend.render(PROMPT) == PROMPT.alpaca() and PROMPT.alpaca().startswith("### 질문:")


def test_a_chat_template_is_used_when_the_tokenizer_has_one(tmp_path):
    template = ("{% for m in messages %}<{{ m['role'] }}> {{ m['content'] }} {% endfor %}"
                "{% if add_generation_prompt %}<assistant>{% endif %}")
    folder = build_tiny_gpt_neox(tmp_path / "chat", chat_template=template)
    backend = HFBackend(str(folder))
    assert backend.uses_chat_template()
    assert backend.render(PROMPT) == f"<system> {PROMPT.system} <user> {PROMPT.user} <assistant>"
    assert HFBackend(str(folder), template="alpaca").render(PROMPT) == PROMPT.alpaca()
    assert backend.generate(PROMPT, max_tokens=4, temperature=0.0) is not None


def test_stop_strings_end_the_reply(tiny_model):
    import torch

    backend = HFBackend(str(tiny_model))
    torch.manual_seed(7)
    full = backend.generate("메추리 점심", max_tokens=16, temperature=1.0)
    words = full.split()
    assert len(words) >= 3, full
    torch.manual_seed(7)
    cut = backend.generate("메추리 점심", max_tokens=16, temperature=1.0, stop=[words[2]])
    assert cut == full[:full.index(words[2])]


def test_a_lora_adapter_is_loaded_on_top_and_changes_the_model(tiny_model, tiny_adapter):
    plain = HFBackend(str(tiny_model))
    adapted = HFBackend(str(tiny_model), str(tiny_adapter))
    adapted.load()
    assert type(adapted._model).__name__.startswith("Peft") and adapted.name.endswith("+lora")
    assert not logits(plain, "메추리 점심 추천").allclose(logits(adapted, "메추리 점심 추천"))
    assert adapted.generate(PROMPT, max_tokens=8, temperature=0.0) is not None


def test_4bit_nf4_loading_with_double_quantization(tiny_model, tiny_adapter):
    why_not = bitsandbytes_cpu()
    if why_not:
        pytest.skip(why_not)
    backend = HFBackend(str(tiny_model), str(tiny_adapter), load_in_4bit=True, device="cpu")
    backend.load()
    base = backend._model.get_base_model()
    layer = base.gpt_neox.layers[0].attention.query_key_value.base_layer
    assert type(layer).__name__ == "Linear4bit"
    assert layer.weight.quant_state.quant_type == "nf4" and layer.weight.quant_state.nested
    assert backend.generate(PROMPT, max_tokens=6, temperature=0.0) is not None
    error = (logits(backend, "메추리 점심") - logits(HFBackend(str(tiny_model), str(tiny_adapter)), "메추리 점심"))
    assert error.abs().mean() < 1.0  # quantized, not broken


def test_a_missing_model_is_reported_not_downloaded(tmp_path):
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    with pytest.raises(BackendUnavailable, match="cannot load"):
        HFBackend(str(empty)).load()


def test_the_engine_string_builds_a_writer_that_answers_or_falls_back(tiny_model, tiny_adapter, chat_with, tmp_path):
    settings = Settings(data_dir=tmp_path, llm_max_tokens=12, llm_temperature=0.0, llm_timeout_s=60)
    writer = build_writer(settings, f"hf:{tiny_model}+{tiny_adapter}")
    turn = chat_with(writer)("점심 추천해줘")
    assert turn.meta["llm"]["backend"] == f"hf:{tiny_model.name}+lora"
    assert turn.reply and len(turn.recommendations) == 3
    # a random model's words are no menu: the guardrail decides, and the reason is recorded
    assert turn.meta["writer"] == "llm:" + writer.backend.name or turn.meta["fallback_reason"] == "guardrail"


def test_hf_mechuri_prepares_the_packaged_base_on_load_and_puts_the_shipped_adapter_on_it(
        tiny_model, tiny_adapter, tmp_path, monkeypatch):
    """hf:mechuri, with the tiny model standing in for the packaged base (converting Gemma takes minutes)
    and the tiny adapter as the shipped one: the base is made when the model loads, not when the engine is
    built, and the adapter changes the model."""
    import shutil

    from mechuri.config import Settings
    from mechuri.finetune import modeling
    from mechuri.llm import shipped
    from mechuri.llm.engine import build_writer

    folder = tmp_path / "models" / "mechuri-gemma3-270m"
    shutil.copytree(tiny_adapter, folder / "adapter")
    (folder / "serving.json").write_text('{"template": "alpaca", "draft": false, "slots": true}')
    monkeypatch.setattr(shipped, "MODELS_DIR", tmp_path / "models")
    prepared: list[str] = []

    def resolve(spec: str, cache_dir=None) -> str:
        prepared.append(spec)
        return str(tiny_model)

    monkeypatch.setattr(modeling, "resolve_model", resolve)
    writer = build_writer(Settings(data_dir=tmp_path), "hf:mechuri?device=cpu")
    backend = writer.backend
    assert backend.name == "hf:mechuri" and backend.template == "alpaca" and writer.slots and prepared == []
    backend.load()
    assert prepared == ["packaged:gemma3-270m"] and type(backend._model).__name__.startswith("Peft")
    assert not logits(HFBackend(str(tiny_model)), "메추리 점심 추천").allclose(logits(backend, "메추리 점심 추천"))
