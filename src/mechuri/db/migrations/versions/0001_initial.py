"""Initial schema: users, messages, user_preferences, meal_logs, recommendation_logs.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _timestamp(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("sex", sa.String(1)),
        sa.Column("birth_year", sa.Integer),
        sa.Column("height_cm", sa.Float),
        sa.Column("weight_kg", sa.Float),
        sa.Column("activity_level", sa.String(16)),
        sa.Column("goal", sa.String(16)),
        _timestamp("created_at"),
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        _timestamp("created_at"),
        sa.Column("meta", sa.JSON, nullable=False),
    )
    op.create_index("ix_messages_user_created", "messages", ["user_id", "created_at"])
    op.create_table(
        "user_preferences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("source_message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="SET NULL")),
        _timestamp("created_at"),
        sa.UniqueConstraint("user_id", "kind", "value", name="uq_user_preferences_kind_value"),
    )
    op.create_table(
        "meal_logs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        _timestamp("eaten_at"),
        sa.Column("meal_type", sa.String(8), nullable=False),
        sa.Column("food_name", sa.String(64), nullable=False),
        sa.Column("servings", sa.Float, nullable=False),
        sa.Column("nutrition", sa.JSON, nullable=False),
        sa.Column("source_message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="SET NULL")),
        _timestamp("created_at"),
    )
    op.create_index("ix_meal_logs_user_eaten", "meal_logs", ["user_id", "eaten_at"])
    op.create_table(
        "recommendation_logs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("food_name", sa.String(64), nullable=False),
        sa.Column("message_id", sa.Integer, sa.ForeignKey("messages.id", ondelete="SET NULL")),
        _timestamp("created_at"),
    )
    op.create_index("ix_recommendation_logs_user_created", "recommendation_logs", ["user_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_recommendation_logs_user_created", table_name="recommendation_logs")
    op.drop_table("recommendation_logs")
    op.drop_index("ix_meal_logs_user_eaten", table_name="meal_logs")
    op.drop_table("meal_logs")
    op.drop_table("user_preferences")
    op.drop_index("ix_messages_user_created", table_name="messages")
    op.drop_table("messages")
    op.drop_table("users")
