"""Turn state on user messages: a question stored while its turn runs is ``pending``; a turn that never
finished (the process was killed, the turn raised) is ``failed``, shown with a retry; NULL is answered.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("state", sa.String(16), nullable=True))
    op.create_index("ix_messages_state", "messages", ["state", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_messages_state", table_name="messages")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("state")
