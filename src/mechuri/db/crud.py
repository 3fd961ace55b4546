"""Plain create/read/update/delete functions over the models, shared by the CLI, the chat and the web app.

Each function takes a ``Session`` and plain values and leaves committing to the caller's unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from mechuri.db.models import (
    MEAL_TYPES,
    MESSAGE_STATES,
    PREFERENCE_KINDS,
    MealLog,
    Message,
    RecommendationLog,
    User,
    UserPreference,
    utcnow,
)
from mechuri.security import hash_password

USERNAME_MAX = 64


class NotFoundError(LookupError):
    """The row asked for does not exist (or belongs to someone else)."""


def create_user(session: Session, username: str, *, password: str | None = None,
                display_name: str | None = None, **profile: Any) -> User:
    """A new user; ``password`` is stored only as an argon2id hash. Raises ValueError for a bad name."""
    username = username.strip()
    if not username or len(username) > USERNAME_MAX:
        raise ValueError(f"username must be 1–{USERNAME_MAX} characters")
    user = User(
        username=username,
        password_hash=hash_password(password) if password is not None else None,
        display_name=(display_name or username).strip()[:USERNAME_MAX],
        **profile,
    )
    session.add(user)
    session.flush()
    return user


def get_user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username.strip())).one_or_none()


def get_or_create_user(session: Session, username: str) -> User:
    """The CLI's users exist as soon as they are named (no password: they cannot log in on the web)."""
    return get_user_by_username(session, username) or create_user(session, username)


def update_profile(session: Session, user: User, **profile: Any) -> User:
    """Set profile fields (sex, birth_year, height_cm, weight_kg, activity_level, goal, display_name)."""
    allowed = {"sex", "birth_year", "height_cm", "weight_kg", "activity_level", "goal", "display_name"}
    unknown = set(profile) - allowed
    if unknown:
        raise ValueError(f"unknown profile fields: {sorted(unknown)}")
    for key, value in profile.items():
        setattr(user, key, value)
    session.flush()
    return user


def add_message(session: Session, user: User, role: str, content: str,
                meta: dict[str, Any] | None = None, created_at: datetime | None = None,
                state: str | None = None) -> Message:
    """Store one chat message; the user's message is stored before any model sees it (``state`` pending
    while its turn runs)."""
    if role not in ("user", "assistant"):
        raise ValueError(f"role must be user or assistant, not {role!r}")
    if state is not None and (role != "user" or state not in MESSAGE_STATES):
        raise ValueError(f"state must be one of {MESSAGE_STATES}, on a user message")
    message = Message(user_id=user.id, role=role, content=content, meta=meta or {},
                      created_at=created_at or utcnow(), state=state)
    session.add(message)
    session.flush()
    return message


def list_messages(session: Session, user: User, *, limit: int = 50,
                  before_id: int | None = None) -> list[Message]:
    """The user's messages, oldest first, at most ``limit`` of them ending before ``before_id``."""
    query = select(Message).where(Message.user_id == user.id)
    if before_id is not None:
        query = query.where(Message.id < before_id)
    rows = session.scalars(query.order_by(Message.id.desc()).limit(limit)).all()
    return list(reversed(rows))


def fail_turn(session: Session, message_id: int) -> None:
    """Mark a question whose turn raised as failed (it is shown with a retry); an answered one stays answered."""
    session.execute(update(Message).where(Message.id == message_id, Message.state == "pending")
                    .values(state="failed"))


def fail_stale_turns(session: Session, older_than: datetime) -> int:
    """Mark failed every question still pending since before ``older_than``: its turn's process is gone (a
    live turn stores its answer long before; see ``Settings.turn_lease_s``). One atomic UPDATE, so any
    number of processes may sweep at once; returns how many were marked."""
    result = session.execute(update(Message).where(Message.role == "user", Message.state == "pending",
                                                   Message.created_at < older_than).values(state="failed"))
    return int(result.rowcount or 0)


def set_preference(session: Session, user: User, kind: str, value: str,
                   source_message: Message | None = None) -> UserPreference:
    """Remember a preference; saying the same thing again keeps one row (refreshing its source)."""
    if kind not in PREFERENCE_KINDS:
        raise ValueError(f"kind must be one of {PREFERENCE_KINDS}, not {kind!r}")
    value = value.strip()
    if not value or len(value) > 64:
        raise ValueError("value must be 1–64 characters")
    existing = session.scalars(
        select(UserPreference).where(UserPreference.user_id == user.id, UserPreference.kind == kind,
                                     UserPreference.value == value)
    ).one_or_none()
    if existing is not None:
        if source_message is not None:
            existing.source_message_id = source_message.id
        return existing
    preference = UserPreference(user_id=user.id, kind=kind, value=value,
                                source_message_id=source_message.id if source_message else None)
    session.add(preference)
    session.flush()
    return preference


def list_preferences(session: Session, user: User, kinds: Iterable[str] | None = None) -> list[UserPreference]:
    query = select(UserPreference).where(UserPreference.user_id == user.id)
    if kinds is not None:
        query = query.where(UserPreference.kind.in_(list(kinds)))
    return list(session.scalars(query.order_by(UserPreference.id)).all())


def delete_preference(session: Session, user: User, preference_id: int) -> None:
    """Delete one of the user's own preferences; another user's id is treated as not found."""
    result = session.execute(
        delete(UserPreference).where(UserPreference.id == preference_id, UserPreference.user_id == user.id)
    )
    if result.rowcount == 0:
        raise NotFoundError(f"preference {preference_id} not found")


def remove_preference_value(session: Session, user: User, kind: str, value: str) -> bool:
    """Forget ``kind``/``value`` if remembered; True when something was removed."""
    result = session.execute(
        delete(UserPreference).where(UserPreference.user_id == user.id, UserPreference.kind == kind,
                                     UserPreference.value == value)
    )
    return result.rowcount > 0


def log_meal(session: Session, user: User, *, food_name: str, meal_type: str, servings: float,
             nutrition: dict[str, Any], eaten_at: datetime | None = None,
             source_message: Message | None = None) -> MealLog:
    """Record a meal with its nutrition snapshot (already scaled to ``servings``)."""
    if meal_type not in MEAL_TYPES:
        raise ValueError(f"meal_type must be one of {MEAL_TYPES}, not {meal_type!r}")
    if not 0 < servings <= 20:
        raise ValueError("servings must be more than 0 and at most 20")
    meal = MealLog(user_id=user.id, food_name=food_name, meal_type=meal_type, servings=servings,
                   nutrition=dict(nutrition), eaten_at=eaten_at or utcnow(),
                   source_message_id=source_message.id if source_message else None)
    session.add(meal)
    session.flush()
    return meal


def meals_between(session: Session, user: User, start: datetime, end: datetime) -> list[MealLog]:
    """Meals eaten in ``[start, end)``, in the order they were eaten."""
    return list(session.scalars(
        select(MealLog).where(MealLog.user_id == user.id, MealLog.eaten_at >= start, MealLog.eaten_at < end)
        .order_by(MealLog.eaten_at, MealLog.id)
    ).all())


def get_meal(session: Session, user: User, meal_id: int) -> MealLog:
    """One of the user's own logged meals; another user's id is treated as not found."""
    meal = session.scalars(select(MealLog).where(MealLog.id == meal_id, MealLog.user_id == user.id)).one_or_none()
    if meal is None:
        raise NotFoundError(f"meal {meal_id} not found")
    return meal


def delete_meal(session: Session, user: User, meal_id: int) -> None:
    result = session.execute(delete(MealLog).where(MealLog.id == meal_id, MealLog.user_id == user.id))
    if result.rowcount == 0:
        raise NotFoundError(f"meal {meal_id} not found")


def log_recommendations(session: Session, user: User, food_names: Sequence[str],
                        message: Message | None = None) -> None:
    for name in food_names:
        session.add(RecommendationLog(user_id=user.id, food_name=name,
                                      message_id=message.id if message else None))
    session.flush()


def recommended_since(session: Session, user: User, since: datetime) -> list[RecommendationLog]:
    return list(session.scalars(
        select(RecommendationLog).where(RecommendationLog.user_id == user.id,
                                        RecommendationLog.created_at >= since)
        .order_by(RecommendationLog.id)
    ).all())
