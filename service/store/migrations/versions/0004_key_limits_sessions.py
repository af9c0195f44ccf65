"""Per-key rate limits and quotas; review sessions kept server-side so log-out ends them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    # Existing keys keep NULL: the configured default applies to them.
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("rpm", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("chars_per_day", sa.BigInteger(), nullable=True))
    op.create_table(
        "review_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created", UTC_TIME, nullable=False),
        sa.Column("expires", UTC_TIME, nullable=False),
    )
    op.create_index("ix_review_sessions_user", "review_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_review_sessions_user", table_name="review_sessions")
    op.drop_table("review_sessions")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("chars_per_day")
        batch.drop_column("rpm")
