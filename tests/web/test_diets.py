"""A diet stated in chat is stored and shown by the preferences API, and the panel accepts the new diets."""

from __future__ import annotations


def test_a_halal_diet_said_in_chat_is_in_the_preferences(minji):
    minji.say("저 무슬림이라 할랄 음식만 먹어요")
    preferences = [(p["kind"], p["value"]) for p in minji.get("/api/preferences").json()["preferences"]]
    assert ("diet", "할랄") in preferences
    assert minji.put("/api/preferences", {"kind": "diet", "value": "글루텐프리"}).status_code == 200
