"""The tables of the SQL execution store, the statements over them, and their rows.

Records are stored as the JSON documents ``aloft.ir.to_json`` writes; the columns beside
them hold what queries filter on. The migrations in ``migrations/versions`` create exactly
these tables (a test compares the two), so a change here needs a new migration.

``lease_expires`` of an attempt is read from its column, which heartbeats update, not from
the stored record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from msgspec import structs
from sqlalchemy.dialects import postgresql, sqlite

from aloft.ir import (
    AttemptRecord,
    Event,
    ExecutionId,
    ExecutionPhase,
    ExecutionRecord,
    NodeKey,
    NodePhase,
    NodeRecord,
    from_json,
    to_json,
)
from aloft.storage.executions.base import ExecutionQuery

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""A 64-bit surrogate key; ``INTEGER`` on SQLite, where only that makes it the rowid."""

metadata = sa.MetaData()

executions = sa.Table(
    "executions",
    metadata,
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
    sa.Column("workflow", sa.String, nullable=False, server_default=""),
    sa.Column("launch_plan", sa.String, nullable=False, server_default=""),
    sa.Column("labels", sa.Text, nullable=False, server_default="{}"),
    sa.UniqueConstraint("project", "domain", "name", name="uq_executions_name"),
    sa.Index("ix_executions_phase", "phase", "id"),
    sa.Index("ix_executions_lease_owner", "lease_owner"),
    sa.Index("ix_executions_scope", "project", "domain", "id"),
    sa.Index("ix_executions_workflow", "workflow", "id"),
    sa.Index("ix_executions_launch_plan", "launch_plan", "id"),
)
"""``workflow`` and ``launch_plan`` are the names of what an execution runs (the launch
plan's empty if none), ``labels`` its labels as JSON with sorted keys: filters of listings."""

specs = sa.Table(
    "execution_specs",
    metadata,
    sa.Column("execution_id", _ROW_ID, sa.ForeignKey("executions.id"), primary_key=True),
    sa.Column("spec", sa.Text, nullable=False),
)
"""What each execution runs, written once: apart from its record, which every step rewrites."""

nodes = sa.Table(
    "nodes",
    metadata,
    sa.Column("execution_id", _ROW_ID, sa.ForeignKey("executions.id"), primary_key=True),
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("phase", sa.String, nullable=False),
)

attempts = sa.Table(
    "attempts",
    metadata,
    sa.Column("token", sa.String, primary_key=True),
    sa.Column("execution_id", _ROW_ID, sa.ForeignKey("executions.id"), nullable=False),
    sa.Column("node_key", sa.String, nullable=False),
    sa.Column("record", sa.Text, nullable=False),
    sa.Column("phase", sa.String, nullable=False),
    sa.Column("lease_expires", sa.Float, nullable=True),
    sa.Index("ix_attempts_execution", "execution_id"),
    sa.Index("ix_attempts_phase", "phase"),
)

events = sa.Table(
    "events",
    metadata,
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

cache_entries = sa.Table(
    "cache_entries",
    metadata,
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("task", sa.String, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("entry", sa.Text, nullable=False),
    sa.Index("ix_cache_entries_task", "task"),
)
"""The cache catalog: a cached task's outputs by key (``aloft.ir.catalog``)."""

cache_reservations = sa.Table(
    "cache_reservations",
    metadata,
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("owner", sa.String, nullable=False),
    sa.Column("expires", sa.Float, nullable=False),
    sa.Index("ix_cache_reservations_owner", "owner"),
)
"""Who computes a serialized cached task's outputs now, and until when."""

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)
"""The projects of the registry (each has the same domains)."""

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
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
    sa.Index("ix_entities_name", "resource_type", "project", "domain", "name", "id"),
)
"""Registered tasks, workflows and launch plans, one row per version: the entity's own IR
(``template``) and the closure an execution of it runs, and their ``digest``."""

launch_plan_states = sa.Table(
    "launch_plan_states",
    metadata,
    sa.Column("project", sa.String, primary_key=True),
    sa.Column("domain", sa.String, primary_key=True),
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("active_version", sa.String, nullable=False),
    sa.Column("last_fired", sa.Float, nullable=True),
)
"""Which version of a launch plan is active (its schedule fires), and when its schedule last
fired."""

# -- prebuilt statements -------------------------------------------------------------------------
#
# Built once, so SQLAlchemy compiles each only once per dialect (its compiled cache). Bound
# parameters are named ``p_*`` so they never clash with the column names of a SET clause.

_E, _N, _A = executions.c, nodes.c, attempts.c
_ACTIVE = [phase.value for phase in ExecutionPhase if not phase.is_terminal]
_ENDED = [phase.value for phase in NodePhase if phase.is_terminal]

_by_name = sa.and_(
    _E.project == sa.bindparam("p_project"),
    _E.domain == sa.bindparam("p_domain"),
    _E.name == sa.bindparam("p_name"),
)
_by_names = sa.tuple_(_E.project, _E.domain, _E.name).in_(sa.bindparam("p_names", expanding=True))

select_spec = (
    sa.select(specs.c.spec).select_from(specs.join(executions, specs.c.execution_id == _E.id))
).where(_by_name)
insert_spec = sa.insert(specs).values(
    execution_id=sa.bindparam("p_id"), spec=sa.bindparam("p_spec")
)
select_execution = sa.select(_E.id, _E.version, _E.record).where(_by_name)
lock_execution = select_execution.with_for_update(key_share=True)
lock_executions = (
    sa.select(_E.id, _E.record).where(_by_names).order_by(_E.id).with_for_update(key_share=True)
)
update_execution = (
    sa.update(executions)
    .where(_E.id == sa.bindparam("p_id"))
    .values(
        record=sa.bindparam("p_record"),
        phase=sa.bindparam("p_phase"),
        version=sa.bindparam("p_version"),
        pending=sa.bindparam("p_pending"),
    )
)

count_by_phase = sa.select(_E.phase, sa.func.count()).group_by(_E.phase)
count_running_attempts = (
    sa.select(sa.func.count()).select_from(attempts).where(_A.phase == NodePhase.RUNNING.value)
)


def list_executions(query: ExecutionQuery) -> sa.Select[int, str, str, str]:
    """The row ids, records, workflow and launch plan names of the executions ``query``
    selects, newest first (in the order they were created in the database) unless it asks
    for the oldest."""
    statement = sa.select(_E.id, _E.record, _E.workflow, _E.launch_plan)
    conditions: list[sa.ColumnElement[bool]] = []
    if query.phase is not None:
        conditions.append(_E.phase == query.phase.value)
    for column, value in (
        (_E.project, query.project),
        (_E.domain, query.domain),
        (_E.workflow, query.workflow),
        (_E.launch_plan, query.launch_plan),
    ):
        if value is not None:
            conditions.append(column == value)
    for key, value in sorted(query.labels.items()):
        pair = labels_text({key: value})[1:-1]  # '"k":"v"' as it appears in the column
        conditions.append(_E.labels.contains(pair, autoescape=True))
    if query.created_after is not None:
        conditions.append(_E.created_at >= query.created_after.timestamp())
    if query.created_before is not None:
        conditions.append(_E.created_at < query.created_before.timestamp())
    if query.after is not None:
        conditions.append(_E.id > query.after if query.oldest_first else _E.id < query.after)
    order = _E.id.asc() if query.oldest_first else _E.id.desc()
    return statement.where(*conditions).order_by(order)


def labels_text(labels: dict[str, str]) -> str:
    """How the ``labels`` column holds an execution's labels: compact JSON, keys sorted."""
    return json.dumps(labels, sort_keys=True, separators=(",", ":"))


select_nodes = sa.select(_N.key, _N.record).where(_N.execution_id == sa.bindparam("p_id"))
select_some_nodes = select_nodes.where(_N.key.in_(sa.bindparam("p_keys", expanding=True)))

_attempt_columns = (_A.token, _A.record, _A.lease_expires)
select_attempts = sa.select(*_attempt_columns).where(_A.execution_id == sa.bindparam("p_id"))
select_attempts_by_token = sa.select(_A.execution_id, _A.node_key, *_attempt_columns).where(
    _A.token.in_(sa.bindparam("p_tokens", expanding=True))
)
end_attempt = (
    sa.update(attempts)
    .where(_A.token == sa.bindparam("p_token"))
    .values(record=sa.bindparam("p_record"), phase=sa.bindparam("p_phase"), lease_expires=None)
)
renew_attempts = (
    sa.update(attempts)
    .where(
        _A.token.in_(
            sa.select(_A.token)
            .where(
                _A.token.in_(sa.bindparam("p_tokens", expanding=True)),
                _A.phase.not_in(_ENDED),
            )
            .order_by(_A.token)
            .with_for_update()
        )
    )
    .values(lease_expires=sa.bindparam("p_expires"))
)

select_events = (
    sa.select(events.c.event)
    .select_from(events.join(executions, events.c.execution_id == _E.id))
    .where(_by_name)
    .order_by(events.c.seq)
)

_C = cache_entries.c
select_cache = sa.select(_C.entry).where(_C.key.in_(sa.bindparam("p_keys", expanding=True)))
list_cache = sa.select(_C.entry).order_by(_C.created_at.desc())
_R = cache_reservations.c
_OWNERS: sa.BindParameter[list[str]] = sa.bindparam("p_owners", expanding=True)
select_reservation = sa.select(_R.owner).where(_R.key == sa.bindparam("p_key"))
extend_reservations = (
    sa.update(cache_reservations)
    .where(_R.owner.in_(_OWNERS))
    .values(expires=sa.bindparam("p_expires"))
)
release_reservations = sa.delete(cache_reservations).where(_R.owner.in_(_OWNERS))

# -- leases --------------------------------------------------------------------------------------

_name_columns = (_E.project, _E.domain, _E.name)
select_pending = (
    sa.select(*_name_columns)
    .where(_E.lease_owner == sa.bindparam("p_owner"), _E.pending, _E.phase.in_(_ACTIVE))
    .order_by(_E.id)
)
acquire = (
    sa.update(executions)
    .where(
        _E.id.in_(
            sa.select(_E.id)
            .where(
                _E.phase.in_(_ACTIVE),
                _E.lease_owner != sa.bindparam("p_owner"),
                sa.or_(_E.lease_owner == "", _E.lease_expires < sa.bindparam("p_now")),
            )
            .order_by(_E.id)
            .limit(sa.bindparam("p_limit"))
            .with_for_update(skip_locked=True, key_share=True)
        )
    )
    .values(lease_owner=sa.bindparam("p_owner"), lease_expires=sa.bindparam("p_expires"))
    .returning(_E.id, *_name_columns)
)
_held = (
    sa.select(_E.id)
    .where(_E.lease_owner == sa.bindparam("p_owner"), _by_names)
    .order_by(_E.id)
    .with_for_update(key_share=True)
)
renew = (
    sa.update(executions)
    .where(_E.id.in_(_held))
    .values(lease_expires=sa.bindparam("p_expires"))
    .returning(*_name_columns)
)
release = sa.update(executions).where(_E.id.in_(_held)).values(lease_owner="", lease_expires=0.0)
select_lease = sa.select(_E.lease_owner, _E.lease_expires).where(_by_name)
take_over = (
    sa.update(executions)
    .where(_by_name, _E.lease_owner == sa.bindparam("p_previous"), _E.phase.in_(_ACTIVE))
    .values(lease_owner=sa.bindparam("p_owner"), lease_expires=sa.bindparam("p_expires"))
)


@dataclass(frozen=True)
class Upserts:
    """The inserts whose ``ON CONFLICT`` clause SQLAlchemy builds per dialect."""

    create: sa.Insert
    """A new execution (``RETURNING id``; no row if the name is taken)."""
    append_events: sa.Insert
    """Events; one whose key is in the log already is skipped."""
    upsert_nodes: sa.Insert
    upsert_attempts: sa.Insert
    """Leaves alone (and does not count) a row whose token is another execution's."""
    put_cache: sa.Insert
    """A cache entry, replacing one under the same key."""
    reserve: sa.Insert
    """A cache reservation, taking over one that expired or is the same owner's."""

    @classmethod
    def of(cls, dialect: str) -> Upserts:
        """The statements for ``dialect`` ("postgresql" or "sqlite")."""
        insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        node, attempt, cached = insert(nodes), insert(attempts), insert(cache_entries)
        reservation = insert(cache_reservations)
        return cls(
            create=insert(executions)
            .on_conflict_do_nothing(index_elements=["project", "domain", "name"])
            .returning(_E.id),
            append_events=insert(events).on_conflict_do_nothing(
                index_elements=["execution_id", "kind", "node_key", "attempt", "phase"]
            ),
            upsert_nodes=node.on_conflict_do_update(
                index_elements=["execution_id", "key"],
                set_={"record": node.excluded.record, "phase": node.excluded.phase},
            ),
            upsert_attempts=attempt.on_conflict_do_update(
                index_elements=["token"],
                set_={
                    "record": attempt.excluded.record,
                    "phase": attempt.excluded.phase,
                    "lease_expires": attempt.excluded.lease_expires,
                },
                where=_A.execution_id == attempt.excluded.execution_id,
            ),
            put_cache=cached.on_conflict_do_update(
                index_elements=["key"],
                set_={
                    "task": cached.excluded.task,
                    "created_at": cached.excluded.created_at,
                    "entry": cached.excluded.entry,
                },
            ),
            reserve=reservation.on_conflict_do_update(
                index_elements=["key"],
                set_={"owner": reservation.excluded.owner, "expires": reservation.excluded.expires},
                where=(_R.expires < sa.bindparam("p_now"))
                | (_R.owner == reservation.excluded.owner),
            ),
        )


# -- rows ----------------------------------------------------------------------------------------


def encode(document: object) -> str:
    """A record or spec as stored: its JSON text."""
    return to_json(document).decode()


def key_text(key: NodeKey) -> str:
    """A node key as stored (deterministic JSON)."""
    return to_json(key).decode()


def named(execution: ExecutionId) -> dict[str, str]:
    """The parameters of a statement that selects ``execution`` by name."""
    return {"p_project": execution.project, "p_domain": execution.domain, "p_name": execution.name}


def names(executions: Iterable[ExecutionId]) -> list[tuple[str, str, str]]:
    """The ``p_names`` parameter: distinct (project, domain, name) triples."""
    return list({(e.project, e.domain, e.name) for e in executions})


def read_attempt(stored: str, lease: float | None) -> AttemptRecord:
    """A stored attempt, with the lease from its column."""
    attempt = from_json(stored, AttemptRecord)
    if attempt.lease_expires == lease:
        return attempt
    return structs.replace(attempt, lease_expires=lease)


def execution_row(
    row_id: int, record: ExecutionRecord, version: int, *, pending: bool
) -> dict[str, Any]:
    """The parameters of ``update_execution``: ``record`` at ``version``."""
    return {
        "p_id": row_id,
        "p_record": encode(structs.replace(record, version=version)),
        "p_phase": record.phase.value,
        "p_version": version,
        "p_pending": pending,
    }


def node_row(row_id: int, key: NodeKey, node: NodeRecord) -> dict[str, Any]:
    """A row of ``nodes``."""
    return {
        "execution_id": row_id,
        "key": key_text(key),
        "record": encode(node),
        "phase": node.phase.value,
    }


def attempt_row(row_id: int, token: str, attempt: AttemptRecord) -> dict[str, Any]:
    """A row of ``attempts``."""
    return {
        "token": token,
        "execution_id": row_id,
        "node_key": key_text(attempt.node),
        "record": encode(attempt),
        "phase": attempt.phase.value,
        "lease_expires": attempt.lease_expires,
    }


def event_row(row_id: int, event: Event) -> dict[str, Any]:
    """A row of ``events``."""
    return {
        "execution_id": row_id,
        "kind": event.kind.value,
        "node_key": key_text(event.node),
        "attempt": event.attempt,
        "phase": event.phase,
        "event": encode(event),
    }
