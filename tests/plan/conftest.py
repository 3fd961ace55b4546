"""A dialogue manager over a fresh database with a fixed clock (lunch time in Seoul), as in the
conversation tests (copied, not imported: test folders do not import each other)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mechuri.config import Settings
from mechuri.conversation import DialogueManager

LUNCH = datetime(2026, 11, 28, 12, 10, tzinfo=ZoneInfo("Asia/Seoul"))


class Chat:
    """One user talking to mechuri: ``chat("오늘 하루 식단 짜줘")`` returns the Turn."""

    def __init__(self, manager: DialogueManager, username: str) -> None:
        self.manager = manager
        self.user_id = manager.user_id_for(username)

    def __call__(self, text: str):
        return self.manager.respond(self.user_id, text)


@pytest.fixture
def manager(db) -> DialogueManager:
    return DialogueManager(db, Settings(database_url=db.url), clock=lambda: LUNCH)


@pytest.fixture
def chat(manager) -> Chat:
    return Chat(manager, "jiwoo")


@pytest.fixture
def db_url(sqlite_url) -> str:
    """SQLite only: plans reach the database through ``mechuri.memory`` alone, whose queries the memory
    and conversation tests already run on both databases; running every week plan twice would only
    double this folder's time."""
    return sqlite_url
