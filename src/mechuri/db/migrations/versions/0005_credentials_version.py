"""Credentials version: ``users.credentials_version`` moves by one on every password change, in the UPDATE that
checks it, and each session and API token keeps the version its password was checked under. A log-in that
checked the old password while a change committed, or two changes from one old password, can then never
leave a session alive or both succeed: a session or token whose version is not its user's is dead.

Existing rows start at 0 on both sides, so every session and token alive before this migration stays alive.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("users", "web_sessions", "api_tokens")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("credentials_version", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("credentials_version")
