"""The error a workflow's failure node (``on_failure``) receives, as a literal of the type
its ``err`` input declares: a ``FlyteError`` struct, inside an ``Optional`` if need be."""

from __future__ import annotations

from aloft.engine.compiled import Compiled
from aloft.ir import (
    FAILURE_ERROR_INPUT,
    ExecutionError,
    Literal,
    Node,
    StringValue,
    StructType,
    StructValue,
    TaskTarget,
    TypedInterface,
    UnionType,
    UnionValue,
    WorkflowTarget,
    describe,
)


def error_literal(compiled: Compiled, node: Node, error: ExecutionError) -> Literal | None:
    """``error`` for failure node ``node``; None if it takes no ``err`` input."""
    variable = _interface(compiled, node).inputs.get(FAILURE_ERROR_INPUT)
    if variable is None:
        return None
    struct = StructValue(
        fields={
            "message": StringValue(value=error.message),
            "failed_node_id": StringValue(value=error.node),
        }
    )
    declared = variable.type
    if isinstance(declared, UnionType):
        variant = next((v for v in declared.variants if isinstance(v, StructType)), None)
        return UnionValue(variant=describe(variant), value=struct) if variant else None
    return struct


def _interface(compiled: Compiled, node: Node) -> TypedInterface:
    target = node.target
    if isinstance(target, TaskTarget):
        return compiled.tasks[target.task].interface
    if isinstance(target, WorkflowTarget):
        return compiled.workflows[target.workflow].interface
    return TypedInterface()
