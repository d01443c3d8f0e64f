"""Gates: nodes that wait for time to pass, for a value, or for an approval.

``sleep(timedelta(minutes=5))`` waits; ``wait_for_input("name", timeout, int)`` waits for
the signal ``name`` and gives its value; ``approve(promise, "name", timeout)`` waits for a
yes (the signal ``name``, a boolean) and passes ``promise`` on, failing on a no. They are
written only inside a workflow body, as flytekit's are, and run as gate nodes: WAITING in
the engine, never holding a worker. A gate whose timeout passes without its signal fails,
naming the gate.
"""

from __future__ import annotations

import datetime
from typing import Any

from aloft.compiler import NodeRunnable, TracedGate
from aloft.errors import CompileError, DecoratorError, TypeTransformerError
from aloft.ir import GateKind, GateTarget, Identifier, TypedInterface, Variable, WorkflowClosure
from aloft.sdk.entity import Entity
from aloft.sdk.interface import Interface
from aloft.sdk.location import caller_location
from aloft.sdk.promise import NodeHandle, Promise
from aloft.sdk.tracing import active_builder
from aloft.types import literal_type_of


class Gate(Entity):
    """One gate, called once inside a workflow body (what the functions below create)."""

    def __init__(self, target: GateTarget, python_interface: Interface) -> None:
        self.name = target.name or f"sleep-{target.duration}"
        self.target = target
        self.python_interface = python_interface
        self.interface = TypedInterface(
            inputs={
                n: Variable(type=literal_type_of(t)) for n, t in python_interface.inputs.items()
            },
            outputs={
                n: Variable(type=literal_type_of(t)) for n, t in python_interface.outputs.items()
            },
        )

    @property
    def closure(self) -> WorkflowClosure:
        raise CompileError(f"gate {self.name!r} can only wait inside a workflow")

    def node_target(self) -> NodeRunnable:
        return TracedGate(target=self.target, interface=self.interface)

    def task_objects(self) -> dict[Identifier, Any]:
        return {}


def sleep(duration: datetime.timedelta) -> NodeHandle:
    """A node that waits ``duration``; order others after it with ``>>``."""
    where = _inside_workflow("sleep")
    _duration(duration, "duration", where)
    gate = Gate(GateTarget(gate=GateKind.SLEEP, duration=duration), Interface({}, {}, {}))
    handle = gate()
    assert isinstance(handle, NodeHandle)
    return handle


def wait_for_input(
    name: str, timeout: datetime.timedelta | None = None, expected_type: Any = None
) -> Promise:
    """A node that waits for signal ``name`` (a value of ``expected_type``) and gives it."""
    where = _inside_workflow("wait_for_input")
    _name(name, where)
    _duration(timeout, "timeout", where)
    if expected_type is None:
        raise DecoratorError(f"{where}: wait_for_input({name!r}) needs expected_type=")
    try:
        literal_type = literal_type_of(expected_type)
    except TypeTransformerError as exc:
        raise DecoratorError(f"{where}: wait_for_input({name!r}): expected_type: {exc}") from None
    target = GateTarget(gate=GateKind.SIGNAL, name=name, timeout=timeout, type=literal_type)
    promise = Gate(target, Interface({}, {}, {"o0": expected_type}))()
    assert isinstance(promise, Promise)
    return promise


def approve(
    upstream_item: Promise, name: str, timeout: datetime.timedelta | None = None
) -> Promise:
    """A node that waits for a yes (signal ``name``, a boolean) and then gives
    ``upstream_item``; a no fails it."""
    where = _inside_workflow("approve")
    _name(name, where)
    _duration(timeout, "timeout", where)
    if not isinstance(upstream_item, Promise):
        raise CompileError(
            f"{where}: approve({name!r}) needs the output of a node to pass on, "
            f"not {type(upstream_item).__name__}"
        )
    py_type = upstream_item.python_type
    target = GateTarget(gate=GateKind.APPROVE, name=name, timeout=timeout, type=None)
    promise = Gate(target, Interface({"value": py_type}, {}, {"o0": py_type}))(value=upstream_item)
    assert isinstance(promise, Promise)
    return promise


def _inside_workflow(what: str) -> str:
    where = str(caller_location())
    if active_builder() is None:
        raise CompileError(f"{where}: {what}() can only be used inside a workflow body")
    return where


def _name(name: Any, where: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise DecoratorError(f"{where}: a gate's name must be a non-empty string, not {name!r}")


def _duration(value: Any, what: str, where: str) -> None:
    if not isinstance(value, datetime.timedelta) or value <= datetime.timedelta(0):
        raise DecoratorError(
            f"{where}: a gate's {what} must be a positive datetime.timedelta, not {value!r}"
        )
