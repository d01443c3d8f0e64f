"""Launch plan nodes: the node starts a child execution of the plan and ends as it ends.

The child is an execution of its own (its own records, event log and lease), named after
the parent and the node so that starting it again after a crash finds the one already
created. When the child ends, its host wakes the parent (``ExecutionStore.wake``), whose
next step reads the child's record and ends the node with its outputs or its error; the node
also looks again every ``CHILD_POLL`` seconds, in case that wake-up was lost.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from aloft.engine.actions import Launch
from aloft.engine.handlers.base import NodeHandler, fail_unresolved, start_node
from aloft.ir import (
    ErrorKind,
    ExecutionError,
    ExecutionId,
    ExecutionPhase,
    ExecutionSpec,
    LaunchPlanSpec,
    LaunchPlanTarget,
    Literal,
    Node,
    NodeKey,
    NodePhase,
    NodeRecord,
    ParentNode,
)

if TYPE_CHECKING:
    from aloft.engine.step import Step
    from aloft.engine.view import Frame

CHILD_POLL = 5.0
"""Seconds after which a launch plan node looks at its child again, even unwoken: the
child's host wakes the parent in a transaction of its own, which a crash can lose."""


class LaunchPlanHandler(NodeHandler):
    """Starts the child execution and follows it."""

    def start(
        self,
        step: Step,
        frame: Frame,
        node: Node,
        key: NodeKey,
        record: NodeRecord | None,
        inputs: dict[str, Literal],
    ) -> None:
        plan = _plan(step, node)
        if step.compiled.workflows[plan.workflow].reference:
            fail_unresolved(step, key, plan.id)
            return
        spec = _child_spec(step, node, key, inputs)
        start_node(step, key, NodePhase.RUNNING, inputs, child=spec.id)
        step.actions.append(Launch(spec))
        step.wake(key, step.now + CHILD_POLL)  # should the child's wake-up be lost

    def resume(self, step: Step, frame: Frame, node: Node, record: NodeRecord) -> None:
        """Launch the child again (a no-op if it exists) so that a host that was handed only
        the parent runs it too, then look at how it stands."""
        step.actions.append(Launch(_child_spec(step, node, record.key, record.inputs or {})))
        step.view.touched[record.key] = None

    def advance(self, step: Step, frame: Frame, record: NodeRecord) -> None:
        if record.child is None:
            return
        child = step.read_execution(record.child)
        if child is None or not child.phase.is_terminal:
            step.wake(record.key, step.now + CHILD_POLL)  # should its wake-up be lost
            return
        if child.phase is ExecutionPhase.SUCCEEDED:
            step.node_succeeded(record.key, outputs=child.outputs or {})
            return
        cause = child.error.message if child.error else f"it ended {child.phase.value}"
        kind = child.error.kind if child.error else ErrorKind.SYSTEM
        step.node_failed(
            record.key,
            ExecutionError(
                kind=kind,
                message=f"launch plan {_plan_name(frame, record)} (execution {record.child.name}) "
                f"failed: {cause}",
                node=str(record.key),
            ),
        )


def child_id(parent: ExecutionId, key: NodeKey) -> ExecutionId:
    """The id of the child execution node ``key`` of ``parent`` starts (the same every time)."""
    digest = hashlib.sha256(f"{parent}|{key}".encode()).hexdigest()[:10]
    return ExecutionId(project=parent.project, domain=parent.domain, name=f"{parent.name}-{digest}")


def _child_spec(step: Step, node: Node, key: NodeKey, inputs: dict[str, Literal]) -> ExecutionSpec:
    parent = step.view.spec
    plan = _plan(step, node)
    return ExecutionSpec(
        id=child_id(parent.id, key),
        closure=step.compiled.closure_of(plan.workflow),
        inputs={**plan.default_inputs, **inputs, **plan.fixed_inputs},
        launch_plan=plan.id,
        max_parallelism=plan.max_parallelism,
        code_root=parent.code_root,
        parent=ParentNode(execution=parent.id, node=key),
        labels=plan.labels,
        annotations=plan.annotations,
    )


def _plan(step: Step, node: Node) -> LaunchPlanSpec:
    target = node.target
    assert isinstance(target, LaunchPlanTarget)
    return step.compiled.launch_plans[target.launch_plan]


def _plan_name(frame: Frame, record: NodeRecord) -> str:
    target = frame.plan.nodes[record.key.node_id].target
    assert isinstance(target, LaunchPlanTarget)
    return repr(target.launch_plan.name)
