"""SQLAlchemy 2 models: the tables every part of mechuri stores its state in.

The schema itself is owned by the Alembic migrations in ``db/migrations``; these classes must
match them (a test compares the two on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

PREFERENCE_KINDS = ("like", "dislike", "allergy", "diet", "goal")
"""What a user preference row can say: a taste liked or disliked, an allergy, a diet, or a goal."""

MEAL_TYPES = ("아침", "점심", "저녁", "간식", "야식")


def utcnow() -> datetime:
    """Timestamps are stored as timezone-aware UTC; display converts to the settings' timezone."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC and always read back timezone-aware.

    SQLite has no timezone type and SQLAlchemy writes only the wall-clock digits, so a Seoul-time value
    would silently shift by nine hours; converting to UTC on the way in and tagging UTC on the way out
    makes both databases compare and return the same instants.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with JSON mapped generically so SQLite and PostgreSQL both work."""

    type_annotation_map = {dict[str, Any]: JSON}  # noqa: RUF012 - SQLAlchemy reads this class attribute


class User(Base):
    """A person who chats with mechuri; the optional profile feeds their nutrition targets."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(64), nullable=False)
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    height_cm: Mapped[float | None] = mapped_column(Float)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    activity_level: Mapped[str | None] = mapped_column(String(16))
    goal: Mapped[str | None] = mapped_column(String(16))
    credentials_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    """Moves by one on every password change, in the same UPDATE that checks it (``web.accounts``): a session
    or API token carries the version its password was checked under and is dead once this moves on."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    messages: Mapped[list[Message]] = relationship(back_populates="user", cascade="all, delete-orphan")
    preferences: Mapped[list[UserPreference]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    meals: Mapped[list[MealLog]] = relationship(back_populates="user", cascade="all, delete-orphan")


MESSAGE_STATES = ("pending", "failed")
"""A user message's turn: ``pending`` while it runs, ``failed`` when it never finished (NULL: answered)."""


class Message(Base):
    """One chat message; ``meta`` holds the structured turn (intent, recommendations …) as JSON.

    ``state`` is set on user messages only: ``pending`` from the moment the question is stored until the
    transaction that stores its answer (and any memory change) commits, ``failed`` when that never
    happened (``crud.fail_stale_turns``); NULL once answered."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_user_created", "user_id", "created_at"),
                      Index("ix_messages_state", "state", "created_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    state: Mapped[str | None] = mapped_column(String(16))

    user: Mapped[User] = relationship(back_populates="messages")


class UserPreference(Base):
    """A like, dislike, allergy, diet or goal, remembered with the message it came from."""

    __tablename__ = "user_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind", "value", name="uq_user_preferences_kind_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    value: Mapped[str] = mapped_column(String(64), nullable=False)
    source_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    user: Mapped[User] = relationship(back_populates="preferences")


class MealLog(Base):
    """A meal the user ate, with the knowledge base's nutrition for the servings eaten (a snapshot,
    so later edits of the food table do not rewrite history)."""

    __tablename__ = "meal_logs"
    __table_args__ = (Index("ix_meal_logs_user_eaten", "user_id", "eaten_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    eaten_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    meal_type: Mapped[str] = mapped_column(String(8), nullable=False)
    food_name: Mapped[str] = mapped_column(String(64), nullable=False)
    servings: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)
    nutrition: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    source_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    user: Mapped[User] = relationship(back_populates="meals")


class RecommendationLog(Base):
    """A menu mechuri recommended, so later recommendations can prefer something new."""

    __tablename__ = "recommendation_logs"
    __table_args__ = (Index("ix_recommendation_logs_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    food_name: Mapped[str] = mapped_column(String(64), nullable=False)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class TasteEvent(Base):
    """One thing a person did about a dish — chose it from a list, ate it, skipped it with 「다른 거」, liked or
    disliked it — in order; the taste model (``recommend.taste``) is learned from these, and deleting them
    resets it (「내 입맛 초기화」)."""

    __tablename__ = "taste_events"
    __table_args__ = (Index("ix_taste_events_user_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    food_name: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class WebSession(Base):
    """A logged-in browser: the cookie's token is stored only as a SHA-256 digest, so a leaked database
    cannot be replayed as cookies; kept in the database so every web worker sees the same sessions."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_expires", "expires_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    credentials_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    """The user's ``credentials_version`` when the password that opened this session was checked."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class LoginFailure(Base):
    """One failed log-in, per username and client address, so rate limiting works across workers."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_created", "username", "created_at"),
        Index("ix_login_failures_ip_created", "client_ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    client_ip: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)


class ApiToken(Base):
    """A personal API token for the OpenAI-compatible endpoint; shown once, stored as a SHA-256 digest."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    credentials_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    """The ``credentials_version`` of the session or token that made this one."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
