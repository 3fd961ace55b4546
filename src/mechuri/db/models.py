"""SQLAlchemy 2 models: the tables every part of mechuri stores its state in.

The schema itself is owned by the Alembic migrations in ``db/migrations``; these classes must
match them (a test compares the two on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

PREFERENCE_KINDS = ("like", "dislike", "allergy", "diet", "goal")
"""What a user preference row can say: a taste liked or disliked, an allergy, a diet, or a goal."""

MEAL_TYPES = ("아침", "점심", "저녁", "간식", "야식")


def utcnow() -> datetime:
    """Timestamps are stored as timezone-aware UTC; display converts to the settings' timezone."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with JSON mapped generically so SQLite and PostgreSQL both work."""

    type_annotation_map = {dict[str, Any]: JSON}


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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    messages: Mapped[list[Message]] = relationship(back_populates="user", cascade="all, delete-orphan")
    preferences: Mapped[list[UserPreference]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    meals: Mapped[list[MealLog]] = relationship(back_populates="user", cascade="all, delete-orphan")


class Message(Base):
    """One chat message; ``meta`` holds the structured turn (intent, recommendations …) as JSON."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)

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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    user: Mapped[User] = relationship(back_populates="preferences")


class MealLog(Base):
    """A meal the user ate, with the knowledge base's nutrition for the servings eaten (a snapshot,
    so later edits of the food table do not rewrite history)."""

    __tablename__ = "meal_logs"
    __table_args__ = (Index("ix_meal_logs_user_eaten", "user_id", "eaten_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    eaten_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    meal_type: Mapped[str] = mapped_column(String(8), nullable=False)
    food_name: Mapped[str] = mapped_column(String(64), nullable=False)
    servings: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)
    nutrition: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    source_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)

    user: Mapped[User] = relationship(back_populates="meals")


class RecommendationLog(Base):
    """A menu mechuri recommended, so later recommendations can prefer something new."""

    __tablename__ = "recommendation_logs"
    __table_args__ = (Index("ix_recommendation_logs_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    food_name: Mapped[str] = mapped_column(String(64), nullable=False)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
