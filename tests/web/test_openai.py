"""The OpenAI-compatible endpoint: any OpenAI client with a personal token can chat with mechuri."""

from __future__ import annotations

import json

import pytest

from .conftest import Visitor


@pytest.fixture
def token(minji) -> str:
    return minji.post("/api/tokens", {"name": "chat ui"}).json()["token"]


@pytest.fixture
def client(app, token):
    visitor = Visitor(app)
    visitor.client.headers["Authorization"] = f"Bearer {token}"
    return visitor.client


def test_a_completion_answers_the_last_user_message_as_mechuri(client, minji):
    response = client.post("/v1/chat/completions", json={
        "model": "mechuri", "temperature": 0.2,
        "messages": [{"role": "system", "content": "You are helpful."},
                     {"role": "user", "content": "아침 추천"},
                     {"role": "assistant", "content": "..."},
                     {"role": "user", "content": [{"type": "text", "text": "점심 "}, {"type": "text", "text": "추천"}]}],
    })
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    choice = body["choices"][0]
    dish = body["mechuri"]["recommendations"][0]["name"]
    assert choice["message"] == {"role": "assistant", "content": f"오늘은 {dish} 어때요?"}
    assert choice["finish_reason"] == "stop"
    assert body["mechuri"]["reply_id"] > body["mechuri"]["message_id"]
    history = [m["content"] for m in minji.get("/api/messages").json()["messages"]]
    assert history == ["점심 추천", choice["message"]["content"]]  # only the new turn is stored


def test_a_streamed_completion_speaks_chunks_and_ends_with_done(client):
    response = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "저녁"}],
                                                         "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    datas = [line[len("data: "):] for line in response.text.splitlines() if line.startswith("data: ")]
    assert datas[-1] == "[DONE]"
    chunks = [json.loads(data) for data in datas[:-1]]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"} and len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert text == chunks[-1]["mechuri"]["reply"] == f"오늘은 {chunks[-1]['mechuri']['recommendations'][0]['name']} 어때요?"


def test_models_lists_mechuri(client):
    assert [m["id"] for m in client.get("/v1/models").json()["data"]] == ["mechuri"]


def test_without_a_valid_token_there_is_no_completion(app, minji, token):
    body = {"messages": [{"role": "user", "content": "점심"}]}
    anonymous = Visitor(app).client
    assert anonymous.post("/v1/chat/completions", json=body).status_code == 401
    assert anonymous.post("/v1/chat/completions", json=body,
                          headers={"Authorization": "Bearer mch_not-a-real-token"}).status_code == 401
    # a logged-in browser's cookie is not enough: /v1 is for token clients only
    cookie_only = minji.post("/v1/chat/completions", body)
    assert cookie_only.status_code == 401
    assert cookie_only.json()["error"]["type"] == "authentication_error"
    token_id = minji.get("/api/tokens").json()["tokens"][0]["id"]
    minji.delete(f"/api/tokens/{token_id}")
    assert anonymous.post("/v1/chat/completions", json=body,
                          headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_token_speaks_only_for_its_owner(app, client, minji, junho):
    client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "민지 토큰으로"}]})
    assert junho.get("/api/messages").json()["messages"] == []
    assert len(minji.get("/api/messages").json()["messages"]) == 2


@pytest.mark.parametrize(("body", "status"), [
    ({"messages": []}, 422),
    ({"messages": [{"role": "system", "content": "hi"}]}, 400),
    ({"messages": [{"role": "user", "content": ""}]}, 422),
    ({"messages": [{"role": "user", "content": "가" * 2001}]}, 422),
    ({"messages": "점심"}, 422),
])
def test_bad_completion_requests_get_openai_style_errors(client, body, status):
    response = client.post("/v1/chat/completions", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["message"]


def test_a_turn_that_fails_is_a_server_error_not_a_refusal(client, writer):
    writer.error = ValueError("메시지가 너무 길어요.")  # a bug's ValueError, not a refused message
    writer.fail_after = 0
    response = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "점심"}]})
    assert response.status_code == 500
    assert response.json()["error"]["type"] == "server_error" and "너무 길어요" not in response.text
    response = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "저녁"}],
                                                         "stream": True})
    datas = [line[len("data: "):] for line in response.text.splitlines() if line.startswith("data: ")]
    assert datas[-1] == "[DONE]" and json.loads(datas[-2])["error"]["code"] == "server_error"
    assert "너무 길어요" not in response.text
