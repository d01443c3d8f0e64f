"""Signals for gates, as a local run gives them: from ``--signal name=value`` options, from
Python values, or from the person at the terminal when a gate starts waiting.

A signal is typed by the gate that waits for it (``wait_for_input``'s ``expected_type``; a
boolean for ``approve``), and checked against that type before it is stored.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aloft.engine import EngineHost
from aloft.errors import InputError, TypeTransformerError
from aloft.ir import (
    NONE_TYPE,
    CollectionType,
    ExecutionId,
    GateKind,
    GateTarget,
    JsonType,
    Literal,
    LiteralType,
    MapType,
    NodeKey,
    NodePhase,
    SimpleKind,
    SimpleType,
    WorkflowClosure,
    describe,
)
from aloft.storage.executions import ExecutionStore
from aloft.types import parse_cli_value, to_literal

_SIMPLE = {
    SimpleKind.INTEGER: int,
    SimpleKind.FLOAT: float,
    SimpleKind.STRING: str,
    SimpleKind.BOOLEAN: bool,
}


def signal_type(gate: GateTarget) -> Any:
    """The Python type a signal for ``gate`` is given as."""
    if gate.gate is GateKind.APPROVE:
        return bool
    assert gate.type is not None
    py_type = _python_type(gate.type)
    if py_type is None:
        raise InputError(
            f"signal {gate.name!r} is a {describe(gate.type)}, which cannot be given here"
        )
    return py_type


def signal_literal(closure: WorkflowClosure, name: str, value: Any, *, text: bool) -> Literal:
    """``value`` (a Python value, or text when ``text``) as the literal of signal ``name``."""
    gates = closure.signal_gates()
    gate = gates.get(name)
    if gate is None:
        known = ", ".join(sorted(gates)) or "none"
        raise InputError(f"no gate waits for a signal named {name!r}; signals: {known}")
    py_type = signal_type(gate)
    try:
        python_value = parse_cli_value(value, py_type) if text else value
        return to_literal(python_value, py_type)
    except TypeTransformerError as exc:
        raise InputError(f"invalid value for signal {name!r}: {exc}") from None


def parse_signal_options(closure: WorkflowClosure, options: Iterable[str]) -> dict[str, Literal]:
    """``--signal name=value`` options as signal literals."""
    signals = {}
    for option in options:
        name, equals, text = option.partition("=")
        if not equals or not name:
            raise InputError(f"--signal {option!r}: expected name=value")
        signals[name] = signal_literal(closure, name, text, text=True)
    return signals


def give_signals(
    store: ExecutionStore, execution: ExecutionId, signals: Mapping[str, Literal]
) -> None:
    """Store ``signals`` for ``execution``'s gates."""
    for name, literal in signals.items():
        store.give_signal(execution, name, literal)


def signal_watcher(
    host: EngineHost,
    store: ExecutionStore,
    execution: ExecutionId,
    closure: WorkflowClosure,
    how_to_give: str,
) -> Callable[[], None] | None:
    """Something to call between turns of ``host``'s loop while ``execution`` runs, for each
    gate that has started waiting for a signal not given yet: when stdin is a terminal it
    asks for the value, otherwise it says once, on stderr, what the gate waits for and
    ``how_to_give`` it. None if ``closure`` has no such gates."""
    gates = closure.signal_gates()
    if not gates:
        return None
    interactive = sys.stdin.isatty()
    seen: set[str] = set()

    def watch() -> None:
        view = host.views.get(execution)
        if view is None:
            return
        for record in list(view.nodes.values()):
            if record.phase is not NodePhase.WAITING:
                continue
            frame = view.owner.get(record.key)
            gate = frame.plan.nodes[record.key.node_id].target if frame else None
            if not isinstance(gate, GateTarget) or gate.gate is GateKind.SLEEP:
                continue
            if gate.name in view.record.signals or gate.name in seen:
                continue
            seen.add(gate.name)
            if interactive:
                store.give_signal(execution, gate.name, _ask(closure, gate))
            else:
                sys.stderr.write(f"{_waits(gate, record.key)}; {how_to_give.format(gate.name)}\n")
                sys.stderr.flush()

    return watch


def _waits(gate: GateTarget, key: NodeKey) -> str:
    kind = "a yes or no" if gate.gate is GateKind.APPROVE else describe(gate.type or NONE_TYPE)
    limit = f" for up to {gate.timeout}" if gate.timeout else ""
    return f"gate {gate.name!r} (node {key}) waits{limit} for signal {gate.name!r} ({kind})"


def _ask(closure: WorkflowClosure, gate: GateTarget) -> Literal:
    question = (
        f"approve {gate.name!r}? [y/n]"
        if gate.gate is GateKind.APPROVE
        else f"value for {gate.name!r} ({describe(gate.type) if gate.type else ''})"
    )
    while True:
        sys.stderr.write(f"{question}: ")
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            raise InputError(f"no answer for signal {gate.name!r}: standard input ended")
        text = line.strip()
        if gate.gate is GateKind.APPROVE and text.strip().lower() in ("y", "n"):
            text = "true" if text.strip().lower() == "y" else "false"
        try:
            return signal_literal(closure, gate.name, text, text=True)
        except InputError as exc:
            sys.stderr.write(f"{exc}\n")


def _python_type(literal_type: LiteralType) -> Any:
    if isinstance(literal_type, SimpleType):
        return _SIMPLE.get(literal_type.simple)
    if isinstance(literal_type, CollectionType):
        element = _python_type(literal_type.element)
        return None if element is None else list[element]  # type: ignore[valid-type]
    if isinstance(literal_type, MapType):
        key = _SIMPLE.get(literal_type.key)
        value = _python_type(literal_type.value)
        return None if value is None else dict[key, value]  # type: ignore[valid-type]
    if isinstance(literal_type, JsonType):
        return dict
    return None
