"""Who confirmed an archive memory entry, and when. Pairs aligned from the outlet's bilingual
archive (`newsdesk tm align`) are offered to editors as suggestions and reused exactly only
once an editor has confirmed them (or the outlet opts in with NEWSDESK_ARCHIVE_MEMORY).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tm_entries") as batch:
        batch.add_column(sa.Column("confirmed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tm_entries") as batch:
        batch.drop_column("confirmed_at")
        batch.drop_column("confirmed_by")
