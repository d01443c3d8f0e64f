"""The registry in the metadata database: versions by digest, all-or-nothing registration,
newest versions, launch plan activation."""

from __future__ import annotations

from pathlib import Path

import pytest

from aloft.ir import Identifier, ResourceType
from aloft.storage.executions.sql import SqlStore
from aloft.storage.registry import (
    EntityConflict,
    EntityNotFound,
    Project,
    RegisteredEntity,
    Registry,
)


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    return SqlStore(f"sqlite:///{tmp_path / 'r.db'}").registry()


def entity(
    name: str, version: str, digest: str, kind: ResourceType = ResourceType.TASK
) -> RegisteredEntity:
    id = Identifier(kind, name, "p", "development", version)
    return RegisteredEntity(id, digest, f'{{"t": "{digest}"}}', "{}")


def test_identical_content_registers_once_and_other_content_is_refused_whole(
    registry: Registry,
) -> None:
    assert registry.register([entity("a", "v1", "d1"), entity("b", "v1", "d2")]) == [True, True]
    assert registry.register([entity("a", "v1", "d1")]) == [False]
    with pytest.raises(EntityConflict, match="task a version v1 in p/development"):
        registry.register([entity("c", "v1", "d3"), entity("a", "v1", "other")])
    with pytest.raises(EntityNotFound):
        registry.get(Identifier(ResourceType.TASK, "c", "p", "development", "v1"))
    assert registry.get(Identifier(ResourceType.TASK, "a", "p", "development", "v1")).digest == "d1"


def test_newest_versions_and_lookups_without_a_version(registry: Registry) -> None:
    registry.register([entity("a", "v1", "d1")])
    registry.register([entity("a", "v2", "d2"), entity("b", "v1", "d3")])
    newest = registry.get(Identifier(ResourceType.TASK, "a", "p", "development", ""))
    assert newest.id.version == "v2"
    versions = registry.versions(ResourceType.TASK, "p", "development", "a")
    assert [v.id.version for v in versions] == ["v2", "v1"]
    latest = registry.latest(ResourceType.TASK, "p", "development")
    assert [(e.id.name, e.id.version) for e in latest] == [("a", "v2"), ("b", "v1")]
    assert registry.latest(ResourceType.WORKFLOW, "p", "development") == []


def test_projects_and_launch_plan_activation(registry: Registry) -> None:
    assert registry.add_project(Project("p", "mine"))
    assert not registry.add_project(Project("p", "again"))
    assert registry.projects() == [Project("p", "mine")]
    plan = entity("nightly", "v1", "d1", ResourceType.LAUNCH_PLAN)
    registry.register([plan, entity("nightly", "v2", "d2", ResourceType.LAUNCH_PLAN)])
    registry.set_active(plan.id, True)
    assert registry.is_active(plan.id)
    v2 = Identifier(ResourceType.LAUNCH_PLAN, "nightly", "p", "development", "v2")
    registry.set_active(v2, True)  # one active version at a time
    assert [id.version for id, _ in registry.active()] == ["v2"]
    registry.fired(v2, 120.0)
    assert registry.active() == [(v2, 120.0)]
    registry.set_active(v2, False)
    assert registry.active() == []
