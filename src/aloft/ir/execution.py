"""Executions, their phases, errors and events, and the attempt handed to a worker."""

from __future__ import annotations

from enum import StrEnum

import msgspec

from aloft.ir.base import Document, IRModel
from aloft.ir.identifiers import ExecutionId, Identifier
from aloft.ir.literals import Literal
from aloft.ir.node_key import NodeKey
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
    WAITING = "waiting"
    """A gate node waiting for time to pass or for a signal (last: array items store phases
    by position)."""

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
    """The task raised ``FlyteRecoverableException``, or its process died by the task's own
    doing (an exit, a crash); retried from the task's ``retries``."""
    TIMEOUT = "timeout"
    """The attempt ran past the task's timeout and was stopped; retried like ``RECOVERABLE``."""
    SYSTEM = "system"
    """The platform failed (a worker lost, or killed from outside); retried from the system
    budget."""


class ExecutionError(IRModel, frozen=True):
    """Why an attempt, node or execution failed."""

    kind: ErrorKind
    message: str
    node: str = ""
    task: str = ""
    traceback: str = ""


class ParentNode(IRModel, frozen=True):
    """The node of another execution that started this one (a launch plan called in a
    workflow)."""

    execution: ExecutionId
    node: NodeKey


class RecoveredNode(IRModel, frozen=True):
    """A node that succeeded in the execution a recovery re-runs: its outputs, inline or in
    the outputs document at ``outputs_uri``."""

    outputs: dict[str, Literal] | None = None
    outputs_uri: str = ""


class ExecutionSpec(Document, frozen=True, kw_only=True):
    """What to run: the compiled closure and its input literals.

    ``max_parallelism`` caps how many task attempts of the execution run at once;
    ``code_root`` is the folder workers import task modules from when the code names no
    bundle (a local run of a file). A child execution names the node that started it in
    ``parent``; ``labels`` and ``annotations`` come from its launch plan. ``entrypoint``
    (``module:attribute``) names the Python object a local run started it from.

    A recovery (``recover_from``) re-runs a failed execution: a node found in ``recovered``
    (by node key) when it is about to start succeeds at once with the outputs it had there.
    """

    id: ExecutionId
    closure: WorkflowClosure
    inputs: dict[str, Literal] = msgspec.field(default_factory=dict)
    launch_plan: Identifier | None = None
    max_parallelism: int | None = None
    code_root: str = ""
    parent: ParentNode | None = None
    entrypoint: str = ""
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)
    recover_from: ExecutionId | None = None
    recovered: dict[str, RecoveredNode] = msgspec.field(default_factory=dict)


class ArrayItem(IRModel, frozen=True):
    """One item of an array node, as a batch attempt runs it: its index, its own attempt
    number and its inputs."""

    index: int
    attempt: int = 0
    inputs: dict[str, Literal] = msgspec.field(default_factory=dict)


class ItemResult(IRModel, frozen=True):
    """How one item of a batch attempt ended: its outputs, or its error."""

    index: int
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None


class CallOutcome(IRModel, frozen=True):
    """How one call of an ``@eager`` body ended, as recorded by the engine: its outputs, or
    the message of its error."""

    id: str
    outputs: dict[str, Literal] | None = None
    error: str = ""


class TaskAttemptSpec(IRModel, frozen=True):
    """One attempt of one task, as handed to an executor and on to a worker.

    Everything a worker needs travels here, so a worker reads no ambient setting to decide
    where data goes: ``output_prefix`` is the attempt's own folder in the blob store (its
    ``outputs.json``, log and offloaded values go under it), ``code_root`` the folder to
    import the task's module from when its code reference names no bundle, ``bundles`` the
    blob-store folder where code bundles named by digest are, for tasks whose code names a
    bundle. The executor stops an attempt once its task's timeout has passed since it started
    running (time spent waiting for a worker does not count), or at ``deadline`` (seconds since
    the epoch), an absolute bound on the attempt, whichever comes first.

    A batch attempt of an array node lists its ``items`` instead of ``inputs``: the worker
    runs the task once per item, each with its own conversion and outcome. A round of an
    ``@eager`` body carries the outcomes of the calls recorded so far in ``calls``.

    ``previous_checkpoints`` are the checkpoint folders of the node's earlier attempts, latest
    first: the task resumes from the first that holds a checkpoint (the engine fills them from
    the node's records; the attempt's own is under ``output_prefix``).
    """

    execution: ExecutionId
    node: NodeKey
    attempt: int
    token: str
    task: TaskTemplate
    inputs: dict[str, Literal]
    output_prefix: str
    deadline: float | None = None
    code_root: str = ""
    bundles: str = ""
    items: tuple[ArrayItem, ...] = ()
    calls: tuple[CallOutcome, ...] = ()
    previous_checkpoints: tuple[str, ...] = ()

    @property
    def timeout(self) -> float | None:
        """Seconds the task's own timeout allows, or None."""
        timeout = self.task.metadata.timeout
        return None if timeout is None else timeout.total_seconds()


class TaskAttemptResult(IRModel, frozen=True):
    """What a worker reports back, fenced by ``token``.

    On success the outputs are in the ``outputs.json`` document at ``outputs_uri``; an
    executor that runs the task in the engine's own process may hand them over as
    ``outputs`` instead, since nothing crosses a process boundary there. A batch attempt
    that ran reports each item in ``items``: its error, or (in the engine's own process) its
    outputs; the outputs of items that succeeded are otherwise in the document's ``items``.
    A ``@dynamic`` task gives, in place of outputs, the ``workflow`` it built (in the
    document, or here in the engine's own process). A task with decks enabled names its deck
    file in ``deck_uri``.
    """

    execution: ExecutionId
    node: NodeKey
    attempt: int
    token: str
    outputs_uri: str = ""
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None
    log_uri: str = ""
    worker: str = ""
    items: tuple[ItemResult, ...] = ()
    workflow: WorkflowClosure | None = None
    deck_uri: str = ""
