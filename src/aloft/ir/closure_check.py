"""Whether a workflow closure holds together: every task, subworkflow and launch plan its
nodes name is in it, node ids are unique, and bindings read only from nodes that exist.

The compiler only makes closures that do; this is for closures from elsewhere (a request to
a server), which must be refused before they are stored, not fail when they run.
"""

from __future__ import annotations

from collections.abc import Iterator

from aloft.ir.identifiers import Identifier
from aloft.ir.workflow import (
    START_NODE,
    ArrayTarget,
    BindingData,
    BranchTarget,
    CollectionBinding,
    LaunchPlanTarget,
    MapBinding,
    Node,
    PromiseBinding,
    TaskTarget,
    WorkflowClosure,
    WorkflowTarget,
)


def closure_problem(closure: WorkflowClosure) -> str | None:
    """What is wrong with ``closure`` (the first thing found), or None."""
    return next(_problems(closure), None)


def _problems(closure: WorkflowClosure) -> Iterator[str]:
    tasks = {task.id for task in closure.tasks}
    workflows = {w.id for w in closure.subworkflows}
    plans = {plan.id for plan in closure.launch_plans}
    for kind, entity_ids in (
        ("task", [t.id for t in closure.tasks]),
        ("subworkflow", [w.id for w in closure.subworkflows]),
        ("launch plan", [p.id for p in closure.launch_plans]),
    ):
        seen: set[Identifier] = set()
        for id in entity_ids:
            if id in seen:
                yield f"{kind} {id.name} appears twice in the closure"
            seen.add(id)
    known = {"task": tasks, "workflow": workflows | {closure.workflow.id}, "plan": plans}
    for workflow in (closure.workflow, *closure.subworkflows):
        where = f"workflow {workflow.id.name}"
        nodes = [*workflow.nodes, *([workflow.failure_node] if workflow.failure_node else [])]
        ids = [node.id for node in nodes]
        for node_id in {i for i in ids if ids.count(i) > 1}:
            yield f"{where}: node id {node_id!r} is used twice"
        readable = set(ids) | {START_NODE}
        for node in nodes:
            yield from _node_problems(f"{where}, node {node.id}", node, known, readable)
        for binding in workflow.outputs:
            yield from _binding_problems(f"{where}, output {binding.var}", binding.data, readable)
    for plan in closure.launch_plans:
        if plan.workflow not in known["workflow"]:
            name = plan.workflow.name
            yield f"launch plan {plan.id.name} runs workflow {name}, which is not in the closure"


def _node_problems(
    where: str, node: Node, known: dict[str, set[Identifier]], readable: set[str]
) -> Iterator[str]:
    target = node.target
    if isinstance(target, TaskTarget | ArrayTarget) and target.task not in known["task"]:
        yield f"{where} runs task {target.task.name}, which is not in the closure"
    called = [target.workflow] if isinstance(target, WorkflowTarget) else []
    if isinstance(target, BranchTarget):
        called = [case.workflow for case in target.cases if case.workflow is not None]
    for workflow in called:
        if workflow not in known["workflow"]:
            yield f"{where} runs workflow {workflow.name}, which is not in the closure"
    if isinstance(target, LaunchPlanTarget) and target.launch_plan not in known["plan"]:
        yield f"{where} launches {target.launch_plan.name}, which is not in the closure"
    for upstream in node.upstream:
        if upstream not in readable:
            yield f"{where} waits for node {upstream!r}, which does not exist"
    for binding in node.inputs:
        yield from _binding_problems(f"{where}, input {binding.var}", binding.data, readable)


def _binding_problems(where: str, data: BindingData, readable: set[str]) -> Iterator[str]:
    if isinstance(data, PromiseBinding) and data.node not in readable:
        yield f"{where} reads node {data.node!r}, which does not exist"
    elif isinstance(data, CollectionBinding):
        for item in data.items:
            yield from _binding_problems(where, item, readable)
    elif isinstance(data, MapBinding):
        for item in data.entries.values():
            yield from _binding_problems(where, item, readable)
