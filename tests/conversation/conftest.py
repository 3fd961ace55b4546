"""A dialogue manager over a fresh database with a fixed clock (lunch time in Seoul)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mechuri.config import Settings
from mechuri.conversation import DialogueManager

LUNCH = datetime(2026, 11, 28, 12, 10, tzinfo=ZoneInfo("Asia/Seoul"))


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


class Chat:
    """One user talking to mechuri: ``chat("점심 추천해줘")`` returns the Turn."""

    def __init__(self, manager: DialogueManager, username: str) -> None:
        self.manager = manager
        self.user_id = manager.user_id_for(username)

    def __call__(self, text: str):
        return self.manager.respond(self.user_id, text)


@pytest.fixture
def chat(manager) -> Chat:
    return Chat(manager, "jiwoo")
