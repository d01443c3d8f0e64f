"""Tasks and workflows whose body a test has replaced (``aloft.testing.task_mock``, ``patch``).

A mocked entity's ``execute`` is the test's mock. A local run (a ``wf()`` call) runs mocked
tasks in this process with that mock, reference tasks included: a mocked reference task
runs like a task of this process instead of being refused as only a server can run it. A
mocked workflow, called as a subworkflow, becomes a task node that runs the mock, as in
flytekit, where a subworkflow is mocked like a task.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from msgspec import structs

from aloft.ir import (
    REFERENCE_TASK_TYPE,
    ArrayTarget,
    BranchTarget,
    CodeReference,
    Identifier,
    LaunchPlanTarget,
    Node,
    ResourceType,
    TaskTarget,
    TaskTemplate,
    WorkflowClosure,
    WorkflowTarget,
    WorkflowTemplate,
)
from aloft.sdk.entity import Entity
from aloft.sdk.imperative import Workflow
from aloft.sdk.workflow import PythonFunctionWorkflow

_FUNCTION_TASK = "python-task"
"""The type of a task a worker runs as a Python function (``TaskTemplate``'s default)."""

_lock = threading.Lock()
_mocked: dict[Identifier, Any] = {}


def mock_id(entity: Any) -> Identifier | None:
    """The task id ``entity`` runs under when mocked: a task's (a reference task's) own id, a
    workflow's id as a task; None for anything else."""
    template = getattr(entity, "template", None)
    if template is not None:
        return template.id  # type: ignore[no-any-return]
    if isinstance(entity, PythonFunctionWorkflow | Workflow):
        return structs.replace(entity.closure.workflow.id, resource_type=ResourceType.TASK)
    return None


@contextmanager
def mocked(entity: Any, call: Callable[..., Any]) -> Iterator[None]:
    """Make ``call`` the body of ``entity`` (a task, reference task or workflow) for the block."""
    key = mock_id(entity)
    if key is None:
        raise TypeError(f"only tasks and workflows can be mocked, not {entity!r}")
    had_own = "execute" in vars(entity)
    saved = vars(entity).get("execute")
    entity.execute = call
    with _lock:
        _mocked[key] = entity
    try:
        yield
    finally:
        with _lock:
            _mocked.pop(key, None)
        if had_own:
            entity.execute = saved
        else:
            del entity.execute


def mocked_tasks() -> dict[Identifier, Any]:
    """The entities mocked now, by the task id they run under."""
    with _lock:
        return dict(_mocked)


def is_mocked(entity: Any) -> bool:
    """Whether ``entity`` is mocked now."""
    key = mock_id(entity)
    return key is not None and mocked_tasks().get(key) is entity


def with_mocks(closure: WorkflowClosure, mocks: dict[Identifier, Any]) -> WorkflowClosure:
    """``closure`` with each mocked reference task made a task this process runs, and each
    node calling a mocked workflow made a task node that runs its mock."""
    if not mocks:
        return closure
    tasks = tuple(
        structs.replace(task, type=_FUNCTION_TASK)
        if task.type == REFERENCE_TASK_TYPE and task.id in mocks
        else task
        for task in closure.tasks
    )
    called, _ = _called(closure)
    workflows = {  # a mocked workflow's id -> the task id its nodes run instead
        workflow: key
        for key, entity in mocks.items()
        if isinstance(entity, PythonFunctionWorkflow | Workflow)
        and (workflow := structs.replace(key, resource_type=ResourceType.WORKFLOW)) in called
    }
    if not workflows:
        return structs.replace(closure, tasks=tasks)
    retargeted = structs.replace(
        closure,
        workflow=_retargeted(closure.workflow, workflows),
        subworkflows=tuple(_retargeted(w, workflows) for w in closure.subworkflows),
        tasks=tasks + tuple(_stand_in(mocks[key], key) for key in workflows.values()),
    )
    return _without_what_only_mocks_called(closure, retargeted)


def _without_what_only_mocks_called(
    before: WorkflowClosure, after: WorkflowClosure
) -> WorkflowClosure:
    """``after`` without the subworkflows and tasks that only the workflows now mocked
    called (a reference task among them must not stop a local run)."""
    workflows_before, tasks_before = _called(before)
    workflows_after, tasks_after = _called(after)
    gone_workflows = workflows_before - workflows_after
    gone_tasks = tasks_before - tasks_after
    return structs.replace(
        after,
        subworkflows=tuple(w for w in after.subworkflows if w.id not in gone_workflows),
        tasks=tuple(t for t in after.tasks if t.id not in gone_tasks),
    )


def _called(closure: WorkflowClosure) -> tuple[set[Identifier], set[Identifier]]:
    """The subworkflows and the tasks that nodes of ``closure`` call, from its workflow down
    (through subworkflows, conditional cases and launch plans)."""
    subworkflows = {w.id: w for w in closure.subworkflows}
    plans = {plan.id: plan for plan in closure.launch_plans}
    workflows: set[Identifier] = set()
    tasks: set[Identifier] = set()
    pending = [closure.workflow]
    while pending:
        for node in _nodes(pending.pop()):
            target = node.target
            calls: list[Identifier] = []
            if isinstance(target, TaskTarget | ArrayTarget):
                tasks.add(target.task)
            elif isinstance(target, WorkflowTarget):
                calls = [target.workflow]
            elif isinstance(target, BranchTarget):
                calls = [case.workflow for case in target.cases if case.workflow is not None]
            elif isinstance(target, LaunchPlanTarget) and target.launch_plan in plans:
                calls = [plans[target.launch_plan].workflow]
            for workflow in calls:
                if workflow not in workflows:
                    workflows.add(workflow)
                    if workflow in subworkflows:
                        pending.append(subworkflows[workflow])
    return workflows, tasks


def _nodes(template: WorkflowTemplate) -> tuple[Node, ...]:
    failure = (template.failure_node,) if template.failure_node is not None else ()
    return (*template.nodes, *failure)


def _retargeted(
    template: WorkflowTemplate, workflows: dict[Identifier, Identifier]
) -> WorkflowTemplate:
    def node(n: Node) -> Node:
        target = n.target
        if isinstance(target, WorkflowTarget) and target.workflow in workflows:
            return structs.replace(n, target=TaskTarget(task=workflows[target.workflow]))
        return n

    failure = template.failure_node
    return structs.replace(
        template,
        nodes=tuple(node(n) for n in template.nodes),
        failure_node=node(failure) if failure is not None else None,
    )


def _stand_in(workflow: Entity, task_id: Identifier) -> TaskTemplate:
    """The task a mocked workflow's nodes run: its interface, the mock as its body."""
    return TaskTemplate(
        id=task_id,
        interface=workflow.interface,
        code=CodeReference(module=workflow.module_name, qualname=workflow.short_name),
    )
