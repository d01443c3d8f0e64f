"""Branch nodes: a conditional runs the first case whose condition holds.

The chosen case's workflow runs as a frame keyed by the branch node, so its nodes are the
branch node's children and its end ends the node; the nodes of every other case are recorded
SKIPPED, and the case taken is kept in the node's record, so a restart neither evaluates the
conditions again nor runs a skipped node. A ``.fail(message)`` case, or no case holding,
fails the node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aloft.engine.conditions import ConditionError, holds
from aloft.engine.handlers.base import NodeHandler, start_node, user_error
from aloft.ir import (
    BranchCase,
    BranchTarget,
    Literal,
    Node,
    NodeKey,
    NodePhase,
    NodeRecord,
    WorkflowTemplate,
)

if TYPE_CHECKING:
    from aloft.engine.step import Step
    from aloft.engine.view import Frame


class BranchHandler(NodeHandler):
    """Takes a case, skips the others, and runs the case's workflow as a frame."""

    def start(
        self,
        step: Step,
        frame: Frame,
        node: Node,
        key: NodeKey,
        record: NodeRecord | None,
        inputs: dict[str, Literal],
    ) -> None:
        target = _target(node)
        try:
            chosen = next((i for i, case in enumerate(target.cases) if _taken(case, inputs)), None)
        except ConditionError as exc:
            step.node_failed(key, user_error(f"conditional {target.name!r}: {exc}", key))
            return
        if chosen is None:
            step.node_failed(key, user_error(f"no case of conditional {target.name!r} held", key))
            return
        taken = target.cases[chosen]
        running = start_node(step, key, NodePhase.RUNNING, inputs, branch=chosen)
        for index, case in enumerate(target.cases):
            if index != chosen and case.workflow is not None:
                _skip(step, key, step.compiled.workflows[case.workflow])
        if taken.workflow is None:
            message = f"conditional {target.name!r}: {taken.error or 'failed'}"
            step.node_failed(key, user_error(message, key), record=running)
            return
        step.open_frame(key, step.compiled.workflows[taken.workflow], inputs)

    def resume(self, step: Step, frame: Frame, node: Node, record: NodeRecord) -> None:
        case = _target(node).cases[record.branch or 0]
        assert case.workflow is not None  # a failing case ends the node when it is taken
        step.open_frame(
            record.key, step.compiled.workflows[case.workflow], dict(record.inputs or {})
        )

    def advance(self, step: Step, frame: Frame, record: NodeRecord) -> None:
        """Nothing to do: the case's frame reports its own end."""


def _taken(case: BranchCase, inputs: dict[str, Literal]) -> bool:
    return case.condition is None or holds(case.condition, inputs)


def _skip(step: Step, key: NodeKey, template: WorkflowTemplate) -> None:
    """Record every node of a case not taken as SKIPPED."""
    for node in template.nodes:
        skipped = NodeRecord(key=key.child(node.id), phase=NodePhase.SKIPPED, updated_at=step.at)
        step.view.set_node(skipped, step.at)


def _target(node: Node) -> BranchTarget:
    target = node.target
    assert isinstance(target, BranchTarget)
    return target
