"""The shipped app with the real dialogue manager: what is said and edited over HTTP shapes the next answer."""

from __future__ import annotations

import json

import pytest

from mechuri.conversation import DialogueManager
from mechuri.web import create_app

from .conftest import Visitor, _close


@pytest.fixture
def real_app(settings):
    application = create_app(settings)
    yield application
    _close(application)


@pytest.fixture
def jiwoo(real_app) -> Visitor:
    person = Visitor(real_app)
    assert person.signup("jiwoo", display_name="지우").status_code == 201
    return person


def test_the_app_answers_with_the_real_dialogue_manager(real_app):
    assert isinstance(real_app.state.mechuri.dialogue, DialogueManager)


def test_a_dislike_edited_in_the_panel_shapes_the_next_recommendation(jiwoo):
    jiwoo.say("나 매운 거 좋아해")
    prefs = jiwoo.get("/api/preferences").json()["preferences"]
    assert [(p["kind"], p["value"]) for p in prefs] == [("like", "매운")]
    spicy_lunch = jiwoo.say("점심 추천해줘")
    assert any("매운" in r["tags"] for r in spicy_lunch["recommendations"])

    assert jiwoo.put("/api/preferences", {"id": prefs[0]["id"], "kind": "dislike"}).status_code == 200
    dinner = jiwoo.say("저녁 추천해줘")
    assert dinner["recommendations"]
    assert not any("매운" in r["tags"] for r in dinner["recommendations"])


def test_an_allergy_added_in_the_panel_is_never_recommended(jiwoo):
    jiwoo.put("/api/preferences", {"kind": "allergy", "value": "대두"})
    for text in ("점심 추천해줘", "다른 거", "저녁 추천해줘"):
        for dish in jiwoo.say(text)["recommendations"]:
            assert "대두" not in dish["allergens"], (text, dish["name"])


def test_the_streamed_turn_is_the_stored_turn(jiwoo):
    response = jiwoo.post("/api/chat/stream", {"message": "김치찌개 칼로리 알려줘"})
    turn_line = response.text.split("event: turn\ndata: ")[1].split("\n\n")[0]


    turn = json.loads(turn_line)
    assert turn["nutrition"]["found"] and turn["nutrition"]["dish"]["name"] == "김치찌개"
    stored = jiwoo.get("/api/messages").json()["messages"]
    assert [m["id"] for m in stored] == [turn["message_id"], turn["reply_id"]]
    assert stored[1]["content"] == turn["reply"]
    assert stored[1]["turn"]["nutrition"] == turn["nutrition"]


def test_a_meal_said_in_chat_counts_in_today(jiwoo):
    jiwoo.say("점심에 김치찌개 먹었어")
    today = jiwoo.get("/api/today").json()
    assert [(m["meal_type"], m["food_name"]) for m in today["meals"]] == [("점심", "김치찌개")]
    assert today["totals"]["kcal"] == today["meals"][0]["nutrition"]["kcal"] > 0
