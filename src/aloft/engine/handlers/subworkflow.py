"""Subworkflow nodes: the node runs a workflow whose nodes are keyed below its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aloft.engine.handlers.base import NodeHandler, fail_unresolved, start_node
from aloft.ir import (
    Literal,
    Node,
    NodeKey,
    NodePhase,
    NodeRecord,
    WorkflowTarget,
    WorkflowTemplate,
)

if TYPE_CHECKING:
    from aloft.engine.step import Step
    from aloft.engine.view import Frame


class SubworkflowHandler(NodeHandler):
    """Opens a frame for the subworkflow; the frame ends the node when it ends."""

    def start(
        self,
        step: Step,
        frame: Frame,
        node: Node,
        key: NodeKey,
        record: NodeRecord | None,
        inputs: dict[str, Literal],
    ) -> None:
        template = _template(step, node)
        if template.reference:
            fail_unresolved(step, key, template.id)
            return
        start_node(step, key, NodePhase.RUNNING, inputs)
        step.open_frame(key, template, inputs)

    def resume(self, step: Step, frame: Frame, node: Node, record: NodeRecord) -> None:
        step.open_frame(record.key, _template(step, node), dict(record.inputs or {}))

    def advance(self, step: Step, frame: Frame, record: NodeRecord) -> None:
        """Nothing to do: the subworkflow's frame reports its own end."""


def _template(step: Step, node: Node) -> WorkflowTemplate:
    target = node.target
    assert isinstance(target, WorkflowTarget)
    return step.compiled.workflows[target.workflow]
