"""The state of an execution as a store reports it: what the engine reconciles from."""

from __future__ import annotations

from dataclasses import dataclass, field

from aloft.ir import (
    ErrorKind,
    ExecutionError,
    ExecutionEvent,
    ExecutionPhase,
    ExecutionSpec,
    Literal,
    NodeEvent,
    NodePhase,
)


@dataclass
class NodeState:
    """The latest known phase of one node, with its attempt counters and outputs.

    ``key`` is the node's path in the execution: ``n1`` at the top, ``n1/n0`` for node ``n0``
    of the subworkflow run by ``n1``.
    """

    key: str
    phase: NodePhase = NodePhase.NOT_STARTED
    attempt: int = 0
    user_failures: int = 0
    system_failures: int = 0
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None

    def apply(self, event: NodeEvent) -> bool:
        """Fold ``event`` into this state; False when it was already applied (a replay)."""
        if (event.attempt, event.phase) == (self.attempt, self.phase):
            return False
        self.attempt = event.attempt
        self.phase = event.phase
        if event.outputs is not None:
            self.outputs = event.outputs
        if event.error is not None:
            self.error = event.error
            if event.error.kind is ErrorKind.SYSTEM:
                self.system_failures += 1
            else:
                self.user_failures += 1
        return True


@dataclass
class ExecutionState:
    """An execution's spec, phase, per-node state and, once finished, outputs or error."""

    spec: ExecutionSpec
    phase: ExecutionPhase = ExecutionPhase.QUEUED
    nodes: dict[str, NodeState] = field(default_factory=dict)
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None

    def node(self, key: str) -> NodeState:
        """The state of node ``key``; a node never seen yet has not started."""
        state = self.nodes.get(key)
        if state is None:
            state = self.nodes[key] = NodeState(key)
        return state

    def apply(self, event: ExecutionEvent) -> None:
        """Fold an execution event into this state."""
        self.phase = event.phase
        if event.outputs is not None:
            self.outputs = event.outputs
        if event.error is not None:
            self.error = event.error
