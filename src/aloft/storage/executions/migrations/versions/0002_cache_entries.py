"""The cache catalog: one row per cached task output.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the catalog table."""
    op.create_table(
        "cache_entries",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("task", sa.String, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("entry", sa.Text, nullable=False),
    )
    op.create_index("ix_cache_entries_task", "cache_entries", ["task"])


def downgrade() -> None:
    """Drop the catalog table."""
    op.drop_index("ix_cache_entries_task", table_name="cache_entries")
    op.drop_table("cache_entries")
