"""Node handlers: one per node kind, behind one small interface.

How to add a node kind: subclass ``NodeHandler`` in a module of this package and map the
node target type it runs to it in ``HANDLERS``. The step loop never changes.
"""

from __future__ import annotations

from aloft.engine.handlers.array import ArrayHandler
from aloft.engine.handlers.base import NodeHandler
from aloft.engine.handlers.branch import BranchHandler
from aloft.engine.handlers.gate import GateHandler
from aloft.engine.handlers.launch_plan import LaunchPlanHandler
from aloft.engine.handlers.subworkflow import SubworkflowHandler
from aloft.engine.handlers.task import TaskHandler
from aloft.ir import (
    ArrayTarget,
    BranchTarget,
    GateTarget,
    LaunchPlanTarget,
    Node,
    TaskTarget,
    WorkflowTarget,
)

HANDLERS: dict[type, NodeHandler] = {
    TaskTarget: TaskHandler(),
    ArrayTarget: ArrayHandler(),
    BranchTarget: BranchHandler(),
    WorkflowTarget: SubworkflowHandler(),
    GateTarget: GateHandler(),
    LaunchPlanTarget: LaunchPlanHandler(),
}


def handler_for(node: Node) -> NodeHandler:
    """The handler of ``node``'s kind."""
    return HANDLERS[type(node.target)]


__all__ = ["HANDLERS", "NodeHandler", "handler_for"]
