"""No orphaned turns (issue 17, item 7): a question is answered, or marked failed and shown with a retry;
a memory change never outlives a turn that did not store the reply announcing it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import mechuri.conversation.manager as manager_module
from mechuri.db import crud
from mechuri.db.models import Message, UserPreference
from mechuri.web.recovery import sweep_once


def _questions(web_db) -> list[tuple[str, str | None]]:
    with web_db.session() as s:
        return [(m.content, m.state) for m in s.scalars(select(Message).where(Message.role == "user")
                                                        .order_by(Message.id))]


def _preferences(web_db) -> list[str]:
    with web_db.session() as s:
        return [p.value for p in s.scalars(select(UserPreference))]


def test_a_turn_that_breaks_before_its_answer_is_stored_leaves_no_memory_change(minji, web_db, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("killed between the memory change and the reply")

    monkeypatch.setattr(manager_module.DialogueManager, "_store_grounded", broken)
    response = minji.post("/api/chat", {"message": "새우 알레르기 있어"})
    assert response.status_code == 500
    assert _preferences(web_db) == []  # the allergy was rolled back with the reply it lacked
    assert _questions(web_db) == [("새우 알레르기 있어", "failed")]
    messages = minji.get("/api/messages").json()["messages"]
    assert [(m["role"], m["state"]) for m in messages] == [("user", "failed")]


def test_a_memory_change_commits_with_the_reply_that_announces_it(minji, writer, web_db):
    writer.fail_after = 0  # the writer dies after the turn was decided: the grounded reply stands
    assert minji.post("/api/chat", {"message": "새우 알레르기 있어"}).status_code == 500
    assert _preferences(web_db) == ["새우"]
    messages = minji.get("/api/messages").json()["messages"]
    assert [(m["role"], m["state"]) for m in messages] == [("user", None), ("assistant", None)]
    assert "새우" in messages[1]["content"] and messages[1]["turn"]["meta"]["provisional"] is True


def test_the_writers_words_replace_the_provisional_reply(minji, web_db):
    turn = minji.say("점심 추천해줘")
    with web_db.session() as s:
        reply = s.get(Message, turn["reply_id"])
        assert reply.content == turn["reply"] and reply.meta["meta"]["writer"] == "scripted"
        assert "provisional" not in reply.meta["meta"] and reply.meta["reply_id"] == reply.id


def test_the_sweep_marks_only_stale_pending_questions_failed(minji, web_db):
    minji.say("안녕")
    now = datetime.now(UTC)
    with web_db.session() as s:
        user = crud.get_or_create_user(s, "minji")
        crud.add_message(s, user, "user", "오래된 질문", created_at=now - timedelta(seconds=120), state="pending")
        crud.add_message(s, user, "user", "방금 질문", created_at=now - timedelta(seconds=1), state="pending")
    assert sweep_once(web_db, 60, now) == 1
    assert sweep_once(web_db, 60, now) == 0  # once is enough: the sweep is idempotent
    assert _questions(web_db) == [("안녕", None), ("오래된 질문", "failed"), ("방금 질문", "pending")]


def test_the_app_sweeps_at_start_up(settings, dialogue, web_db):
    from fastapi.testclient import TestClient

    from mechuri.web import create_app

    with web_db.session() as s:
        user = crud.get_or_create_user(s, "crashed")
        crud.add_message(s, user, "user", "대답 없는 질문", created_at=datetime.now(UTC) - timedelta(hours=1),
                         state="pending")
    with TestClient(create_app(settings, dialogue=dialogue)):  # start-up runs the lifespan
        pass
    assert _questions(web_db) == [("대답 없는 질문", "failed")]


def test_a_state_is_only_for_user_messages(web_db):
    with web_db.session() as s:
        user = crud.get_or_create_user(s, "x")
        with pytest.raises(ValueError, match="state"):
            crud.add_message(s, user, "assistant", "…", state="failed")
