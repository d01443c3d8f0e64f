"""Gate nodes: wait, in the WAITING phase, for time to pass or for a signal.

A gate runs nothing. Its node is WAITING from the moment it starts; each step that touches
it looks at the clock and at the signals stored with the execution, and either ends it or
asks to be woken when its sleep or its timeout is over. A signal given to the execution
bumps its version, so the engine steps it again and the gate sees the signal.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from aloft.engine.handlers.base import NodeHandler, start_node, user_error
from aloft.ir import (
    BooleanValue,
    GateKind,
    GateTarget,
    Literal,
    Node,
    NodeKey,
    NodePhase,
    NodeRecord,
)

if TYPE_CHECKING:
    from aloft.engine.step import Step
    from aloft.engine.view import Frame

GATE_OUTPUT = "o0"
"""The output of a signal or approve gate (flytekit's name)."""


class GateHandler(NodeHandler):
    """Ends a gate node when its time has come or its signal is there."""

    def start(
        self,
        step: Step,
        frame: Frame,
        node: Node,
        key: NodeKey,
        record: NodeRecord | None,
        inputs: dict[str, Literal],
    ) -> None:
        self.advance(step, frame, start_node(step, key, NodePhase.WAITING, inputs))

    def resume(self, step: Step, frame: Frame, node: Node, record: NodeRecord) -> None:
        step.view.touched[record.key] = None

    def advance(self, step: Step, frame: Frame, record: NodeRecord) -> None:
        gate = frame.plan.nodes[record.key.node_id].target
        assert isinstance(gate, GateTarget)
        started = (record.started_at or step.at).timestamp()
        if gate.gate is GateKind.SLEEP:
            due = started + _seconds(gate.duration)
            if step.now >= due:
                step.node_succeeded(record.key, outputs={})
            else:
                step.wake(record.key, due)
            return
        signal = step.view.record.signals.get(gate.name)
        if signal is not None:
            _signalled(step, gate, record, signal)
        elif gate.timeout is not None and step.now >= started + _seconds(gate.timeout):
            message = f"gate {gate.name!r} timed out: no signal within {gate.timeout}"
            step.node_failed(record.key, user_error(message, record.key))
        elif gate.timeout is not None:
            step.wake(record.key, started + _seconds(gate.timeout))


def _signalled(step: Step, gate: GateTarget, record: NodeRecord, signal: Literal) -> None:
    if gate.gate is GateKind.SIGNAL:
        step.node_succeeded(record.key, outputs={GATE_OUTPUT: signal})
    elif isinstance(signal, BooleanValue) and signal.value:
        value = (record.inputs or {}).get("value")
        step.node_succeeded(record.key, outputs={GATE_OUTPUT: value} if value else {})
    else:
        step.node_failed(record.key, user_error(f"gate {gate.name!r} was rejected", record.key))


def _seconds(duration: datetime.timedelta | None) -> float:
    return duration.total_seconds() if duration is not None else 0.0
