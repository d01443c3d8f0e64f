"""The registry: projects, and every registered version of a task, workflow and launch plan.

An entity version is stored once, with the digest of what it is; registering identical
content again changes nothing, and different content under a version already taken is an
``EntityConflict`` that leaves the whole registration unwritten (DESIGN.md, principle 4).
It lives in the metadata database beside the executions (``SqlStore.registry``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa

from aloft.errors import InputError
from aloft.ir import Identifier, ResourceType
from aloft.storage.executions import sql_tables as t

DOMAINS = ("development", "staging", "production")
"""The domains every project has."""

_Columns = tuple[Any, ...]
_Connect = Callable[[], AbstractContextManager[sa.Connection]]


class EntityConflict(InputError):
    """A version is registered already with different content."""


class EntityNotFound(InputError):
    """No such entity, or no such version of it."""


@dataclass(frozen=True)
class RegisteredEntity:
    """One registered version: its id, the digest of its content, its own IR (``template``:
    a task template, workflow template or launch plan spec, as JSON) and the closure an
    execution of it runs (JSON)."""

    id: Identifier
    digest: str
    template: str
    closure: str
    created_at: float = 0.0


@dataclass(frozen=True)
class Project:
    """A project: a name and what it is for."""

    name: str
    description: str = ""


_ENT = t.entities.c


class Registry:
    """Registered entities and projects in the metadata database.

    ``read`` opens a connection for reading, ``write`` a write transaction (the store's own,
    so the registry takes part in its locking on SQLite).
    """

    def __init__(self, read: _Connect, write: _Connect) -> None:
        self._read = read
        self._write = write

    # -- projects -------------------------------------------------------------------------------

    def projects(self) -> list[Project]:
        """Every project, by name."""
        statement = sa.select(t.projects.c.name, t.projects.c.description).order_by("name")
        with self._read() as conn:
            return [Project(name, description) for name, description in conn.execute(statement)]

    def add_project(self, project: Project) -> bool:
        """Add ``project``; False if one of that name exists already (it is left as it is)."""

        def add() -> bool:
            with self._write() as conn:
                if conn.execute(_project_named(project.name)).first() is not None:
                    return False
                created = now()
                row = {
                    "name": project.name,
                    "description": project.description,
                    "created_at": created,
                }
                conn.execute(sa.insert(t.projects), row)
            return True

        return _again_after_a_clash(add)

    def has_project(self, name: str) -> bool:
        """Whether project ``name`` exists."""
        with self._read() as conn:
            return conn.execute(_project_named(name)).first() is not None

    # -- entities -------------------------------------------------------------------------------

    def register(self, entities: Sequence[RegisteredEntity]) -> list[bool]:
        """Register every one of ``entities`` in one transaction; for each, whether it is new
        (False: the same content was registered before).

        Raises ``EntityConflict`` naming the first entity whose version holds other content;
        then nothing is written.
        """

        def register() -> list[bool]:
            created = now()
            new: list[bool] = []
            with self._write() as conn:
                for entity in entities:
                    stored = conn.execute(_version_of(entity.id, _ENT.digest)).scalar()
                    if stored is not None and stored != entity.digest:
                        raise EntityConflict(
                            f"{_describe(entity.id)} is registered already with different "
                            "content; register the change under a new version"
                        )
                    new.append(stored is None)
                    if stored is None:
                        conn.execute(sa.insert(t.entities), _entity_row(entity, created))
            return new

        return _again_after_a_clash(register)

    def get(self, id: Identifier) -> RegisteredEntity:
        """The registered version ``id`` names; an empty version means the newest one."""
        statement = _version_of(id, *_COLUMNS) if id.version else _newest(id)
        with self._read() as conn:
            row = conn.execute(statement).first()
        if row is None:
            if id.version:
                raise EntityNotFound(f"no {_describe(id)}")
            kind = id.resource_type.value.replace("_", " ")
            raise EntityNotFound(f"no {kind} {id.name} in {id.project}/{id.domain}")
        return _entity(id.resource_type, row)

    def versions(
        self, kind: ResourceType, project: str, domain: str, name: str, limit: int = 100
    ) -> list[RegisteredEntity]:
        """The versions of one entity, newest first."""
        statement = (
            sa.select(*_COLUMNS)
            .where(*_scope(kind, project, domain), _ENT.name == name)
            .order_by(_ENT.id.desc())
            .limit(limit)
        )
        with self._read() as conn:
            return [_entity(kind, row) for row in conn.execute(statement)]

    def latest(self, kind: ResourceType, project: str, domain: str) -> list[RegisteredEntity]:
        """The newest version of every entity of ``kind`` in a project and domain, by name."""
        newest = (
            sa.select(sa.func.max(_ENT.id))
            .where(*_scope(kind, project, domain))
            .group_by(_ENT.name)
            .scalar_subquery()
        )
        statement = sa.select(*_COLUMNS).where(_ENT.id.in_(newest)).order_by(_ENT.name)
        with self._read() as conn:
            return [_entity(kind, row) for row in conn.execute(statement)]

    # -- launch plan states ---------------------------------------------------------------------

    def set_active(self, id: Identifier, active: bool) -> None:
        """Make version ``id`` of a launch plan the active one (its schedule fires from now
        on), or deactivate the launch plan (any version)."""
        self.get(id)  # it must exist
        key = {"project": id.project, "domain": id.domain, "name": id.name}
        states = t.launch_plan_states
        where = [states.c[k] == v for k, v in key.items()]

        def write() -> None:
            with self._write() as conn:
                conn.execute(sa.delete(states).where(*where))
                if active:
                    row = {**key, "active_version": id.version, "last_fired": now()}
                    conn.execute(sa.insert(states), row)

        _again_after_a_clash(write)

    def active(self) -> list[tuple[Identifier, float | None]]:
        """Every active launch plan version and when its schedule last fired."""
        states = t.launch_plan_states.c
        statement = sa.select(
            states.project, states.domain, states.name, states.active_version, states.last_fired
        )
        with self._read() as conn:
            rows = conn.execute(statement).all()
        return [
            (Identifier(ResourceType.LAUNCH_PLAN, name, project, domain, version), fired)
            for project, domain, name, version, fired in rows
        ]

    def is_active(self, id: Identifier) -> bool:
        """Whether version ``id`` of a launch plan is the active one."""
        return any(active == id for active, _ in self.active())

    def fired(self, id: Identifier, at: float) -> None:
        """Record that the schedule of active launch plan ``id`` fired for time ``at``."""
        states = t.launch_plan_states
        with self._write() as conn:
            conn.execute(
                sa.update(states)
                .where(
                    states.c.project == id.project,
                    states.c.domain == id.domain,
                    states.c.name == id.name,
                    states.c.active_version == id.version,
                )
                .values(last_fired=at)
            )


_COLUMNS = (_ENT.project, _ENT.domain, _ENT.name, _ENT.version, _ENT.digest, _ENT.template,
            _ENT.closure, _ENT.created_at)  # fmt: skip


_R = TypeVar("_R")


def _again_after_a_clash(write: Callable[[], _R]) -> _R:
    """``write()``, once more if it clashed with a concurrent writer of the same row (on
    PostgreSQL, where writes are not serialised): the second time it sees that row."""
    try:
        return write()
    except sa.exc.IntegrityError:
        return write()


def now() -> float:
    """Seconds since the epoch."""
    return time.time()


def _describe(id: Identifier) -> str:
    kind = id.resource_type.value.replace("_", " ")
    return f"{kind} {id.name} version {id.version} in {id.project}/{id.domain}"


def _project_named(name: str) -> sa.Select[*_Columns]:
    return sa.select(t.projects.c.name).where(t.projects.c.name == name)


def _scope(kind: ResourceType, project: str, domain: str) -> Iterator[sa.ColumnElement[bool]]:
    yield _ENT.resource_type == kind.value
    yield _ENT.project == project
    yield _ENT.domain == domain


def _version_of(id: Identifier, *columns: sa.ColumnElement[object]) -> sa.Select[*_Columns]:
    return sa.select(*columns).where(
        *_scope(id.resource_type, id.project, id.domain),
        _ENT.name == id.name,
        _ENT.version == id.version,
    )


def _newest(id: Identifier) -> sa.Select[*_Columns]:
    return (
        sa.select(*_COLUMNS)
        .where(*_scope(id.resource_type, id.project, id.domain), _ENT.name == id.name)
        .order_by(_ENT.id.desc())
        .limit(1)
    )


def _entity_row(entity: RegisteredEntity, created: float) -> dict[str, object]:
    id = entity.id
    return {
        "resource_type": id.resource_type.value,
        "project": id.project,
        "domain": id.domain,
        "name": id.name,
        "version": id.version,
        "digest": entity.digest,
        "template": entity.template,
        "closure": entity.closure,
        "created_at": created,
    }


def _entity(kind: ResourceType, row: sa.Row[*_Columns]) -> RegisteredEntity:
    project, domain, name, version, digest, template, closure, created = row
    return RegisteredEntity(
        Identifier(kind, str(name), str(project), str(domain), str(version)),
        str(digest),
        str(template),
        str(closure),
        float(created),
    )
