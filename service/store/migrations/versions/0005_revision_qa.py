"""QA flags stored with each revision: computed once when a draft is made or an editor saves,
so that reads (the API, the queue's counts) never run the checks again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL on revisions stored before the checks existed: they were never checked (read as no
    # flags), which is not the same as checked and clean, hence no default.
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("qa", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("qa")
