"""A dialogue manager over a fresh database with a fixed clock (lunch time in Seoul)."""

from __future__ import annotations

from datetime import datetime

import pytest

from chatting import LUNCH, Chat
from mechuri.config import Settings
from mechuri.conversation import DialogueManager


class Clock:
    """A clock the test moves by hand, so 'today' and meal inference are reproducible."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(LUNCH)


@pytest.fixture
def manager(db, clock) -> DialogueManager:
    return DialogueManager(db, Settings(database_url=db.url), clock=clock)




@pytest.fixture
def chat(manager) -> Chat:
    return Chat(manager, "jiwoo")
