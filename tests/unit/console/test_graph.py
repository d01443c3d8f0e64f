"""An execution's graph as drawn: node kinds, what expanding a node shows, map counts, the
case a branch took, phases as classes, and layouts kept per workflow version."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from msgspec import structs

from aloft.cli.loading import load_file
from aloft.console.graph import Entities, LayoutCache, build_frame, node_at
from aloft.console.status import live_status
from aloft.console.svg import graph_svg, timeline_svg
from aloft.ir import (
    ROOT,
    ArrayItems,
    ExecutionId,
    ExecutionPhase,
    ExecutionRecord,
    NodeKey,
    NodePhase,
    NodeRecord,
    WorkflowClosure,
)

FLOWS = Path(__file__).resolve().parents[2] / "fixtures" / "console_flows.py"
RUN = ExecutionId(name="run-1", project="p", domain="d")
T0 = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def flows() -> Any:
    return load_file(str(FLOWS))


@pytest.fixture(scope="module")
def closure(flows: Any) -> WorkflowClosure:
    built: WorkflowClosure = flows.every_kind.closure
    return built


def key(*path: str) -> NodeKey:
    return NodeKey(path=path)


def records(flows: Any) -> dict[NodeKey, NodeRecord]:
    items = ArrayItems.new(3).with_phases({0: NodePhase.SUCCEEDED, 1: NodePhase.FAILED})
    at = {"started_at": T0, "updated_at": T0 + datetime.timedelta(seconds=2)}
    return {
        key("n0"): NodeRecord(key=key("n0"), phase=NodePhase.SUCCEEDED, **at),
        key("n1"): NodeRecord(key=key("n1"), phase=NodePhase.RUNNING, items=items, started_at=T0),
        key("n3"): NodeRecord(key=key("n3"), phase=NodePhase.RUNNING, branch=0, started_at=T0),
        key("n6"): NodeRecord(
            key=key("n6"), phase=NodePhase.RUNNING, workflow=flows.inner.closure, started_at=T0
        ),
        key("n6", "n0"): NodeRecord(key=key("n6", "n0"), phase=NodePhase.RUNNING, started_at=T0),
    }


def test_each_node_has_its_kind_and_what_runs_it(closure: WorkflowClosure, flows: Any) -> None:
    frame = build_frame(RUN, closure.workflow, ROOT, {}, Entities(closure), (), LayoutCache())
    kinds = {node.id: node.kind for node in frame.nodes}
    assert kinds == {
        "n0": "task",
        "n1": "map",
        "n2": "subworkflow",
        "n3": "branch",
        "n6": "dynamic",
        "n7": "task",
        "n8": "task",
        "n9": "task",
    }
    # before it runs, only the subworkflow has a workflow to open
    assert [node.id for node in frame.nodes if node.expandable] == ["n2"]
    assert set(frame.layout.boxes) == set(kinds)


def test_expanded_nodes_draw_the_workflow_they_run(closure: WorkflowClosure, flows: Any) -> None:
    ran = records(flows)
    frame = build_frame(
        RUN, closure.workflow, ROOT, ran, Entities(closure), ("n2", "n3", "n6"), LayoutCache()
    )
    opened = {node.id: node.inner for node in frame.nodes if node.inner is not None}
    assert set(opened) == {"n2", "n3", "n6"}
    assert [n.key for n in opened["n6"].nodes] == [key("n6", "n0")]  # the built workflow's
    assert [n.key for n in opened["n3"].nodes] == [key("n3", "n4")]  # the case taken
    box = frame.layout.boxes["n2"]
    assert box.width > opened["n2"].layout.width and box.height > opened["n2"].layout.height


def test_the_drawing_shows_phases_map_counts_and_the_branch_taken(
    closure: WorkflowClosure, flows: Any
) -> None:
    ran = records(flows)
    frame = build_frame(RUN, closure.workflow, ROOT, ran, Entities(closure), ("n6",), LayoutCache())
    svg = graph_svg(frame, ran, lambda n: f"/node/{n.key}", lambda n: f"/toggle/{n.key}")
    assert 'class="node kind-map phase-running" data-key="n1"' in svg
    assert "3 items: 1 ok, 1 failed, 1 waiting" in svg
    assert "took case 1" in svg
    assert 'data-key="n6/n0"' in svg and 'href="/toggle/n6"' in svg
    assert 'class="node kind-task phase-not_started" data-key="n9"' in svg
    status = live_status(
        ExecutionRecord(id=RUN, phase=ExecutionPhase.RUNNING, version=4), frame, ran
    )
    assert status["nodes"]["n1"] == {
        "phase": "running",
        "detail": "3 items: 1 ok, 1 failed, 1 waiting",
    }  # type: ignore[index]
    assert status["phase"] == "running" and status["ended"] is False


def test_the_timeline_has_a_bar_per_started_node(closure: WorkflowClosure, flows: Any) -> None:
    ran = records(flows)
    frame = build_frame(RUN, closure.workflow, ROOT, ran, Entities(closure), (), LayoutCache())
    svg = timeline_svg(frame, ran, T0, lambda n: "#")
    assert svg.count('<g class="bar') == 4  # n0, n1, n3, n6: the drawn nodes that started
    assert "2.00 s" in svg
    assert "No node has started" in timeline_svg(frame, {}, T0, lambda n: "#")


def test_a_layout_is_computed_once_per_version_and_set_of_open_nodes(
    closure: WorkflowClosure,
) -> None:
    registered = structs.replace(
        closure.workflow, id=structs.replace(closure.workflow.id, version="v1")
    )
    cache = LayoutCache()
    entities = Entities(closure)
    first = build_frame(RUN, registered, ROOT, {}, entities, (), cache)
    other_run = ExecutionId(name="run-2", project="p", domain="d")
    again = build_frame(other_run, registered, ROOT, {}, entities, (), cache)
    opened = build_frame(other_run, registered, ROOT, {}, entities, ("n2",), cache)
    assert again.layout is first.layout  # a registered version: shared by its executions
    assert opened.layout is not first.layout


def test_a_failure_node_is_drawn_once_it_has_started_though_a_layout_was_kept_without_it() -> None:
    guarded = load_file(str(FLOWS.with_name("durable_failure.py"))).guarded.closure
    workflow = structs.replace(
        guarded.workflow, id=structs.replace(guarded.workflow.id, version="v1")
    )
    cache, entities = LayoutCache(), Entities(guarded)
    before = build_frame(RUN, workflow, ROOT, {}, entities, (), cache)
    failure = workflow.failure_node
    assert failure is not None
    started = {key(failure.id): NodeRecord(key=key(failure.id), phase=NodePhase.RUNNING)}
    after = build_frame(RUN, workflow, ROOT, started, entities, (), cache)
    assert failure.id not in before.layout.boxes and failure.id in after.layout.boxes
    svg = graph_svg(after, started, lambda n: f"/node/{n.key}", lambda n: f"/toggle/{n.key}")
    assert f"/node/{failure.id}" in svg


def test_a_node_is_found_by_its_key_through_what_runs_it(
    closure: WorkflowClosure, flows: Any
) -> None:
    ran = records(flows)
    entities = Entities(closure)
    found = node_at(key("n6", "n0"), closure.workflow, ran, entities)
    assert found is not None and found.id == "n0"
    assert node_at(key("n3", "n4"), closure.workflow, ran, entities) is not None
    assert node_at(key("n2", "n0"), closure.workflow, ran, entities) is not None
    assert node_at(key("n9", "n0"), closure.workflow, ran, entities) is None
    assert node_at(key("nope"), closure.workflow, ran, entities) is None
