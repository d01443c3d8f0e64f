"""Tracing a body into a compiled workflow: what ``@workflow`` does once at decoration, and
what a ``@dynamic`` task does each time it runs, on its actual inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aloft.compiler import Location, TracedBinding, TracedGraph, TracedNode, compile_workflow
from aloft.errors import CompileError
from aloft.ir import FailurePolicy, Identifier, TypedInterface, WorkflowClosure
from aloft.sdk.entity import traced_binding
from aloft.sdk.interface import Interface
from aloft.sdk.promise import NodeHandle
from aloft.sdk.tracing import GraphBuilder, tracing


def trace_body(
    function: Callable[..., Any],
    inputs: dict[str, Any],
    workflow_id: Identifier,
    interface: Interface,
    typed: TypedInterface,
    location: Location,
    what: str,
    *,
    failure_policy: FailurePolicy = FailurePolicy.FAIL_IMMEDIATELY,
    interruptible: bool | None = None,
    failure_node: TracedNode | None = None,
) -> tuple[WorkflowClosure, dict[Identifier, Any]]:
    """Run ``function`` on ``inputs`` (promises, or a dynamic's values), recording its calls,
    and compile them; returns the closure and the Python task objects it calls."""
    builder = GraphBuilder(workflow_id.name)
    where = f"{location}: {what}"
    with tracing(builder):
        returned = function(**inputs)
        if builder.in_case:
            raise CompileError(
                f"{where}: a case of a conditional is not closed; follow each if_(), "
                "elif_() and else_() with then(...) or fail(...)"
            )
        outputs = output_bindings(interface, returned, where)
    graph = TracedGraph(
        id=workflow_id,
        interface=typed,
        nodes=builder.nodes,
        outputs=outputs,
        location=location,
        failure_policy=failure_policy,
        interruptible=interruptible,
        failure_node=failure_node,
    )
    return compile_workflow(graph), builder.tasks


def output_bindings(interface: Interface, returned: Any, what: str) -> dict[str, TracedBinding]:
    """What a traced body returned, as bindings of its declared outputs."""
    declared = interface.outputs
    names = list(declared)
    if not names:
        if returned is not None and not isinstance(returned, NodeHandle):
            raise CompileError(
                f"{what} returns a value but declares no outputs; add a return annotation"
            )
        return {}
    if returned is None:
        raise CompileError(f"{what}: declared output {', '.join(map(repr, names))} is not bound")
    if len(names) == 1 and not (interface.output_tuple and isinstance(returned, tuple)):
        values: tuple[Any, ...] = (returned,)
    elif isinstance(returned, tuple) and len(returned) == len(names):
        values = tuple(returned)
    else:
        raise CompileError(
            f"{what} declares {len(names)} outputs ({', '.join(names)}) but returns {returned!r}"
        )
    return {
        name: traced_binding(value, declared[name], f"{what}, output {name!r}")
        for name, value in zip(names, values, strict=True)
    }
