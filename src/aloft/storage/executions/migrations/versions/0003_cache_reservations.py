"""Cache reservations: who computes a serialized cached task's outputs now.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the reservations table."""
    op.create_table(
        "cache_reservations",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("owner", sa.String, nullable=False),
        sa.Column("expires", sa.Float, nullable=False),
    )
    op.create_index("ix_cache_reservations_owner", "cache_reservations", ["owner"])


def downgrade() -> None:
    """Drop the reservations table."""
    op.drop_index("ix_cache_reservations_owner", table_name="cache_reservations")
    op.drop_table("cache_reservations")
