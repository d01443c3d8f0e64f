"""The execution store interface and its in-memory implementation.

The store is the truth (DESIGN.md, principle 3): the engine records every transition as an
event before acting on it, and on (re)start rebuilds its view from ``load``. A persistent
store implements the same four methods over a database.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from aloft.engine.state import ExecutionState
from aloft.errors import InputError
from aloft.ir import ExecutionEvent, ExecutionId, ExecutionSpec, NodeEvent


class ExecutionStore(ABC):
    """Where executions, their node states and their events live."""

    @abstractmethod
    def create(self, spec: ExecutionSpec) -> None:
        """Store a new execution; an id already present is an error."""

    @abstractmethod
    def load(self, execution: ExecutionId) -> ExecutionState:
        """The current state of an execution."""

    @abstractmethod
    def record_node_event(self, event: NodeEvent) -> None:
        """Apply a node event; recording the same (node, attempt, phase) twice is a no-op."""

    @abstractmethod
    def record_execution_event(self, event: ExecutionEvent) -> None:
        """Apply an execution event."""


class InMemoryStore(ExecutionStore):
    """Keeps everything in this process: for local runs and tests."""

    def __init__(self) -> None:
        self._executions: dict[ExecutionId, ExecutionState] = {}

    def create(self, spec: ExecutionSpec) -> None:
        if spec.id in self._executions:
            raise InputError(f"execution {spec.id} already exists")
        self._executions[spec.id] = ExecutionState(spec)

    def load(self, execution: ExecutionId) -> ExecutionState:
        try:
            return self._executions[execution]
        except KeyError:
            raise InputError(f"no execution {execution}") from None

    def record_node_event(self, event: NodeEvent) -> None:
        self._executions[event.execution].node(event.node).apply(event)

    def record_execution_event(self, event: ExecutionEvent) -> None:
        self._executions[event.execution].apply(event)
