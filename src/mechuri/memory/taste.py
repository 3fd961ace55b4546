"""Storing taste feedback and reading a person's taste model back from it.

The events are the truth and the model is derived: it is relearned from the events on demand (a person
has at most a few hundred, and one update is a handful of multiplications), so there is no second copy to
drift, and 「내 입맛 초기화」 is simply deleting the events.

Relearning 500 events is still ≈ 9 ms of pure Python on every recommendation, for a model that is the
same as on the person's previous request unless they did something since. So the last model learned per
user is kept in memory *with the exact events it was learned from*: when the events read now are the same,
it is reused; when they start with the same events (new ones were added and none dropped out of the
window), it is extended with the new ones only — learning is sequential, so that is the same model.
Anything else (a reset, the window moving past ``MAX_EVENTS``, another database with other events) fails
the comparison and relearns from scratch: the cache is keyed by what the model is a function of, never
trusted by id or time, and can never answer with a stale taste.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class _Learned:
    table: FoodTable
    events: tuple[Event, ...]
    model: TasteModel


_learned: OrderedDict[int, _Learned] = OrderedDict()
_lock = threading.Lock()
CACHED_USERS = 512
"""Users whose last model is kept (least recently used dropped): ~400 features each, a few hundred kB in all."""


def load_taste(session: Session, user: User, table: FoodTable) -> TasteModel:
    """The user's taste model, learned from their stored events (reusing the last model learned for them
    when the events it came from are still the start of theirs: see the module docstring)."""
    events = tuple(taste_events(session, user))
    with _lock:
        last = _learned.get(user.id)
    if last is not None and last.table is table and events[:len(last.events)] == last.events:
        model = last.model.copy().extend(events[len(last.events):], table)
    else:
        model = TasteModel.learn(events, table)
    with _lock:
        _learned[user.id] = _Learned(table, events, model.copy())
        _learned.move_to_end(user.id)
        while len(_learned) > CACHED_USERS:
            _learned.popitem(last=False)
    return model


def reset_taste(session: Session, user: User) -> int:
    """Forget everything learned about the user's taste; returns how many events were deleted."""
    result = session.execute(delete(TasteEvent).where(TasteEvent.user_id == user.id))
    return int(result.rowcount or 0)
