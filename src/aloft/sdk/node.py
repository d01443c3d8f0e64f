"""``create_node``: call an entity in a workflow body and get its node, not its outputs."""

from __future__ import annotations

from typing import Any

from aloft.errors import CompileError
from aloft.sdk.entity import Entity
from aloft.sdk.promise import NodeHandle, Promise
from aloft.sdk.tracing import active_builder


def create_node(entity: Entity, *args: Any, **kwargs: Any) -> NodeHandle:
    """Add a node running ``entity`` to the workflow being defined and return it.

    Its outputs are attributes (``node.o0``); order nodes with ``a >> b``.
    """
    if active_builder() is None:
        raise CompileError("create_node can only be used inside a @workflow body")
    outputs = entity(*args, **kwargs)
    if isinstance(outputs, NodeHandle):
        return outputs
    first = outputs[0] if isinstance(outputs, tuple) else outputs
    if not isinstance(first, Promise):  # pragma: no cover - calls in a body return promises
        raise CompileError(f"create_node: {entity!r} did not produce a node")
    return first._node_handle()
