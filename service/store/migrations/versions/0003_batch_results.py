"""Distributed archive batches: jobs and one result row per (job, article).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UTC_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "batch_jobs",
        sa.Column("job_id", sa.String(200), primary_key=True),
        sa.Column("input", sa.Text(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("submitted", UTC_TIME, nullable=False),
    )
    op.create_table(
        "batch_results",
        sa.Column(
            "job_id",
            sa.String(200),
            sa.ForeignKey("batch_jobs.job_id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("article_id", sa.String(200), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated", UTC_TIME, nullable=False),
    )
    op.create_index("ix_batch_results_job_seq", "batch_results", ["job_id", "seq"])
    op.create_index("ix_batch_results_job_status", "batch_results", ["job_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_batch_results_job_status", table_name="batch_results")
    op.drop_index("ix_batch_results_job_seq", table_name="batch_results")
    op.drop_table("batch_results")
    op.drop_table("batch_jobs")
