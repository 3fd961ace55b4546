"""``db.userdata`` and ``mechuri user …``: every table is accounted for, exports hold no secret, deleting
removes exactly one person's rows — on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect, select
from typer.testing import CliRunner

from mechuri.cli import app as cli_app
from mechuri.db import crud, userdata
from mechuri.db.models import ApiToken, Base, LoginFailure, TasteEvent, User, WebSession
from mechuri.security import verify_password

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def test_every_table_is_either_personal_or_the_users_table(db):
    """A table added later must say whose rows it holds: a ``user_id`` foreign key, or ``KEYED_BY_USERNAME``.
    Checked against the migrated database, so a table made by a migration without a model is caught too."""
    personal = {table.name for table, _ in userdata.personal_tables()}
    with db.engine.connect() as connection:
        in_database = set(inspect(connection).get_table_names()) - {"alembic_version"}
    assert in_database == set(Base.metadata.tables)
    assert personal | {"users"} == in_database
    assert {"messages", "user_preferences", "meal_logs", "recommendation_logs", "taste_events", "web_sessions",
            "api_tokens", "login_failures"} <= personal


def test_secret_columns_are_recognised():
    for name in ("password_hash", "token_hash", "csrf_token", "client_secret", "new_password"):
        assert userdata.is_secret_column(name)
    for name in ("prefix", "name", "content", "meta", "username", "created_at"):
        assert not userdata.is_secret_column(name)


def _person(session, username: str) -> User:
    user = crud.create_user(session, username, password="kimbap-and-ramen", display_name=username)
    message = crud.add_message(session, user, "user", f"{username}: 비빔밥 좋아", created_at=NOW)
    crud.set_preference(session, user, "like", "비빔밥", source_message=message)
    crud.log_meal(session, user, food_name="비빔밥", meal_type="점심", servings=1.0, nutrition={"kcal": 600.0},
                  eaten_at=NOW, source_message=message)
    crud.log_recommendations(session, user, ["비빔밥", "김밥"], message)
    session.add_all([
        TasteEvent(user_id=user.id, food_name="비빔밥", kind="chose", message_id=message.id, created_at=NOW),
        WebSession(user_id=user.id, token_hash=f"cookie-{username}", csrf_token=f"csrf-{username}",
                   created_at=NOW, expires_at=NOW + timedelta(days=1)),
        ApiToken(user_id=user.id, name="노트북", token_hash=f"hash-{username}", prefix="mch_abc", created_at=NOW),
        LoginFailure(username=username.lower(), client_ip="10.1.2.3", created_at=NOW),  # as ratelimit keys it
    ])
    session.flush()
    return user


def test_delete_removes_one_person_and_keeps_the_other(db):
    with db.session() as session:
        minji = _person(session, "minji")
        junho = _person(session, "junho")
        minji_id, junho_id = minji.id, junho.id
    with db.session() as session:
        deleted = userdata.delete_user(session, minji_id)
    assert deleted["users"] == 1 and deleted["messages"] == 1 and deleted["login_failures"] == 1
    with db.session() as session:
        assert session.get(User, minji_id) is None
        for table, column in userdata.personal_tables():
            owner = "minji" if table.name in userdata.KEYED_BY_USERNAME else minji_id
            assert not session.execute(select(table).where(column == owner)).first(), table.name
        theirs = userdata.export_user(session, junho_id, NOW)
    assert all(theirs["tables"][name] for name in ("messages", "user_preferences", "taste_events", "web_sessions",
                                                   "api_tokens", "login_failures"))
    with db.session() as session:
        assert userdata.delete_user(session, minji_id) == {}  # already gone: nothing to do


def test_export_leaves_out_secrets_and_addresses(db):
    with db.session() as session:
        user_id = _person(session, "minji").id
    with db.session() as session:
        document = userdata.export_user(session, user_id, NOW)
    text = json.dumps(document, ensure_ascii=False)
    for secret in ("hash-minji", "csrf-minji", "cookie-minji", "10.1.2.3", "argon2"):
        assert secret not in text
    assert document["tables"]["api_tokens"][0] == {"id": document["tables"]["api_tokens"][0]["id"], "name": "노트북",
                                                   "prefix": "mch_abc", "created_at": NOW.isoformat(),
                                                   "last_used_at": None, "credentials_version": 0}
    assert document["user"]["username"] == "minji" and "password_hash" not in document["user"]
    with db.session() as session:
        assert userdata.export_user(session, user_id + 1000, NOW) is None


def test_cli_exports_deletes_and_sets_a_password(db_url, tmp_path, db):
    runner = CliRunner()
    with db.session() as session:
        _person(session, "지우")
    out = tmp_path / "export.json"
    result = runner.invoke(cli_app, ["user", "export", "--user", "지우", "--out", str(out), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["tables"]["messages"][0]["content"] == "지우: 비빔밥 좋아"

    result = runner.invoke(cli_app, ["user", "password", "--user", "지우", "--db", db_url],
                           input="short\nshort\n")
    assert result.exit_code == 1 and "비밀번호는" in result.output
    result = runner.invoke(cli_app, ["user", "password", "--user", "지우", "--db", db_url],
                           input="doenjang-jjigae-7\ndoenjang-jjigae-7\n")
    assert result.exit_code == 0, result.output
    with db.session() as session:
        user = crud.get_user_by_username(session, "지우")
        assert verify_password(user.password_hash, "doenjang-jjigae-7")
        assert not session.scalars(select(WebSession).where(WebSession.user_id == user.id)).all()
        assert not session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()

    result = runner.invoke(cli_app, ["user", "delete", "--user", "지우", "--db", db_url], input="지아\n")
    assert result.exit_code == 1 and "삭제하지 않았어요" in result.output
    result = runner.invoke(cli_app, ["user", "delete", "--user", "지우", "--db", db_url], input="지우\n")
    assert result.exit_code == 0 and "지우를 삭제했어요" in result.output, result.output
    result = runner.invoke(cli_app, ["user", "export", "--user", "지우", "--db", db_url])
    assert result.exit_code == 1 and "'지우'가 없어요" in result.output
