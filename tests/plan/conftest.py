"""A dialogue manager over a fresh database with a fixed clock (lunch time in Seoul), as in the
conversation tests (copied, not imported: test folders do not import each other)."""

from __future__ import annotations

import pytest

from chatting import LUNCH, Chat
from mechuri.config import Settings
from mechuri.conversation import DialogueManager


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
