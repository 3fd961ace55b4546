"""Input hygiene (issue 17, item 2): control characters and out-of-range ids are a 422/404, never a 500.

PostgreSQL refuses NUL in text (a 500 before, reachable without logging in) and 32-bit ``integer`` columns
overflow above 2³¹−1; SQLite overflows above 2⁶³−1. Both databases run every case.
"""

from __future__ import annotations

import pytest

from .conftest import PASSWORD, Visitor

CONTROL_MESSAGE = "제어 문자"
BAD_TEXTS = ["a\x00b", "\x00", "a\x07b", "a\x1bb", "a\x7fb"]


def _refused(response) -> None:
    assert response.status_code == 422, (response.status_code, response.text)
    assert CONTROL_MESSAGE in response.json()["error"]["message"]


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_control_characters_in_sign_up_and_log_in_are_a_422_before_any_log_in(visitor, bad):
    _refused(visitor.signup(f"mi{bad}nji"))
    _refused(visitor.signup("minji", password=f"long-password{bad}"))
    _refused(visitor.signup("minji", display_name=f"민{bad}지"))
    _refused(visitor.login(f"mi{bad}nji"))
    _refused(visitor.login("minji", f"long-password{bad}"))


def test_control_characters_in_every_logged_in_field_are_a_422(minji, app):
    _refused(minji.post("/api/chat", {"message": "점심\x00 추천해줘"}))
    _refused(minji.post("/api/chat/stream", {"message": "점심\x00 추천해줘"}))
    _refused(minji.put("/api/preferences", {"kind": "like", "value": "김치\x00찌개"}))
    _refused(minji.put("/api/profile", {"display_name": "민\x00지"}))
    _refused(minji.post("/api/tokens", {"name": "laptop\x00"}))
    _refused(minji.post("/api/meals", {"meal": "점심", "items": [{"name": "김치\x00찌개"}]}))
    _refused(minji.post("/api/plan", {"avoid_dishes": ["김치\x00찌개"]}))
    token = minji.post("/api/tokens", {"name": "laptop"}).json()["token"]
    openai = minji.client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                               json={"messages": [{"role": "user", "content": "점심\x00 추천"}]})
    _refused(openai)
    parts = minji.client.post("/v1/chat/completions", headers={"Authorization": f"Bearer {token}"},
                              json={"messages": [{"role": "user", "content": [{"type": "text", "text": "점심\x00"}]}]})
    _refused(parts)
    # the app goes on, and the refused text was stored nowhere
    assert minji.get("/api/messages").json()["messages"] == []


def test_tabs_and_newlines_are_fine_in_chat_text(minji):
    turn = minji.say("점심 추천해줘\n\t매운 걸로")
    assert turn["reply"]


@pytest.mark.parametrize("huge", [2**31, 2**31 + 1, 2**63, 2**64, -(2**63) - 1])
def test_ids_outside_the_databases_integer_range_are_a_404_or_422(minji, huge):
    for method, url in [("DELETE", f"/api/preferences/{huge}"), ("DELETE", f"/api/today/meals/{huge}"),
                        ("DELETE", f"/api/tokens/{huge}"), ("GET", f"/api/messages?before_id={huge}")]:
        response = minji.send(method, url)
        assert response.status_code in (404, 422), (url, response.status_code, response.text)
    edit = minji.put("/api/preferences", {"id": huge, "value": "김치찌개"})
    assert edit.status_code in (404, 422), edit.text
    assert minji.get("/api/auth/me").status_code == 200


def test_the_largest_valid_id_is_just_not_found(minji):
    largest = 2**31 - 1
    assert minji.delete(f"/api/preferences/{largest}").status_code == 404
    assert minji.delete(f"/api/tokens/{largest}").status_code == 404
    assert minji.get(f"/api/messages?before_id={largest}").status_code == 200


def test_a_correct_log_in_still_works(app):
    person = Visitor(app)
    assert person.signup("hygiene").status_code == 201
    assert Visitor(app).login("hygiene", PASSWORD).status_code == 200


def test_huge_numbers_in_bodies_are_refused_not_a_500(minji):
    huge = 2**64
    for url, body in [("/api/profile", {"birth_year": huge}), ("/api/profile", {"height_cm": 1e308}),
                      ("/api/plan", {"variant": huge}), ("/api/plan", {"days": huge}),
                      ("/api/plan", {"fixed": [{"day": huge, "meal": "점심", "name": "짜장면"}]}),
                      ("/api/meals", {"meal": "점심", "items": [{"name": "김치찌개", "servings": 1e308}]})]:
        response = minji.put(url, body) if url == "/api/profile" else minji.post(url, body)
        assert response.status_code in (400, 404, 409, 422), (url, body, response.status_code, response.text)
