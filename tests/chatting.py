"""One user talking to mechuri, shared by the conversation and plan tests (rootdir-importable like tiny_models)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from mechuri.conversation import DialogueManager

LUNCH = datetime(2026, 11, 28, 12, 10, tzinfo=ZoneInfo("Asia/Seoul"))
"""A Saturday lunch time in Seoul: 'today' and meal inference are reproducible."""


class Chat:
    """One user talking to mechuri: ``chat("점심 추천해줘")`` returns the Turn."""

    def __init__(self, manager: DialogueManager, username: str) -> None:
        self.manager = manager
        self.user_id = manager.user_id_for(username)

    def __call__(self, text: str):
        return self.manager.respond(self.user_id, text)
