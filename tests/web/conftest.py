"""The web app in-process over a real database (SQLite file and PostgreSQL), and people using it.

``Visitor`` is one browser: its own cookie jar, and the CSRF token it was given at log-in, sent on
every state-changing request the way the page's script does. Chat turns are answered by the real
``DialogueManager`` (understanding, memory, recommendations, storage, ``reply_id``, the recommendation
log) whose writer is ``ScriptedWriter``: it phrases each Turn as three fixed pieces, instantly and
predictably, and can be told to be slow or to fail midway. The scenario tests use the shipped writer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mechuri.config import Settings
from mechuri.conversation import DialogueManager, Turn
from mechuri.db import Database
from mechuri.knowledge import load_food_table
from mechuri.web import create_app

PASSWORD = "bibimbap-at-noon"
TABLE = load_food_table()
DISH = TABLE.get("비빔밥") or next(iter(TABLE))


def scripted_pieces(turn: Turn) -> list[str]:
    """What ``ScriptedWriter`` says: the first recommended dish by name, else a fixed line; three pieces."""
    if turn.recommendations:
        return ["오늘은 ", f"{turn.recommendations[0].name} ", "어때요?"]
    return ["네, ", "말씀 ", "잘 들었어요."]


class ScriptedWriter:
    """A ``ReplyWriter`` for the real dialogue manager: ``scripted_pieces(turn)``, one piece at a time.

    ``delay`` slows each piece (to stop a stream midway); ``fail_after`` makes it raise ``error`` after
    that many pieces; ``started`` and ``finished`` let a test wait for a turn running in the server's
    thread (``finished``: every piece was written; the manager stores the reply right after).
    """

    name = "scripted"

    def __init__(self) -> None:
        self.delay = 0.0
        self.fail_after: int | None = None
        self.error: Exception = RuntimeError("secret internal detail")
        self.started = threading.Event()
        self.finished = threading.Event()

    def stream(self, turn: Turn) -> Iterator[str]:
        self.started.set()
        for number, piece in enumerate(scripted_pieces(turn)):
            if self.fail_after is not None and number >= self.fail_after:
                raise self.error
            time.sleep(self.delay)
            yield piece
        self.finished.set()

    def write(self, turn: Turn) -> str:
        return "".join(self.stream(turn))


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


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
def writer() -> ScriptedWriter:
    return ScriptedWriter()


@pytest.fixture
def dialogue(web_db, settings, writer) -> DialogueManager:
    """The real dialogue manager over the test database, phrasing with ``writer``."""
    return DialogueManager(web_db, settings, writer=writer)


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
