"""What the task handler does for an ``@eager`` node: its body runs in rounds.

Each round is an attempt of the node. A round that ends waiting for calls returns them as a
workflow of one node per call (named by the call's id); the handler adds those nodes to the
workflow stored with the node (``NodeRecord.workflow``: every call made so far) and runs it
as the node's children. When they have all ended, however they ended, the next round starts
with their outcomes (the journal), so the body gets the values of its calls, or an
``EagerException`` for those that failed. A round that ends with outputs ends the node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from msgspec import structs

from aloft.ir import (
    CallOutcome,
    LaunchPlanSpec,
    NodeKey,
    NodePhase,
    TaskTemplate,
    WorkflowClosure,
    WorkflowTemplate,
)

if TYPE_CHECKING:
    from aloft.engine.step import Step


def merged_round(known: WorkflowClosure | None, built: WorkflowClosure) -> WorkflowClosure:
    """The calls made so far (``known``) with those of the round that just ended; it takes
    the new round's workflow id, so that its plan is built afresh."""
    if known is None:
        return built
    seen = {node.id for node in known.workflow.nodes}
    nodes = (*known.workflow.nodes, *(n for n in built.workflow.nodes if n.id not in seen))
    return WorkflowClosure(
        workflow=structs.replace(built.workflow, nodes=nodes),
        subworkflows=_union(known.subworkflows, built.subworkflows),
        tasks=_union(known.tasks, built.tasks),
        launch_plans=_union(known.launch_plans, built.launch_plans),
    )


def journal(step: Step, key: NodeKey, calls: WorkflowClosure) -> tuple[CallOutcome, ...]:
    """How each call made so far by eager node ``key`` ended."""
    outcomes = []
    for node in calls.workflow.nodes:
        record = step.view.nodes.get(key.child(node.id))
        if record is None or not record.phase.is_terminal:
            continue
        if record.phase is NodePhase.SUCCEEDED:
            outcomes.append(CallOutcome(id=node.id, outputs=step.outputs_of(record)))
        else:
            message = record.error.message if record.error else f"it ended {record.phase.value}"
            outcomes.append(CallOutcome(id=node.id, error=message))
    return tuple(outcomes)


_Entity = TypeVar("_Entity", TaskTemplate, WorkflowTemplate, LaunchPlanSpec)


def _union(known: tuple[_Entity, ...], new: tuple[_Entity, ...]) -> tuple[_Entity, ...]:
    merged = {item.id: item for item in known}
    for item in new:
        merged.setdefault(item.id, item)
    return tuple(merged.values())
