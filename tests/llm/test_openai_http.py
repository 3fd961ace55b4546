"""The OpenAI-compatible path over real HTTP: a server on 127.0.0.1 that answers, is slow, fails with
500s, or breaks its stream — and mechuri's own /v1/chat/completions."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from mechuri.llm.base import BackendTimeout, BrokenStream
from mechuri.llm.openai_http import OpenAIBackend, ServerError, Unreachable, chat_completions_url
from mechuri.llm.prompts import Prompt
from mechuri.llm.writer import LLMWriter

PROMPT = Prompt(system="메추리야.", user="[사실]\n- 사용자 메시지: 점심 추천해줘")


def backend(server, **options) -> OpenAIBackend:
    return OpenAIBackend(server.url, "test-model", api_key="sk-test", backoff_s=0.01, **options)


@pytest.mark.parametrize(("base", "url"), [
    ("http://h:8000", "http://h:8000/v1/chat/completions"),
    ("http://h:8000/v1/", "http://h:8000/v1/chat/completions"),
    ("http://h/api/v1/chat/completions", "http://h/api/v1/chat/completions"),
])
def test_base_urls_are_read_the_way_openai_clients_read_them(base, url):
    assert chat_completions_url(base) == url


def test_a_completion_and_a_stream_say_the_same(fake_openai):
    client = backend(fake_openai)
    assert client.generate(PROMPT, max_tokens=32, stop=["###"]) == fake_openai.reply
    pieces = list(client.stream(PROMPT))
    assert "".join(pieces) == fake_openai.reply and len(pieces) > 2
    first = fake_openai.requests[0]
    assert first["path"] == "/v1/chat/completions"
    assert first["headers"]["Authorization"] == "Bearer sk-test"
    assert first["body"]["model"] == "test-model" and first["body"]["max_tokens"] == 32
    assert first["body"]["messages"][0] == {"role": "system", "content": "메추리야."}
    assert first["body"]["stop"] == ["###"] and fake_openai.requests[1]["body"]["stream"] is True


def test_500s_are_retried_with_backoff_then_answered(fake_openai):
    fake_openai.mode, fake_openai.failures = "fail", 2
    assert backend(fake_openai, retries=2).generate(PROMPT) == fake_openai.reply
    assert len(fake_openai.requests) == 3


def test_429_is_retried_too_and_streams_recover(fake_openai):
    fake_openai.mode, fake_openai.failures, fake_openai.status = "fail", 1, 429
    assert "".join(backend(fake_openai).stream(PROMPT)) == fake_openai.reply
    assert len(fake_openai.requests) == 2


def test_persistent_500s_give_up_after_the_retries(fake_openai):
    fake_openai.mode, fake_openai.failures = "fail", 99
    with pytest.raises(ServerError, match="HTTP 500: overloaded"):
        backend(fake_openai, retries=2).generate(PROMPT)
    assert len(fake_openai.requests) == 3


def test_a_client_error_is_not_retried(fake_openai):
    fake_openai.mode, fake_openai.failures, fake_openai.status = "fail", 99, 401
    with pytest.raises(ServerError) as error:
        backend(fake_openai).generate(PROMPT)
    assert error.value.status == 401 and len(fake_openai.requests) == 1


def test_a_slow_server_times_out(fake_openai):
    fake_openai.mode, fake_openai.delay_s = "slow", 2.0
    started = time.monotonic()
    with pytest.raises(BackendTimeout):
        backend(fake_openai, timeout_s=0.3).generate(PROMPT)
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("mode", ["broken", "unfinished", "garbage"])
def test_a_broken_stream_raises_a_typed_error_after_what_arrived(fake_openai, mode):
    fake_openai.mode = mode
    received: list[str] = []
    with pytest.raises(BrokenStream):
        for piece in backend(fake_openai).stream(PROMPT):
            received.append(piece)
    assert received and fake_openai.reply.startswith("".join(received).rstrip())


def test_nobody_listening_is_retried_then_reported():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = OpenAIBackend(f"http://127.0.0.1:{port}/v1", "m", retries=1, backoff_s=0.01)
    with pytest.raises(Unreachable, match="cannot reach"):
        client.generate(PROMPT)


@pytest.mark.parametrize(("mode", "reason"), [("slow", "timeout"), ("fail", "server_error"),
                                              ("broken", "broken_stream"), ("garbage", "broken_stream")])
def test_the_writer_falls_back_to_the_grounded_answer_when_the_server_misbehaves(
        fake_openai, chat_with, mode, reason):
    fake_openai.mode, fake_openai.delay_s, fake_openai.failures = mode, 3.0, 99
    writer = LLMWriter(backend(fake_openai, retries=1), timeout_s=1.0)
    turn = chat_with(writer)("김치찌개 칼로리 알려줘")
    assert turn.meta["writer"] == "grounded" and turn.meta["fallback_reason"] == reason
    assert "김치찌개" in turn.reply and "kcal" in turn.reply


def test_the_writer_uses_a_well_behaved_server(fake_openai, chat_with):
    from mechuri.knowledge import load_food_table

    kcal = load_food_table()["김치찌개"].kcal
    fake_openai.reply = f"김치찌개 한 그릇은 {kcal:.0f}kcal 정도예요. 따뜻하게 드세요!"
    turn = chat_with(LLMWriter(backend(fake_openai)))("김치찌개 칼로리 알려줘")
    assert turn.meta["writer"] == "llm:openai:test-model" and turn.reply == fake_openai.reply
    sent = fake_openai.requests[0]["body"]["messages"][1]["content"]
    assert "김치찌개" in sent and "kcal" in sent


# -- mechuri's own OpenAI-compatible endpoint, served for real ------------------------------------------

@pytest.fixture(scope="module")
def mechuri_server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """The web app under uvicorn on a free loopback port, and a personal token of one user."""
    uvicorn = pytest.importorskip("uvicorn")
    from datetime import UTC, datetime

    from mechuri.config import Settings
    from mechuri.db import Database, crud
    from mechuri.web import create_app
    from mechuri.web.apitokens import create_token

    folder = tmp_path_factory.mktemp("mechuri-v1")
    settings = Settings(database_url=f"sqlite:///{folder / 'mechuri.db'}", data_dir=folder)
    app = create_app(settings)
    db = Database(settings.resolved_database_url)
    with db.session() as session:
        user = crud.get_or_create_user(session, "서버손님")
        token, _ = create_token(session, user.id, "llm test", datetime.now(UTC),
                                credentials_version=user.credentials_version)
    db.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "mechuri did not start"
    yield f"http://127.0.0.1:{port}/v1", token
    server.should_exit = True
    thread.join(timeout=15)


def test_mechuri_itself_serves_the_openai_path(mechuri_server):
    url, token = mechuri_server
    client = OpenAIBackend(url, "mechuri", api_key=token, timeout_s=60)
    whole = client.generate("김치찌개 칼로리 알려줘")
    streamed = "".join(client.stream("김치찌개 칼로리 알려줘"))
    for text in (whole, streamed):
        assert "김치찌개" in text and "kcal" in text
    with pytest.raises(ServerError) as error:
        OpenAIBackend(url, "mechuri", api_key="mch_wrong").generate("점심")
    assert error.value.status == 401
