"""Storing taste feedback and reading a person's taste model back from it.

The events are the truth and the model is derived: it is relearned from the events on demand (a person
has at most a few hundred, and one update is a handful of multiplications), so there is no second copy to
drift, and 「내 입맛 초기화」 is simply deleting the events.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import get_args

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mechuri.db.models import Message, TasteEvent, User
from mechuri.knowledge.foods import FoodTable
from mechuri.recommend.taste import FeedbackKind, TasteModel
from mechuri.recommend.taste import TasteEvent as Event

KINDS: tuple[str, ...] = get_args(FeedbackKind)
MAX_EVENTS = 500
"""The latest events a model is learned from: old habits fade, and a model stays cheap to relearn."""


def record_feedback(session: Session, user: User, dishes: Iterable[str], kind: FeedbackKind,
                    source_message: Message | None = None) -> int:
    """Store one event per dish (in order); returns how many were stored."""
    if kind not in KINDS:
        raise ValueError(f"unknown feedback kind {kind!r}; known: {', '.join(KINDS)}")
    count = 0
    for name in dict.fromkeys(dishes):
        session.add(TasteEvent(user_id=user.id, food_name=name, kind=kind,
                               message_id=source_message.id if source_message is not None else None))
        count += 1
    session.flush()
    return count


def taste_events(session: Session, user: User, limit: int = MAX_EVENTS) -> list[Event]:
    """The user's latest ``limit`` events, oldest first."""
    rows = session.execute(select(TasteEvent.food_name, TasteEvent.kind).where(TasteEvent.user_id == user.id)
                           .order_by(TasteEvent.id.desc()).limit(limit)).all()
    return [Event(name, kind) for name, kind in reversed(rows) if kind in KINDS]


def load_taste(session: Session, user: User, table: FoodTable) -> TasteModel:
    """The user's taste model, learned from their stored events."""
    return TasteModel.learn(taste_events(session, user), table)


def reset_taste(session: Session, user: User) -> int:
    """Forget everything learned about the user's taste; returns how many events were deleted."""
    result = session.execute(delete(TasteEvent).where(TasteEvent.user_id == user.id))
    return int(result.rowcount or 0)
