"""Review events (approve, reject, comments) and the translation memory of approved edits.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "version_id",
            sa.Integer(),
            sa.ForeignKey("versions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created", UTC_TIME, nullable=False),
    )
    op.create_index("ix_review_events_version", "review_events", ["version_id", "id"])
    op.create_table(
        "tm_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_lang", sa.String(8), nullable=False),
        sa.Column("target_lang", sa.String(8), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("article_id", sa.String(200), nullable=True),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("editor", sa.String(200), nullable=False),
        sa.Column("created", UTC_TIME, nullable=False),
        sa.UniqueConstraint("source_lang", "target_lang", "source_hash", name="uq_tm_pair_source"),
    )


def downgrade() -> None:
    op.drop_table("tm_entries")
    op.drop_index("ix_review_events_version", table_name="review_events")
    op.drop_table("review_events")
