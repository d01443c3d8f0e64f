"""The registry (projects, entities, launch plan states), and the columns and indexes that
listings and metrics filter on.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add the listing columns and create the registry tables."""
    with op.batch_alter_table("executions") as batch:
        batch.add_column(sa.Column("workflow", sa.String, nullable=False, server_default=""))
        batch.add_column(sa.Column("launch_plan", sa.String, nullable=False, server_default=""))
        batch.add_column(sa.Column("labels", sa.Text, nullable=False, server_default="{}"))
    _fill_listing_columns()
    op.create_index("ix_executions_scope", "executions", ["project", "domain", "id"])
    op.create_index("ix_executions_workflow", "executions", ["workflow", "id"])
    op.create_index("ix_executions_launch_plan", "executions", ["launch_plan", "id"])
    op.create_index("ix_attempts_phase", "attempts", ["phase"])
    op.create_table(
        "projects",
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("resource_type", sa.String, nullable=False),
        sa.Column("project", sa.String, nullable=False),
        sa.Column("domain", sa.String, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("version", sa.String, nullable=False),
        sa.Column("digest", sa.String, nullable=False),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("closure", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.UniqueConstraint(
            "resource_type", "project", "domain", "name", "version", name="uq_entities_version"
        ),
    )
    op.create_index(
        "ix_entities_name", "entities", ["resource_type", "project", "domain", "name", "id"]
    )
    op.create_table(
        "launch_plan_states",
        sa.Column("project", sa.String, primary_key=True),
        sa.Column("domain", sa.String, primary_key=True),
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("active_version", sa.String, nullable=False),
        sa.Column("last_fired", sa.Float, nullable=True),
    )


def _fill_listing_columns() -> None:
    """Give executions stored before this revision their workflow, launch plan and labels,
    read from their specs (plain JSON: a migration must not depend on today's IR classes)."""
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT execution_id, spec FROM execution_specs")).all()
    update = sa.text(
        "UPDATE executions SET workflow = :workflow, launch_plan = :plan, labels = :labels "
        "WHERE id = :id"
    )
    for row_id, text in rows:
        spec = json.loads(text)
        plan = spec.get("launch_plan") or {}
        labels = json.dumps(spec.get("labels") or {}, sort_keys=True, separators=(",", ":"))
        workflow = spec["closure"]["workflow"]["id"]["name"]
        conn.execute(
            update,
            {"workflow": workflow, "plan": plan.get("name", ""), "labels": labels, "id": row_id},
        )


def downgrade() -> None:
    """Drop the registry tables and the listing columns."""
    op.drop_table("launch_plan_states")
    op.drop_index("ix_entities_name", table_name="entities")
    op.drop_table("entities")
    op.drop_table("projects")
    op.drop_index("ix_attempts_phase", table_name="attempts")
    for index in ("ix_executions_launch_plan", "ix_executions_workflow", "ix_executions_scope"):
        op.drop_index(index, table_name="executions")
    with op.batch_alter_table("executions") as batch:
        for column in ("labels", "launch_plan", "workflow"):
            batch.drop_column(column)
