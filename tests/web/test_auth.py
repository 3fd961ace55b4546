"""Accounts: sign-up rules, a log-in that tells nothing, rotated sessions, CSRF, rate limiting."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mechuri.db import crud
from mechuri.db.models import ApiToken, LoginFailure, User, WebSession
from mechuri.security import verify_password
from mechuri.web.sessions import SESSION_COOKIE, hash_token

from .conftest import PASSWORD, Visitor


def _cookie_header(response) -> str:
    return next(value for key, value in response.headers.multi_items()
                if key == "set-cookie" and value.startswith(SESSION_COOKIE))


def test_signup_logs_in_with_an_httponly_lax_cookie_and_stores_an_argon2id_hash(visitor, web_db):
    response = visitor.signup("minji", display_name="민지")
    assert response.status_code == 201
    body = response.json()
    assert body["user"] == {"id": body["user"]["id"], "username": "minji", "display_name": "민지"}
    assert len(body["csrf_token"]) >= 32
    cookie = _cookie_header(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain http (a local run): a Secure cookie would never come back
    with web_db.session() as s:
        user = crud.get_user_by_username(s, "minji")
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, PASSWORD)
        stored = s.scalars(select(WebSession.token_hash)).all()
    token = visitor.client.cookies[SESSION_COOKIE]
    assert stored == [hash_token(token)] and token not in stored  # only the digest is stored
    assert visitor.get("/api/auth/me").json()["user"]["username"] == "minji"


def test_the_cookie_is_secure_when_served_over_https(app):
    visitor = Visitor(app, base_url="https://testserver")
    response = visitor.signup("minji")
    assert "secure" in _cookie_header(response).lower()
    assert visitor.get("/api/auth/me").status_code == 200


@pytest.mark.parametrize(("fields", "bad"), [
    ({"username": "ab"}, "username"),
    ({"username": "<script>"}, "username"),
    ({"password": "short"}, "password"),
    ({"password": "x" * 129}, "password"),
    ({"password": "password123"}, "password"),
    ({"username": "minji1234", "password": "MINJI1234"}, "password"),
    ({"display_name": "   "}, "display_name"),
])
def test_signup_refuses_bad_fields_with_a_korean_reason(visitor, fields, bad):
    data = {"username": "minji", "password": PASSWORD, "display_name": "민지", **fields}
    response = visitor.client.post("/api/auth/signup", json=data)
    assert response.status_code == 422
    error = response.json()["error"]
    assert bad in error["details"] and any("가" <= ch <= "힣" for ch in error["message"])
    assert SESSION_COOKIE not in response.cookies


def test_a_taken_username_is_refused_whatever_its_letter_case(visitor):
    assert visitor.signup("Minji").status_code == 201
    again = Visitor(visitor.client.app).signup("minji")
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "이미 사용 중인 아이디예요."


def test_a_sign_up_that_loses_the_race_for_a_name_is_a_409_and_leaves_nothing_behind(visitor, app, web_db, monkeypatch):
    assert visitor.signup("minji").status_code == 201
    # the other sign-up checked the name just before this one stored it: its insert hits the unique index
    monkeypatch.setattr("mechuri.web.accounts.register", lambda session, username, password, display_name, *_: (
        crud.create_user(session, username, password=password, display_name=display_name)))
    late = Visitor(app).signup("minji", display_name="다른 민지")
    assert late.status_code == 409 and late.json()["error"]["code"] == "username_taken"
    assert SESSION_COOKIE not in late.cookies
    with web_db.session() as s:  # the request's unit of work was rolled back: one user, one session
        assert [u.display_name for u in s.scalars(select(User))] == ["민지"]
        assert len(s.scalars(select(WebSession)).all()) == 1
    assert visitor.get("/api/auth/me").status_code == 200  # and the app goes on as before


def test_unknown_user_wrong_password_and_passwordless_cli_user_get_the_same_answer(minji, app, web_db):
    with web_db.session() as s:
        crud.get_or_create_user(s, "cli-user")  # made by `mechuri ask`: no password
    answers = [Visitor(app).login(name, password)
               for name, password in [("nobody", PASSWORD), ("minji", "wrong-password"), ("cli-user", "")]]
    assert {a.status_code for a in answers} == {401}
    assert len({a.text for a in answers}) == 1
    assert answers[0].json()["error"]["message"] == "아이디 또는 비밀번호가 맞지 않아요."


def test_login_issues_a_new_session_and_ends_the_old_one(minji):
    before = minji.client.cookies[SESSION_COOKIE]
    old_csrf = minji.csrf
    assert minji.login().status_code == 200
    after = minji.client.cookies[SESSION_COOKIE]
    assert after != before and minji.csrf != old_csrf
    stale = Visitor(minji.client.app)
    stale.client.cookies.set(SESSION_COOKIE, before)
    assert stale.get("/api/auth/me").status_code == 401


def test_logout_needs_the_csrf_token_and_ends_the_session(minji):
    token = minji.client.cookies[SESSION_COOKIE]
    assert minji.post("/api/auth/logout", headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert minji.get("/api/auth/me").status_code == 200
    response = minji.post("/api/auth/logout")
    assert response.status_code == 204
    replay = Visitor(minji.client.app)
    replay.client.cookies.set(SESSION_COOKIE, token)
    assert replay.get("/api/auth/me").status_code == 401


def test_five_wrong_passwords_lock_that_account_for_every_worker(minji, make_app):
    first_worker, second_worker = make_app(), make_app()
    for attempt in range(5):
        worker = first_worker if attempt % 2 else second_worker
        assert Visitor(worker).login("minji", "wrong-password").status_code == 401
    locked = Visitor(second_worker).login("minji", PASSWORD)  # even the right password waits now
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "로그인 시도가 너무 많아요" in locked.json()["error"]["message"]
    assert Visitor(first_worker).login("MINJI", PASSWORD).status_code == 429  # same account, other case
    other = Visitor(first_worker)
    assert other.signup("junho").status_code == 201
    assert other.login("junho").status_code == 200  # other accounts are not locked


def test_a_successful_login_forgives_earlier_typos(minji, web_db):
    for _ in range(3):
        assert Visitor(minji.client.app).login("minji", "typo-password").status_code == 401
    assert minji.login().status_code == 200
    with web_db.session() as s:
        assert s.scalars(select(LoginFailure).where(LoginFailure.username == "minji")).all() == []


def test_one_address_cannot_spray_guesses_across_many_accounts(app, monkeypatch):
    from mechuri.web import ratelimit

    monkeypatch.setattr(ratelimit, "MAX_FAILURES_PER_IP", 8)  # the real 30 only makes the test slower
    for number in range(ratelimit.MAX_FAILURES_PER_IP):
        assert Visitor(app).login(f"user{number}", "guess-password").status_code == 401
    assert Visitor(app).login("someone-else", "guess-password").status_code == 429


def test_one_address_cannot_create_accounts_without_end(app):
    from mechuri.web import ratelimit

    limit = app.state.mechuri.settings.signup_limit_per_ip
    assert limit == ratelimit.MAX_SIGNUPS_PER_IP == 10
    for number in range(limit):
        assert Visitor(app).signup(f"family{number}").status_code == 201
    refused = Visitor(app).signup("one-too-many")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "가입이 너무 많았어요" in refused.json()["error"]["message"]
    # sign-ups are not failed log-ins: the address can still log in to the accounts it made
    assert Visitor(app).login("family0").status_code == 200


def test_login_and_signup_take_only_json(visitor):
    form = visitor.client.post("/api/auth/login", data={"username": "minji", "password": PASSWORD})
    assert form.status_code == 415
    text = visitor.client.post("/api/auth/signup", content=b'{"username": "minji"}',
                               headers={"Content-Type": "text/plain"})
    assert text.status_code == 415


def test_a_form_posted_from_another_site_is_refused(minji):
    evil = {"Origin": "https://evil.example", "X-CSRF-Token": minji.csrf}
    assert minji.client.post("/api/chat", json={"message": "점심 추천"}, headers=evil).status_code == 403
    assert minji.client.post("/api/auth/login", json={"username": "minji", "password": PASSWORD},
                             headers={"Origin": "null"}).status_code == 403
    same = {"Origin": "http://testserver", "X-CSRF-Token": minji.csrf}
    assert minji.client.post("/api/chat", json={"message": "점심 추천"}, headers=same).status_code == 200


def test_every_state_changing_cookie_request_needs_the_sessions_csrf_token(minji, junho):
    requests = [("POST", "/api/chat", {"message": "점심 추천"}), ("POST", "/api/chat/stream", {"message": "점심"}),
                ("PUT", "/api/preferences", {"kind": "like", "value": "국물"}), ("DELETE", "/api/preferences/1", None),
                ("PUT", "/api/profile", {"sex": "F"}), ("DELETE", "/api/today/meals/1", None),
                ("POST", "/api/tokens", {"name": "laptop"}), ("DELETE", "/api/tokens/1", None),
                ("POST", "/api/auth/logout", None)]
    for method, url, body in requests:
        for token in ("", "not-the-token", junho.csrf):  # missing, forged, another session's
            response = minji.send(method, url, body, headers={"X-CSRF-Token": token})
            assert response.status_code == 403, (method, url, token)
            assert response.json()["error"]["code"] == "csrf_failed"
    assert minji.get("/api/preferences").json()["preferences"] == []


def test_an_expired_session_is_not_accepted(minji, web_db):
    from datetime import UTC, datetime, timedelta

    with web_db.session() as s:
        for row in s.scalars(select(WebSession)):
            row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert minji.get("/api/auth/me").status_code == 401
    assert minji.get("/chat", follow_redirects=False).status_code == 303


def test_deleting_a_user_ends_their_sessions_and_tokens(minji, web_db):
    assert minji.post("/api/tokens", {"name": "cli"}).status_code == 201
    with web_db.session() as s:
        s.delete(s.scalars(select(User).where(User.username == "minji")).one())
    with web_db.session() as s:
        assert s.scalars(select(WebSession)).all() == [] and s.scalars(select(ApiToken)).all() == []
    assert minji.get("/api/auth/me").status_code == 401
