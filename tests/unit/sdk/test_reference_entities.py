"""Reference entities: registered tasks, workflows and launch plans known by id and
interface; they compile into workflows, and a local run says it needs the server."""

from __future__ import annotations

import pytest

from aloft import reference_launch_plan, reference_task, reference_workflow, task, workflow
from aloft.errors import CompileError, DecoratorError, InputError
from aloft.ir import REFERENCE_TASK_TYPE, LaunchPlanTarget, TaskTarget, WorkflowTarget
from aloft.runner.local import execute

ID = {"project": "shop", "domain": "production", "version": "v3"}


@reference_task(name="etl.clean", **ID)
def clean(path: str) -> int: ...


@reference_workflow(name="etl.report", **ID)
def report(rows: int) -> str: ...


@reference_launch_plan(name="etl.nightly", **ID)
def nightly(rows: int) -> str: ...


@task
def local(x: str) -> str:
    return x


@workflow
def uses_them(path: str) -> str:
    rows = clean(path=path)
    report(rows=rows)
    return nightly(rows=rows)


def test_references_compile_against_their_declared_interfaces() -> None:
    targets = [node.target for node in uses_them.closure.workflow.nodes]
    assert [type(t) for t in targets] == [TaskTarget, WorkflowTarget, LaunchPlanTarget]
    first = targets[0]
    assert isinstance(first, TaskTarget) and first.task.version == "v3"
    [template] = [t for t in uses_them.closure.tasks if t.id.name == "etl.clean"]
    assert template.type == REFERENCE_TASK_TYPE
    references = {(r.resource_type.value, r.name) for r in uses_them.closure.references()}
    assert references == {
        ("task", "etl.clean"),
        ("workflow", "etl.report"),
        ("launch_plan", "etl.nightly"),
    }


def test_a_mistyped_use_of_a_reference_is_a_compile_error() -> None:
    with pytest.raises(CompileError, match="expected int, found str"):

        @workflow
        def wrong(path: str) -> str:
            return report(rows=local(x=path))


def test_running_a_reference_locally_says_it_needs_the_registered_entity() -> None:
    message = (
        r"calls the reference task etl\.clean \(project shop, domain production, version "
        r"v3\), which only an aloft server that has it registered can run"
    )
    with pytest.raises(InputError, match=message):
        execute(uses_them, {"path": "a.csv"})
    with pytest.raises(InputError, match=r"reference workflow etl\.report"):
        report(rows=3)


def test_a_reference_needs_its_whole_id() -> None:
    with pytest.raises(DecoratorError, match="reference task needs a non-empty version"):

        @reference_task(project="p", domain="d", name="n", version="")
        def unversioned(x: int) -> int: ...


def test_a_reference_id_must_be_strings() -> None:
    with pytest.raises(DecoratorError, match="reference workflow: version must be a string, not 1"):

        @reference_workflow(project="p", domain="d", name="n", version=1)  # type: ignore[arg-type]
        def numbered(x: int) -> int: ...

    with pytest.raises(DecoratorError, match="reference launch plan needs a non-empty version"):

        @reference_launch_plan(project="p", domain="d", name="n")
        def missing(x: int) -> int: ...
