"""Executions, their phases, errors and events, and the attempt handed to a worker."""

from __future__ import annotations

import datetime
from enum import StrEnum

import msgspec

from aloft.ir.base import IRModel
from aloft.ir.identifiers import ExecutionId, Identifier
from aloft.ir.literals import Literal
from aloft.ir.task import TaskTemplate
from aloft.ir.workflow import WorkflowClosure


class ExecutionPhase(StrEnum):
    """Lifecycle of a whole execution."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ABORTED = "aborted"

    @property
    def is_terminal(self) -> bool:
        """Whether the execution has finished."""
        return self in _TERMINAL_EXECUTION


_TERMINAL_EXECUTION = {ExecutionPhase.SUCCEEDED, ExecutionPhase.FAILED, ExecutionPhase.ABORTED}


class NodePhase(StrEnum):
    """Lifecycle of one node (and of each attempt of it)."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    RETRYABLE_FAILURE = "retryable_failure"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"
    ABORTED = "aborted"

    @property
    def is_terminal(self) -> bool:
        """Whether the node will change no more."""
        return self in _TERMINAL_NODE


_TERMINAL_NODE = {NodePhase.SUCCEEDED, NodePhase.FAILED, NodePhase.SKIPPED, NodePhase.ABORTED}


class ErrorKind(StrEnum):
    """Who is at fault, which decides whether and from which budget a failure is retried."""

    USER = "user"
    """The task raised; not retried."""
    RECOVERABLE = "recoverable"
    """The task raised ``FlyteRecoverableException``; retried from the task's ``retries``."""
    TIMEOUT = "timeout"
    """The attempt ran past the task's timeout and was stopped; retried like ``RECOVERABLE``."""
    SYSTEM = "system"
    """The platform failed (worker lost, code not loadable); retried from the system budget."""


class ExecutionError(IRModel, frozen=True):
    """Why an attempt, node or execution failed."""

    kind: ErrorKind
    message: str
    node: str = ""
    task: str = ""
    traceback: str = ""


class ExecutionSpec(IRModel, frozen=True):
    """What to run: the compiled closure and its input literals."""

    id: ExecutionId
    closure: WorkflowClosure
    inputs: dict[str, Literal] = msgspec.field(default_factory=dict)
    launch_plan: Identifier | None = None
    max_parallelism: int | None = None


class NodeEvent(IRModel, frozen=True):
    """A node attempt changed phase. Keyed by (execution, node, attempt, phase)."""

    execution: ExecutionId
    node: str
    attempt: int
    phase: NodePhase
    occurred_at: datetime.datetime
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None


class ExecutionEvent(IRModel, frozen=True):
    """The execution changed phase."""

    execution: ExecutionId
    phase: ExecutionPhase
    occurred_at: datetime.datetime
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None


class TaskAttemptSpec(IRModel, frozen=True):
    """One attempt of one task, as handed to an executor and on to a worker."""

    execution: ExecutionId
    node: str
    attempt: int
    task: TaskTemplate
    inputs: dict[str, Literal]
    timeout: datetime.timedelta | None = None


class TaskAttemptResult(IRModel, frozen=True):
    """What a worker reports back: outputs on success, an error otherwise."""

    node: str
    attempt: int
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None
