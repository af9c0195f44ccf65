"""Where each memory entry came from: an editor's approval, an imported TMX/CSV file, or the
aligned bilingual archive. Imported entries are reused like approved ones; archive pairs are
offered as suggestions and reused exactly only once confirmed (issue 12).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every entry stored before this migration was taught by an editor's approval.
    with op.batch_alter_table("tm_entries") as batch:
        batch.add_column(
            sa.Column("origin", sa.String(16), nullable=False, server_default="editor")
        )


def downgrade() -> None:
    with op.batch_alter_table("tm_entries") as batch:
        batch.drop_column("origin")
