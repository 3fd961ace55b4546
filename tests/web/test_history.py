"""Searching one's own chat on the server, and clearing it with what was learned kept."""

from __future__ import annotations

from sqlalchemy import func, select

from mechuri.db import crud
from mechuri.db.models import Message


def test_search_finds_the_callers_own_messages_newest_first_with_a_snippet(minji, junho):
    minji.say("나 새우 알레르기 있어")
    minji.say("점심 추천해줘")
    junho.say("새우 좋아해")
    found = minji.get("/api/messages/search", params={"q": "새우"}).json()
    assert found["query"] == "새우" and not found["more"]
    assert [hit["role"] for hit in found["results"]][-1] == "user"
    assert all("새우" in hit["snippet"] for hit in found["results"])
    assert "새우 좋아해" not in [hit["snippet"] for hit in found["results"]]  # 준호's message is not 민지's
    ids = [hit["id"] for hit in found["results"]]
    assert ids == sorted(ids, reverse=True)
    # a hit's id pages the history back to it
    page = minji.get("/api/messages", params={"before_id": ids[-1] + 1, "limit": 1}).json()
    assert page["messages"][0]["content"] == "나 새우 알레르기 있어"


def test_search_is_case_insensitive_escapes_wildcards_and_limits(minji):
    minji.say("점심 100% 채식으로 추천해줘")
    minji.say("Pasta 말고 밥")
    assert len(minji.get("/api/messages/search", params={"q": "pasta"}).json()["results"]) == 1
    hits = minji.get("/api/messages/search", params={"q": "100%"}).json()["results"]
    assert [hit["snippet"] for hit in hits] == ["점심 100% 채식으로 추천해줘"]
    assert minji.get("/api/messages/search", params={"q": "_"}).json()["results"] == []
    limited = minji.get("/api/messages/search", params={"q": "점심", "limit": 1}).json()
    assert len(limited["results"]) == 1
    for bad in ("", "   ", "가" * 101, "\x00"):
        assert minji.get("/api/messages/search", params={"q": bad}).status_code == 422


def test_a_long_message_is_cut_around_the_match():
    from mechuri.web.history import snippet

    text = "가" * 100 + "김치찌개" + "나" * 100
    cut = snippet(text, "김치찌개")
    assert cut.startswith("…") and cut.endswith("…") and "김치찌개" in cut and len(cut) == 40 * 2 + 4 + 2


def test_clearing_deletes_only_the_callers_messages_and_keeps_what_was_learned(minji, junho, web_db):
    minji.say("나 새우 알레르기 있어")
    minji.say("점심에 비빔밥 먹었어")
    junho.say("점심 추천해줘")
    assert minji.get("/api/preferences").json()["preferences"][0]["source_message_id"] is not None
    response = minji.delete("/api/messages")
    assert response.status_code == 200 and response.json()["deleted"] == 4
    assert minji.get("/api/messages").json()["messages"] == []
    assert minji.get("/api/messages/search", params={"q": "새우"}).json()["results"] == []
    prefs = minji.get("/api/preferences").json()["preferences"]
    assert [(p["kind"], p["value"], p["source_message_id"]) for p in prefs] == [("allergy", "새우", None)]
    assert [m["food_name"] for m in minji.get("/api/today").json()["meals"]] == ["비빔밥"]
    assert len(junho.get("/api/messages").json()["messages"]) == 2
    with web_db.session() as s:
        user = crud.get_user_by_username(s, "minji")
        assert s.scalar(select(func.count()).select_from(Message).where(Message.user_id == user.id)) == 0
    minji.say("점심 추천해줘")  # chatting goes on after a clear
    assert len(minji.get("/api/messages").json()["messages"]) == 2


def test_clearing_needs_a_login_and_the_csrf_token(minji, visitor):
    minji.say("점심 추천해줘")
    assert visitor.delete("/api/messages").status_code == 401
    assert minji.client.delete("/api/messages").status_code == 403
    assert len(minji.get("/api/messages").json()["messages"]) == 2
