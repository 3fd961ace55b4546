"""Chatting over HTTP: a Turn as JSON, a streamed Turn, the paged history, and every way input can be bad."""

from __future__ import annotations

import json

from sqlalchemy import select

from mechuri.conversation import MAX_MESSAGE_CHARS
from mechuri.db.models import Message, RecommendationLog

from .conftest import Visitor, wait_until


def _events(body: str) -> list[tuple[str, dict]]:
    """(event, data) pairs of an SSE body."""
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines.get("event", "message"), json.loads(lines["data"])))
    return events


def _stored(web_db) -> list[tuple[str, str]]:
    with web_db.session() as s:
        return [(m.role, m.content) for m in s.scalars(select(Message).order_by(Message.id))]


def _logged(web_db) -> list[tuple[str, int | None]]:
    with web_db.session() as s:
        return [(r.food_name, r.message_id) for r in s.scalars(select(RecommendationLog).order_by(RecommendationLog.id))]


def test_a_message_gets_a_turn_back_and_both_are_stored_user_first(minji, web_db):
    turn = minji.say("점심 뭐 먹지?")
    assert turn["intent"] == "recommend"
    card = turn["recommendations"][0]
    assert turn["reply"] == f"오늘은 {card['name']} 어때요?"
    for key in ("name", "serving_g", "kcal", "carbohydrate_g", "protein_g", "fat_g", "sodium_mg", "allergens", "tags"):
        assert key in card
    assert turn["message_id"] < turn["reply_id"]
    assert turn["meta"]["writer"] == "scripted"
    assert _stored(web_db) == [("user", "점심 뭐 먹지?"), ("assistant", turn["reply"])]
    # every card shown is logged against the reply that showed it (what "다른 거" and variety rely on)
    assert _logged(web_db) == [(r["name"], turn["reply_id"]) for r in turn["recommendations"]]


def test_a_streamed_reply_arrives_in_pieces_then_the_turn(minji, web_db):
    response = minji.post("/api/chat/stream", {"message": "저녁 추천해줘"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    deltas = [data["text"] for event, data in events if event == "delta"]
    assert len(deltas) == 3
    (_, turn), = [e for e in events if e[0] == "turn"]
    assert events[-1][0] == "turn" and "".join(deltas) == turn["reply"]
    assert deltas[1] == f"{turn['recommendations'][0]['name']} "
    history = minji.get("/api/messages").json()["messages"]
    assert [m["id"] for m in history] == [turn["message_id"], turn["reply_id"]]
    assert history[1]["turn"]["reply_id"] == turn["reply_id"]  # the stored Turn knows its own id
    assert history[1]["turn"]["recommendations"] == turn["recommendations"]
    assert {message_id for _, message_id in _logged(web_db)} == {turn["reply_id"]}


def test_the_history_has_every_message_with_its_cards_oldest_first_and_pages_backwards(minji):
    for number in range(3):
        minji.say(f"추천 {number}")
    everything = minji.get("/api/messages").json()
    assert [m["role"] for m in everything["messages"]] == ["user", "assistant"] * 3
    assert everything["next_before_id"] is None
    first_card = everything["messages"][1]["turn"]["recommendations"][0]["name"]
    assert everything["messages"][1]["content"] == f"오늘은 {first_card} 어때요?"
    assert everything["messages"][1]["turn"]["reply"] == everything["messages"][1]["content"]
    assert everything["messages"][0]["turn"] is None

    newest = minji.get("/api/messages?limit=4").json()
    assert newest["messages"][0]["content"] == "추천 1"
    older = minji.get(f"/api/messages?limit=4&before_id={newest['next_before_id']}").json()
    assert [m["content"] for m in older["messages"]] == ["추천 0", everything["messages"][1]["content"]]
    assert older["next_before_id"] is None
    assert minji.get("/api/messages?limit=0").status_code == 422
    assert minji.get("/api/messages?limit=100000").status_code == 422


def test_each_person_sees_only_their_own_conversation(minji, junho):
    minji.say("민지의 비밀 메시지")
    junho.say("준호의 메시지")
    minji_ids = {m["id"] for m in minji.get("/api/messages").json()["messages"]}
    junho_page = junho.get("/api/messages").json()["messages"]
    assert junho_page[0]["content"] == "준호의 메시지"
    assert minji_ids.isdisjoint(m["id"] for m in junho_page)
    # a cursor taken from someone else's ids still only pages through your own messages
    assert all(m["content"] != "민지의 비밀 메시지"
               for m in junho.get(f"/api/messages?before_id={max(minji_ids) + 10}").json()["messages"])


def test_an_empty_or_too_long_message_is_refused_in_korean_and_nothing_is_stored(minji, web_db):
    for text in ("", "   \n ", "가" * (MAX_MESSAGE_CHARS + 1)):
        for url in ("/api/chat", "/api/chat/stream"):
            response = minji.post(url, {"message": text})
            assert response.status_code == 422, (url, len(text))
            assert response.json()["error"]["code"] == "invalid_message"
    assert "너무 길어요" in minji.post("/api/chat", {"message": "가" * 2001}).json()["error"]["message"]
    assert minji.post("/api/chat", {"message": "가" * MAX_MESSAGE_CHARS}).status_code == 200
    assert len(_stored(web_db)) == 2


def test_malformed_requests_get_clear_4xx_errors_without_internals(minji):
    cases = [
        (minji.send("POST", "/api/chat", None, content=b"{not json", headers={"Content-Type": "application/json"}), 400),
        (minji.post("/api/chat", {"text": "wrong field"}), 422),
        (minji.post("/api/chat", {"message": "hi", "extra": 1}), 422),
        (minji.post("/api/chat", {"message": 42}), 422),
        (minji.post("/api/chat", ["a list"]), 422),
        (minji.send("POST", "/api/chat", None, content=b"x" * 70_000,
                    headers={"Content-Type": "application/json"}), 413),
        (minji.get("/api/chat"), 405),
        (minji.get("/api/no-such-thing"), 404),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["message"] and "Traceback" not in response.text


def test_a_chunked_body_over_the_limit_is_refused_before_it_is_read(minji):
    def chunks():
        for _ in range(100):
            yield b"x" * 1024

    response = minji.send("POST", "/api/chat", None, content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert "너무 커요" in response.json()["error"]["message"]


def test_without_logging_in_there_is_no_chat(visitor):
    assert visitor.client.post("/api/chat", json={"message": "안녕"}).status_code == 401
    assert visitor.get("/api/messages").status_code == 401
    assert visitor.get("/api/messages").json()["error"]["message"] == "로그인이 필요해요."


def test_a_turn_that_fails_answers_500_with_no_stack_trace(minji, writer, web_db):
    writer.fail_after = 0
    response = minji.post("/api/chat", {"message": "점심"})
    assert response.status_code == 500
    assert "secret internal detail" not in response.text and "Traceback" not in response.text
    assert response.json()["error"]["message"] == "서버에서 문제가 생겼어요. 잠시 뒤에 다시 해 주세요."


def test_a_stream_that_fails_midway_ends_with_an_error_event(minji, writer):
    writer.fail_after = 2
    response = minji.post("/api/chat/stream", {"message": "점심"})
    events = _events(response.text)
    assert [event for event, _ in events] == ["delta", "delta", "error"]
    assert "secret internal detail" not in response.text
    assert events[-1][1]["error"]["code"] == "server_error"


def test_stopping_a_stream_midway_still_completes_and_stores_the_turn(minji, writer, web_db):
    writer.delay = 0.3
    with minji.client.stream("POST", "/api/chat/stream", json={"message": "저녁 추천"},
                             headers={"X-CSRF-Token": minji.csrf}) as response:
        first = next(response.iter_lines())
        assert first.startswith("event: delta")
    # the reader went away (the stop button); the turn keeps running in its thread
    assert writer.finished.wait(timeout=10)
    assert wait_until(lambda: len(_stored(web_db)) == 2)
    messages = minji.get("/api/messages").json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[1]["content"].startswith("오늘은 ") and messages[1]["content"].endswith(" 어때요?")


def test_a_bearer_token_works_for_the_json_api_without_csrf(minji, app):
    secret = minji.post("/api/tokens", {"name": "script"}).json()["token"]
    client = Visitor(app).client
    headers = {"Authorization": f"Bearer {secret}"}
    turn = client.post("/api/chat", json={"message": "점심 추천"}, headers=headers).json()
    assert turn["reply_id"] > turn["message_id"]
    assert len(client.get("/api/messages", headers=headers).json()["messages"]) == 2
    assert client.get("/api/messages", headers={"Authorization": "Bearer mch_wrong"}).status_code == 401


def test_a_value_error_inside_a_turn_is_a_server_error_not_a_refusal(minji, writer, web_db):
    # a bug that happens to raise ValueError (even with refusal-like Korean words) is not the user's doing
    writer.error = ValueError("메시지가 비어 있어요.")
    writer.fail_after = 0
    response = minji.post("/api/chat", {"message": "점심 추천"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error" and "비어 있어요" not in response.text

    writer.fail_after = 1
    response = minji.post("/api/chat/stream", {"message": "저녁 추천"})
    assert response.status_code == 200
    events = _events(response.text)
    assert [event for event, _ in events] == ["delta", "error"]
    assert events[-1][1]["error"]["code"] == "server_error" and "비어 있어요" not in response.text
    # the messages were taken and stored (refused ones never are), each with the grounded reply committed
    # before the writer ran: a failing writer leaves no question unanswered
    stored = _stored(web_db)
    assert [role for role, _ in stored] == ["user", "assistant"] * 2
    assert (stored[0][1], stored[2][1]) == ("점심 추천", "저녁 추천")
    with web_db.session() as s:
        replies = s.scalars(select(Message).where(Message.role == "assistant")).all()
        assert all(r.meta["meta"]["provisional"] and r.meta["meta"]["writer"] == "grounded" for r in replies)
        assert s.scalars(select(Message.state).where(Message.role == "user")).all() == [None, None]


def test_a_self_harm_message_gets_a_refusal_turn_with_no_cards(minji, web_db):
    turn = minji.say("요즘 너무 힘들어서 죽고 싶어")
    assert turn["intent"] == "unsafe" and turn["refusal"] == {"kind": "self_harm"}
    assert turn["recommendations"] == [] and turn["nutrition"] is None and turn["plan"] is None
    assert turn["meta"]["moves"] == ["refuse"]
    assert _stored(web_db)[-2] == ("user", "요즘 너무 힘들어서 죽고 싶어")
