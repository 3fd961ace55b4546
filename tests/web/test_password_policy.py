"""Password policy and small protocol fixes (issue 17, item 5 / issue item 10)."""

from __future__ import annotations

import pytest

from mechuri.web import accounts

from .conftest import PASSWORD


@pytest.mark.parametrize("password", [
    "aaaaaaaa", " " * 8, "a" * 10, " " * 12, "abababababab",  # too short, or one or two characters repeated
    "12345678", "bibimbap9",  # under ten characters
    "1234567890", "qwertyuiop", "password123", "1q2w3e4r5t", "QWERTY123456",  # on the shipped common list
    "minji12345", "Minji-2024!", "MINJIMINJI",  # the username, with digits or symbols around it
])
def test_weak_passwords_are_refused_with_a_korean_reason(visitor, password):
    response = visitor.signup("minji", password=password)
    assert response.status_code == 422, (password, response.text)
    error = response.json()["error"]
    assert "password" in error["details"] and any("가" <= ch <= "힣" for ch in error["message"])


@pytest.mark.parametrize("password", [PASSWORD, "minji-loves-bibimbap", "냉면은-7월에-먹어요", "correct horse battery"])
def test_ordinary_good_passwords_are_accepted(app, password):
    from .conftest import Visitor

    assert Visitor(app).signup("minji", password=password).status_code == 201


def test_the_length_rule_says_ten(visitor):
    message = visitor.signup("minji", password="short-pw").json()["error"]["message"]
    assert "10" in message


def test_the_common_password_list_ships_with_the_package():
    assert len(accounts.common_passwords()) >= 100
    assert "1234567890" in accounts.common_passwords()


def test_a_non_string_content_part_is_a_422_not_a_500(minji):
    token = minji.post("/api/tokens", {"name": "laptop"}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    for content in ([{"type": "text", "text": 5}], [{"type": "text", "text": ["a"]}], [{"type": "text"}],
                    [{"text": "no type"}], [5], 5):
        response = minji.client.post("/v1/chat/completions", headers=auth,
                                     json={"messages": [{"role": "user", "content": content}]})
        assert response.status_code in (400, 422), (content, response.status_code, response.text)
    image_and_text = [{"type": "image_url", "image_url": {"url": "data:,"}}, {"type": "text", "text": "점심 추천"}]
    ok = minji.client.post("/v1/chat/completions", headers=auth,
                           json={"messages": [{"role": "user", "content": image_and_text}]})
    assert ok.status_code == 200, ok.text


def test_405_says_which_methods_are_allowed(visitor):
    response = visitor.get("/api/chat")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert visitor.client.delete("/api/auth/login").headers.get("Allow") == "POST"
