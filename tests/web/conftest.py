"""The web app in-process over a real database (SQLite file and PostgreSQL), and people using it.

``Visitor`` is one browser: its own cookie jar, and the CSRF token it was given at log-in, sent on
every state-changing request the way the page's script does. Most tests answer chat turns with
``ScriptedDialogue``, which stores messages exactly as ``DialogueManager`` promises (user message first,
reply with its Turn in ``meta``) but answers instantly and predictably; the scenario tests use the real
dialogue manager.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mechuri.config import Settings
from mechuri.conversation import Turn, validate_message
from mechuri.conversation.turn import Recommendation
from mechuri.db import Database, crud
from mechuri.db.models import User
from mechuri.knowledge import load_food_table
from mechuri.web import create_app

PASSWORD = "bibimbap-at-noon"
TABLE = load_food_table()
DISH = TABLE.get("비빔밥") or next(iter(TABLE))


class ScriptedDialogue:
    """A stand-in for ``DialogueManager``: same storage promises, a fixed answer recommending one dish.

    ``delay`` slows the pieces (to stop a stream midway); ``fail_after`` makes the turn raise after that
    many pieces; ``started`` and ``finished`` let a test wait for a turn running in the server's thread.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.delay = 0.0
        self.fail_after: int | None = None
        self.started = threading.Event()
        self.finished = threading.Event()

    def stream(self, user_id: int, text: str) -> Iterator[str | Turn]:
        text = validate_message(text)
        self.started.set()
        with self.db.session() as session:
            user = session.get(User, user_id)
            message_id = crud.add_message(session, user, "user", text).id
        dish = DISH
        turn = Turn(reply="", intent="recommend", message_id=message_id, recommendations=[
            Recommendation(**dish.to_dict(), reason="채소가 많아 균형이 좋아요.")])
        pieces = ["오늘은 ", f"{dish.name} ", "어때요?"]
        for number, piece in enumerate(pieces):
            if self.fail_after is not None and number >= self.fail_after:
                raise RuntimeError("secret internal detail")
            time.sleep(self.delay)
            yield piece
        turn.reply = "".join(pieces)
        with self.db.session() as session:
            user = session.get(User, user_id)
            reply = crud.add_message(session, user, "assistant", turn.reply,
                                     meta=turn.model_dump(mode="json", exclude={"reply"}))
            turn.reply_id = reply.id
        self.finished.set()
        yield turn

    def respond(self, user_id: int, text: str) -> Turn:
        *_, turn = self.stream(user_id, text)
        assert isinstance(turn, Turn)
        return turn


class Visitor:
    """One browser on the app: cookies kept, the CSRF token sent like ``app.js`` sends it."""

    def __init__(self, app, base_url: str = "http://testserver") -> None:
        self.client = TestClient(app, base_url=base_url, raise_server_exceptions=False)
        self.csrf = ""

    def signup(self, username: str = "minji", password: str = PASSWORD, display_name: str = "민지"):
        response = self.client.post("/api/auth/signup", json={"username": username, "password": password,
                                                              "display_name": display_name})
        if response.status_code == 201:
            self.csrf = response.json()["csrf_token"]
        return response

    def login(self, username: str = "minji", password: str = PASSWORD):
        response = self.client.post("/api/auth/login", json={"username": username, "password": password})
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
        return response

    def get(self, url: str, **kwargs: Any):
        return self.client.get(url, **kwargs)

    def send(self, method: str, url: str, json: Any = None, **kwargs: Any):
        headers = {"X-CSRF-Token": self.csrf, **kwargs.pop("headers", {})}
        return self.client.request(method, url, json=json, headers=headers, **kwargs)

    def post(self, url: str, json: Any = None, **kwargs: Any):
        return self.send("POST", url, json, **kwargs)

    def put(self, url: str, json: Any = None, **kwargs: Any):
        return self.send("PUT", url, json, **kwargs)

    def delete(self, url: str, **kwargs: Any):
        return self.send("DELETE", url, **kwargs)

    def say(self, text: str) -> dict[str, Any]:
        response = self.post("/api/chat", {"message": text})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:
    return Settings(database_url=db_url, data_dir=tmp_path)


@pytest.fixture
def web_db(settings) -> Iterator[Database]:
    """The app's database, opened separately so tests can look at what was stored."""
    database = Database(settings.resolved_database_url)
    yield database
    database.dispose()


@pytest.fixture
def dialogue(web_db) -> ScriptedDialogue:
    return ScriptedDialogue(web_db)


def _close(app) -> None:
    state = app.state.mechuri
    state.executor.shutdown(wait=True)
    state.db.dispose()


@pytest.fixture
def app(settings, dialogue):
    application = create_app(settings, dialogue=dialogue)
    yield application
    _close(application)


@pytest.fixture
def make_app(settings, dialogue):
    """More app instances on the same database: the workers of one deployment."""
    made = []

    def make():
        made.append(create_app(settings, dialogue=dialogue))
        return made[-1]

    yield make
    for application in made:
        _close(application)


@pytest.fixture
def visitor(app) -> Visitor:
    return Visitor(app)


@pytest.fixture
def minji(app) -> Visitor:
    person = Visitor(app)
    assert person.signup("minji", display_name="민지").status_code == 201
    return person


@pytest.fixture
def junho(app) -> Visitor:
    person = Visitor(app)
    assert person.signup("junho", display_name="준호").status_code == 201
    return person
