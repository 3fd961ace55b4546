"""Fixtures for the LLM writer tests: a chat over a real SQLite database with a chosen writer, the tiny
GPT-NeoX and its LoRA adapter built once per session, and the misbehaving OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from llm_fakes import FakeOpenAI, build_tiny_gpt_neox

from mechuri.config import Settings
from mechuri.conversation import DialogueManager, Turn
from mechuri.db import Database

LUNCH = datetime(2026, 11, 28, 12, 10, tzinfo=ZoneInfo("Asia/Seoul"))


class Chat:
    """One user talking to mechuri through a given writer: ``chat("점심 추천해줘")`` returns the Turn."""

    def __init__(self, manager: DialogueManager, username: str = "지우") -> None:
        self.manager = manager
        self.user_id = manager.user_id_for(username)

    def __call__(self, text: str) -> Turn:
        return self.manager.respond(self.user_id, text)


@pytest.fixture
def database(sqlite_url) -> Iterator[Database]:
    db = Database(sqlite_url)
    yield db
    db.dispose()


@pytest.fixture
def chat_with(database) -> Callable[..., Chat]:
    """``chat_with(writer)``: a chat whose dialogue manager phrases replies with ``writer``."""
    def make(writer: Any, username: str = "지우") -> Chat:
        manager = DialogueManager(database, Settings(database_url=database.url), writer=writer,
                                  clock=lambda: LUNCH)
        return Chat(manager, username)
    return make


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    pytest.importorskip("transformers", reason="the hf extra is not installed")
    return build_tiny_gpt_neox(tmp_path_factory.mktemp("tiny-gpt-neox"))


@pytest.fixture(scope="session")
def tiny_adapter(tiny_model, tmp_path_factory) -> Path:
    """A LoRA adapter on the tiny model, with non-zero weights so that it really changes the output."""
    peft = pytest.importorskip("peft")
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    config = peft.LoraConfig(r=4, lora_alpha=8, target_modules=["query_key_value"], task_type="CAUSAL_LM",
                             init_lora_weights=False)
    folder = tmp_path_factory.mktemp("tiny-lora")
    peft.get_peft_model(base, config).save_pretrained(folder)
    return folder


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    yield server
    server.close()
