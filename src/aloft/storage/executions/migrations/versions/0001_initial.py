"""The first schema: executions, their node and attempt records, and the event log.

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the tables and their indexes."""
    op.create_table(
        "executions",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("project", sa.String, nullable=False),
        sa.Column("domain", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("phase", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("pending", sa.Boolean, nullable=False),
        sa.Column("lease_owner", sa.String, nullable=False),
        sa.Column("lease_expires", sa.Float, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.UniqueConstraint("project", "domain", "name", name="uq_executions_name"),
    )
    op.create_index("ix_executions_phase", "executions", ["phase", "id"])
    op.create_index("ix_executions_lease_owner", "executions", ["lease_owner"])
    op.create_table(
        "execution_specs",
        sa.Column("execution_id", _ROW_ID, sa.ForeignKey("executions.id"), primary_key=True),
        sa.Column("spec", sa.Text, nullable=False),
    )
    op.create_table(
        "nodes",
        sa.Column("execution_id", _ROW_ID, sa.ForeignKey("executions.id"), primary_key=True),
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("phase", sa.String, nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("token", sa.String, primary_key=True),
        sa.Column("execution_id", _ROW_ID, sa.ForeignKey("executions.id"), nullable=False),
        sa.Column("node_key", sa.String, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("phase", sa.String, nullable=False),
        sa.Column("lease_expires", sa.Float, nullable=True),
    )
    op.create_index("ix_attempts_execution", "attempts", ["execution_id"])
    op.create_table(
        "events",
        sa.Column("seq", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("execution_id", _ROW_ID, sa.ForeignKey("executions.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("node_key", sa.String, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("phase", sa.String, nullable=False),
        sa.Column("event", sa.Text, nullable=False),
        sa.UniqueConstraint(
            "execution_id", "kind", "node_key", "attempt", "phase", name="uq_events_key"
        ),
    )


def downgrade() -> None:
    """Drop everything ``upgrade`` created."""
    for table in ("events", "attempts", "nodes", "execution_specs", "executions"):
        op.drop_table(table)
