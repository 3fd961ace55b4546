"""My data over HTTP (issue 17): export it, change my password, delete my account — on SQLite and PostgreSQL.

Deleting is checked against the database itself: every table a migrated database has is walked, and none
may keep a row that is the deleted person's (by a ``user_id`` column or by username), so a table added
later cannot be forgotten; another person's rows stay exactly as they were.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from urllib.parse import unquote

import pytest
from sqlalchemy import inspect, select, text

from mechuri.db import Database
from mechuri.db.models import User
from mechuri.security import verify_password
from mechuri.web import accounts
from mechuri.web.apitokens import create_token, find_token
from mechuri.web.errors import ApiError
from mechuri.web.sessions import find_session, start_session

from .conftest import PASSWORD, Visitor

NEW_PASSWORD = "kimchi-stew-at-seven"


def _rows_of(db: Database, user_id: int, username: str) -> dict[str, int]:
    """Table → rows that name this person, over every table the database has (not only the models')."""
    found: dict[str, int] = {}
    with db.engine.connect() as connection:
        inspector = inspect(connection)
        for table in inspector.get_table_names():
            columns = {column["name"] for column in inspector.get_columns(table)}
            conditions = []
            if table == "users":
                conditions.append("id = :id")
            if "user_id" in columns:
                conditions.append("user_id = :id")
            if "username" in columns:
                conditions.append("lower(username) = :name")
            if conditions:
                count = connection.execute(text(f'SELECT count(*) FROM "{table}" WHERE {" OR ".join(conditions)}'),
                                           {"id": user_id, "name": username.lower()}).scalar_one()
                found[table] = count
            else:
                assert table == "alembic_version", f"{table}: no way to tell whose rows are; teach userdata"
    return found


def _fill(person: Visitor) -> dict[str, str]:
    """Give a person rows in every table: chat (messages, preferences, a logged meal, a plan, recommendations,
    taste), a failed log-in, an API token. Returns the secrets that must never be exported."""
    person.say("새우 알레르기 있어")
    person.say("점심 추천해줘")
    person.say("1번으로 할게")
    person.say("오늘 하루 식단 짜줘")
    assert person.post("/api/meals", {"meal": "저녁", "items": [{"name": "김치찌개"}]}).status_code == 201
    token = person.post("/api/tokens", {"name": "내 노트북"}).json()["token"]
    Visitor(person.client.app).login(person_name(person), "not-the-password")
    return {"token": token, "csrf": person.csrf, "cookie": person.client.cookies.get("mechuri_session") or ""}


def person_name(person: Visitor) -> str:
    return person.get("/api/auth/me").json()["user"]["username"]


def test_export_holds_everything_of_mine_and_no_secret(minji, junho, web_db):
    secrets = _fill(minji)
    junho.say("나는 오이가 싫어")
    response = minji.get("/api/account/export")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment;")
    assert "mechuri-minji-" in unquote(response.headers["content-disposition"])
    body = response.text
    document = json.loads(body)
    assert document["format"] == "mechuri.export/1"
    assert document["user"]["username"] == "minji" and document["user"]["display_name"] == "민지"
    tables = document["tables"]
    assert {"messages", "user_preferences", "meal_logs", "recommendation_logs", "taste_events", "web_sessions",
            "api_tokens", "login_failures"} <= set(tables)
    assert len(tables["messages"]) == 8
    assert any(row["value"] == "새우" for row in tables["user_preferences"])
    assert {row["food_name"] for row in tables["meal_logs"]} >= {"김치찌개"}
    assert tables["api_tokens"][0]["name"] == "내 노트북" and secrets["token"].startswith(tables["api_tokens"][0]["prefix"])
    assert tables["taste_events"] and tables["recommendation_logs"]
    assert len(tables["login_failures"]) == 1 and "client_ip" not in tables["login_failures"][0]
    assert document["plans"] and document["plans"][0]["plan"]
    # nothing of junho's, and no credential of any kind
    assert "오이" not in body
    with web_db.session() as session:
        hashes = [row[0] for row in session.execute(text(
            "SELECT password_hash FROM users UNION ALL SELECT token_hash FROM web_sessions "
            "UNION ALL SELECT csrf_token FROM web_sessions UNION ALL SELECT token_hash FROM api_tokens"))]
    for secret in [*secrets.values(), PASSWORD, *hashes]:
        assert secret and secret not in body
    for forbidden in ("password", "hash", "csrf"):
        assert forbidden not in body.lower()


def test_export_then_delete_leaves_no_row_of_mine_in_any_table(minji, junho, web_db):
    _fill(minji)
    junho.say("나는 오이가 싫어")
    junho.say("저녁 추천해줘")
    minji_id = minji.get("/api/auth/me").json()["user"]["id"]
    junho_id = junho.get("/api/auth/me").json()["user"]["id"]
    before = _rows_of(web_db, minji_id, "minji")
    assert all(before[table] > 0 for table in before if table != "alembic_version"), before  # every table filled
    junho_before = _rows_of(web_db, junho_id, "junho")

    assert minji.get("/api/account/export").status_code == 200
    deleted = minji.send("DELETE", "/api/account", {"password": PASSWORD})
    assert deleted.status_code == 204, deleted.text
    assert "mechuri_session=" in deleted.headers["set-cookie"]  # the cookie is cleared

    assert sum(_rows_of(web_db, minji_id, "minji").values()) == 0
    assert _rows_of(web_db, junho_id, "junho") == junho_before
    assert minji.get("/api/auth/me").status_code == 401
    assert Visitor(minji.client.app).login("minji").status_code == 401
    # the name is free again, and the new account starts empty
    again = Visitor(minji.client.app)
    assert again.signup("minji").status_code == 201
    assert again.get("/api/account/export").json()["tables"]["messages"] == []


def test_delete_needs_the_password_and_counts_wrong_ones_like_log_ins(minji, web_db):
    minji.say("점심 추천해줘")
    for _ in range(5):
        wrong = minji.send("DELETE", "/api/account", {"password": "not-my-password"})
        assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "wrong_password"
    locked = minji.send("DELETE", "/api/account", {"password": PASSWORD})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert minji.get("/api/messages").json()["messages"]  # nothing was deleted
    assert minji.send("DELETE", "/api/account", {"password": PASSWORD},
                      headers={"X-CSRF-Token": "wrong"}).status_code == 403


def test_an_api_token_can_delete_with_the_password(minji, app, web_db):
    token = minji.post("/api/tokens", {"name": "스크립트"}).json()["token"]
    client = Visitor(app).client
    auth = {"Authorization": f"Bearer {token}"}
    assert client.request("DELETE", "/api/account", json={"password": "nope-nope-nope"}, headers=auth).status_code == 403
    assert client.request("DELETE", "/api/account", json={"password": PASSWORD}, headers=auth).status_code == 204
    assert client.get("/api/tokens", headers=auth).status_code == 401


def test_password_change_signs_out_everything_else_and_reissues_this_session(minji, app):
    other = Visitor(app)
    assert other.login().status_code == 200
    token = minji.post("/api/tokens", {"name": "스크립트"}).json()["token"]
    old_cookie, old_csrf = minji.client.cookies.get("mechuri_session"), minji.csrf

    changed = minji.post("/api/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    minji.csrf = changed.json()["csrf_token"]
    assert minji.csrf != old_csrf and minji.client.cookies.get("mechuri_session") != old_cookie
    assert minji.get("/api/auth/me").status_code == 200
    assert minji.put("/api/preferences", {"kind": "like", "value": "국물"}).status_code == 200

    assert other.get("/api/auth/me").status_code == 401  # the other browser is signed out
    assert Visitor(app).client.get("/api/tokens", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    stale = Visitor(app)
    stale.client.cookies.set("mechuri_session", old_cookie)
    assert stale.get("/api/auth/me").status_code == 401  # the old cookie of this very browser too
    assert Visitor(app).login("minji", PASSWORD).status_code == 401
    assert Visitor(app).login("minji", NEW_PASSWORD).status_code == 200


def test_password_change_refusals(minji, app):
    def change(current: str, new: str):
        return minji.post("/api/account/password", {"current_password": current, "new_password": new})

    weak = change("whatever", "short")
    assert weak.status_code == 422 and "new_password" in weak.json()["error"]["details"]
    assert change("whatever", "minji2024!!").status_code == 422  # the username with digits around it
    assert change(PASSWORD, PASSWORD).status_code == 422  # the same as now
    wrong = change("not-my-password", NEW_PASSWORD)
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "wrong_password"
    assert minji.get("/api/auth/me").status_code == 200  # a wrong current password does not log out
    token = minji.post("/api/tokens", {"name": "스크립트"}).json()["token"]
    by_token = Visitor(app).client.post("/api/account/password", headers={"Authorization": f"Bearer {token}"},
                                        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert by_token.status_code == 403 and by_token.json()["error"]["code"] == "session_required"
    assert Visitor(app).login("minji", PASSWORD).status_code == 200  # nothing changed


def _at_once(calls) -> list:
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_simultaneous_password_changes_let_exactly_one_through(minji, app, web_db):
    """Six changes from one session at the same instant, each to its own new password: the account is
    locked while one is checked and stored, so the others find the password already changed (403), their
    session gone (401) or, being the sixth try, the account rate limited (429) — never two new passwords
    accepted, never a 500."""
    cookie = minji.client.cookies.get("mechuri_session")

    def change(number: int):
        def call():
            client = Visitor(app).client
            client.cookies.set("mechuri_session", cookie)
            return client.post("/api/account/password", headers={"X-CSRF-Token": minji.csrf},
                               json={"current_password": PASSWORD, "new_password": f"{NEW_PASSWORD}-{number}"})
        return call

    responses = _at_once([change(number) for number in range(6)])
    statuses = Counter(response.status_code for response in responses)
    assert statuses[200] == 1 and set(statuses) <= {200, 401, 403, 429}, statuses
    winner = next(number for number, response in enumerate(responses) if response.status_code == 200)
    with web_db.session() as session:  # (a log-in would be refused now: the losers' tries were counted)
        stored = session.execute(text("SELECT password_hash FROM users WHERE username = 'minji'")).scalar_one()
    assert verify_password(stored, f"{NEW_PASSWORD}-{winner}")


def test_deleting_while_chatting_and_changing_the_password_leaves_nothing(minji, app, web_db, writer):
    """A reply still being written, a password change and a deletion at the same time: whatever order they
    land in, no row of the account survives and nothing answers 500."""
    minji_id = minji.get("/api/auth/me").json()["user"]["id"]
    writer.delay = 0.05
    cookie = minji.client.cookies.get("mechuri_session")

    def as_minji(method: str, url: str, body: dict):
        def call():
            client = Visitor(app).client
            client.cookies.set("mechuri_session", cookie)
            return client.request(method, url, json=body, headers={"X-CSRF-Token": minji.csrf})
        return call

    responses = _at_once([
        as_minji("POST", "/api/chat", {"message": "점심 추천해줘"}),
        as_minji("POST", "/api/chat", {"message": "새우 알레르기 있어"}),
        as_minji("POST", "/api/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        as_minji("DELETE", "/api/account", {"password": PASSWORD}),
    ])
    statuses = [response.status_code for response in responses]
    assert 500 not in statuses, [response.text for response in responses]
    assert statuses[3] in (204, 401, 403), statuses
    if statuses[3] != 204:  # the password changed first: delete again with the new one
        again = Visitor(app)
        assert again.login("minji", NEW_PASSWORD).status_code == 200
        assert again.send("DELETE", "/api/account", {"password": NEW_PASSWORD}).status_code == 204
    assert sum(_rows_of(web_db, minji_id, "minji").values()) == 0


def test_a_change_from_a_row_read_before_another_change_is_refused_by_its_own_update(minji, web_db):
    """The version check is in the UPDATE itself, not only in the row lock around it: a change working from
    the account as it was before another change committed writes nothing and answers 409."""
    with web_db.session() as early, web_db.session() as late:
        stale = early.scalars(select(User).where(User.username == "minji")).one()  # read at version 0
        early.commit()  # (its read ends here; SQLite's WAL would otherwise keep the old snapshot)
        first = late.scalars(select(User).where(User.username == "minji")).one()
        accounts.set_password(late, first, NEW_PASSWORD)
        late.commit()
        with pytest.raises(ApiError) as refused:
            accounts.set_password(early, stale, f"{NEW_PASSWORD}-again")
        assert refused.value.status == 409 and refused.value.code == "credentials_changed"
    with web_db.session() as session:
        row = session.scalars(select(User).where(User.username == "minji")).one()
        assert row.credentials_version == 1 and verify_password(row.password_hash, NEW_PASSWORD)


def test_a_log_in_checked_against_the_old_password_while_it_changed_opens_no_live_session(minji, app, web_db,
                                                                                         monkeypatch):
    """The moment between a log-in's password check and its new session, with a change committed in it: the
    log-in's session (and a token made under it) is dead, and its rehash does not put the old password back."""
    def change_elsewhere() -> None:
        with web_db.session() as other:
            accounts.set_password(other, other.scalars(select(User).where(User.username == "minji")).one(),
                                  NEW_PASSWORD)

    checked = accounts.verify_password

    def verify_then_change(stored: str, password: str) -> bool:
        ok = checked(stored, password)
        change_elsewhere()  # committed between this log-in's check and everything it writes after
        return ok

    monkeypatch.setattr(accounts, "verify_password", verify_then_change)
    monkeypatch.setattr(accounts, "needs_rehash", lambda _hash: True)  # the log-in also rewrites the hash
    moment = datetime.now(UTC)
    with web_db.session() as session:
        user = accounts.authenticate(session, "minji", PASSWORD, "10.1.2.3", moment, web_db)
        assert user is not None and user.credentials_version == 0  # the check itself passed, on the old row
        token, _ = start_session(session, user.id, moment, credentials_version=user.credentials_version)
        secret, _ = create_token(session, user.id, "경주", moment, credentials_version=user.credentials_version)
    with web_db.session() as session:
        assert find_session(session, token, moment) is None
        assert find_token(session, secret, moment) is None
        row = session.scalars(select(User).where(User.username == "minji")).one()
        assert row.credentials_version == 1 and verify_password(row.password_hash, NEW_PASSWORD)
    monkeypatch.undo()
    assert Visitor(app).login("minji", PASSWORD).status_code == 401
    assert Visitor(app).login("minji", NEW_PASSWORD).status_code == 200
