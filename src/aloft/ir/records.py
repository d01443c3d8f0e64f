"""The records an execution is stored as, and the events its transitions leave behind.

An execution is a set of records in the metadata store (DESIGN.md, "The engine, precisely"):
one ``ExecutionRecord``, one ``NodeRecord`` per node that has started (keyed by its
``NodeKey``), one ``AttemptRecord`` per task attempt (keyed by its token), and an append-only
log of ``Event`` s. Records are frozen: a change is a new record, written by the engine in one
version-guarded transaction.

Phases only move forward; the functions at the end say which moves are allowed, and every
store enforces them, whoever writes.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

import msgspec

from aloft.ir.base import Document, IRModel
from aloft.ir.execution import ExecutionError, ExecutionPhase, ItemResult, NodePhase
from aloft.ir.identifiers import ExecutionId
from aloft.ir.literals import Literal
from aloft.ir.node_key import ROOT, NodeKey
from aloft.ir.workflow import WorkflowClosure


class OutputsDocument(Document, frozen=True, kw_only=True):
    """``outputs.json``: the output literals a worker wrote under its attempt's prefix (for a
    batch attempt of an array node: each successful item's, in ``items``; for a ``@dynamic``
    task: the ``workflow`` it built, in place of outputs)."""

    outputs: dict[str, Literal] = msgspec.field(default_factory=dict)
    items: tuple[ItemResult, ...] = ()
    workflow: WorkflowClosure | None = None


class CacheStatus(StrEnum):
    """What the cache (catalog) did for a node."""

    NONE = ""
    DISABLED = "disabled"
    MISS = "miss"
    HIT = "hit"
    POPULATED = "populated"


_ITEM_PHASES = tuple(NodePhase)


class ArrayItems(IRModel, frozen=True):
    """The items of an array (map) node, compactly: one byte of phase per item plus counts.

    An array node over 100,000 items is one node record holding this, not 100,000 records.
    Items run in batch attempts (``batches`` counts those made so far, which numbers the next;
    ``open_batches`` are those whose items have not been moved on yet); an item's failures
    are counted only once it has failed, so its attempt number is the sum of its user and
    system failures. Items whose outputs were found in the cache hold them in ``cached``.
    """

    phases: bytes
    counts: dict[NodePhase, int]
    batches: int = 0
    open_batches: tuple[int, ...] = ()
    cached: dict[int, dict[str, Literal]] = msgspec.field(default_factory=dict)
    user_failures: dict[int, int] = msgspec.field(default_factory=dict)
    system_failures: dict[int, int] = msgspec.field(default_factory=dict)

    @classmethod
    def new(cls, size: int) -> ArrayItems:
        """``size`` items, none started."""
        return cls(phases=bytes(size), counts={NodePhase.NOT_STARTED: size} if size else {})

    def __len__(self) -> int:
        return len(self.phases)

    def phase(self, index: int) -> NodePhase:
        """The phase of item ``index``."""
        return _ITEM_PHASES[self.phases[index]]

    def attempt(self, index: int) -> int:
        """The attempt number item ``index`` runs (or ran) next."""
        return self.user_failures.get(index, 0) + self.system_failures.get(index, 0)

    def waiting(self, limit: int) -> list[int]:
        """Up to ``limit`` items waiting to run (not started, or to be retried), in order."""
        found: list[int] = []
        for phase in (NodePhase.NOT_STARTED, NodePhase.RETRYABLE_FAILURE):
            code, start = _ITEM_PHASES.index(phase), 0
            for _ in range(min(limit, self.counts.get(phase, 0))):
                start = self.phases.index(code, start) + 1
                found.append(start - 1)
        return sorted(found)[:limit]

    def with_phase(self, index: int, phase: NodePhase) -> ArrayItems:
        """These items with item ``index`` moved to ``phase`` (forward only)."""
        return self.with_phases({index: phase})

    def with_phases(self, moves: dict[int, NodePhase], **changes: object) -> ArrayItems:
        """These items with each item of ``moves`` moved to its phase (forward only), and
        the other fields in ``changes`` replaced."""
        phases = bytearray(self.phases)
        counts = dict(self.counts)
        for index, phase in moves.items():
            old = _ITEM_PHASES[phases[index]]
            if not node_move_allowed(old, phase):
                raise ValueError(f"item {index} cannot move from {old} to {phase}")
            phases[index] = _ITEM_PHASES.index(phase)
            counts[old] -= 1
            if not counts[old]:
                del counts[old]
            counts[phase] = counts.get(phase, 0) + 1
        return msgspec.structs.replace(self, phases=bytes(phases), counts=counts, **changes)


class ExecutionRecord(Document, frozen=True, kw_only=True):
    """An execution's phase and result; its spec is stored once, apart from this record.

    ``version`` grows by one with every step written and every result or terminate request
    accepted; the engine writes only if the version is still the one it read. (Lease
    renewals do not change it.) ``signals`` holds the values given to the execution's gates,
    by signal name: each is given once and never changes.
    """

    id: ExecutionId
    phase: ExecutionPhase = ExecutionPhase.QUEUED
    version: int = 0
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None
    abort_requested: bool = False
    signals: dict[str, Literal] = msgspec.field(default_factory=dict)
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None


class NodeRecord(Document, frozen=True, kw_only=True):
    """One node of an execution.

    ``attempt`` and ``token`` name the node's current attempt (task nodes); ``inputs`` are
    the literals the node was started with; its outputs are either in ``outputs`` or in the
    ``outputs.json`` document at ``outputs_uri``. An array node holds its ``items``; a
    branch node the index of the case it took (``branch``); a dynamic node the ``workflow``
    its task built, which runs as the node's children; a launch plan node the ``child``
    execution it started. A ``recovered`` node took its outputs from the execution its own
    recovers, without running.
    """

    key: NodeKey
    phase: NodePhase = NodePhase.NOT_STARTED
    attempt: int = 0
    token: str = ""
    user_failures: int = 0
    system_failures: int = 0
    inputs: dict[str, Literal] | None = None
    outputs: dict[str, Literal] | None = None
    outputs_uri: str = ""
    error: ExecutionError | None = None
    cache_status: CacheStatus = CacheStatus.NONE
    items: ArrayItems | None = None
    branch: int | None = None
    workflow: WorkflowClosure | None = None
    child: ExecutionId | None = None
    recovered: bool = False
    started_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None


class AttemptRecord(Document, frozen=True, kw_only=True):
    """One attempt of a task node, fenced by its token.

    ``owner`` is the engine host that submitted it, ``lease_expires`` (seconds since the
    epoch) how long it is believed alive without another heartbeat. A batch attempt of an
    array node names the ``items`` it runs and, once it ran, how each ended
    (``item_results``). ``log_uri`` and ``deck_uri`` name the attempt's captured output and
    its deck file (a task with decks enabled), in the blob store. ``log_uri`` is set when the
    attempt starts, since its worker publishes what it has printed there while it runs; once
    the attempt has ended it is what the result reported (empty if nothing was printed).
    """

    execution: ExecutionId
    node: NodeKey
    number: int
    token: str
    phase: NodePhase = NodePhase.RUNNING
    owner: str = ""
    worker: str = ""
    lease_expires: float | None = None
    outputs_uri: str = ""
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None
    log_uri: str = ""
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    items: tuple[int, ...] = ()
    item_results: tuple[ItemResult, ...] = ()
    workflow: WorkflowClosure | None = None
    deck_uri: str = ""


class EventKind(StrEnum):
    """What an event is about."""

    EXECUTION = "execution"
    NODE = "node"
    ATTEMPT = "attempt"


class Event(Document, frozen=True, kw_only=True):
    """One transition, appended to the execution's event log.

    Its idempotency key is (execution, kind, node, attempt, phase): appending an event whose
    key is already in the log is a no-op, so replaying a step or a result changes nothing.
    ``host`` and ``version`` say which engine host wrote it, at which execution version.
    """

    execution: ExecutionId
    kind: EventKind
    phase: str
    occurred_at: datetime.datetime
    node: NodeKey = ROOT
    attempt: int = 0
    host: str = ""
    version: int = 0
    message: str = ""

    @property
    def key(self) -> tuple[ExecutionId, EventKind, NodeKey, int, str]:
        """The idempotency key."""
        return (self.execution, self.kind, self.node, self.attempt, self.phase)


# -- forward-only phases ----------------------------------------------------------------------

_NODE_MOVES: dict[NodePhase, frozenset[NodePhase]] = {
    NodePhase.NOT_STARTED: frozenset(
        {
            NodePhase.RUNNING,
            NodePhase.SUCCEEDED,
            NodePhase.FAILED,
            NodePhase.SKIPPED,
            NodePhase.ABORTED,
            NodePhase.WAITING,
        }
    ),
    NodePhase.RUNNING: frozenset(
        {
            NodePhase.RUNNING,
            NodePhase.RETRYABLE_FAILURE,
            NodePhase.SUCCEEDED,
            NodePhase.FAILED,
            NodePhase.ABORTED,
        }
    ),
    NodePhase.RETRYABLE_FAILURE: frozenset(
        {NodePhase.RUNNING, NodePhase.WAITING, NodePhase.FAILED, NodePhase.ABORTED}
    ),
    NodePhase.WAITING: frozenset(  # a gate ends; a node waiting for a cache reservation runs
        {
            NodePhase.WAITING,
            NodePhase.RUNNING,
            NodePhase.SUCCEEDED,
            NodePhase.FAILED,
            NodePhase.ABORTED,
        }
    ),
}

_EXECUTION_MOVES: dict[ExecutionPhase, frozenset[ExecutionPhase]] = {
    ExecutionPhase.QUEUED: frozenset(
        {
            ExecutionPhase.QUEUED,
            ExecutionPhase.RUNNING,
            ExecutionPhase.SUCCEEDED,
            ExecutionPhase.FAILED,
            ExecutionPhase.ABORTED,
        }
    ),
    ExecutionPhase.RUNNING: frozenset(
        {
            ExecutionPhase.RUNNING,
            ExecutionPhase.SUCCEEDED,
            ExecutionPhase.FAILED,
            ExecutionPhase.ABORTED,
        }
    ),
}


def node_move_allowed(old: NodePhase, new: NodePhase) -> bool:
    """Whether a node (or array item) may move from ``old`` to ``new``.

    Terminal phases are final; a running node may be rewritten in place (an array node's
    item counts change while it runs).
    """
    return new in _NODE_MOVES.get(old, frozenset())


def attempt_move_allowed(old: NodePhase, new: NodePhase) -> bool:
    """Whether an attempt may move from ``old`` to ``new``: only from RUNNING to an end."""
    return old is NodePhase.RUNNING and new.is_terminal


def execution_move_allowed(old: ExecutionPhase, new: ExecutionPhase) -> bool:
    """Whether an execution may move from ``old`` to ``new``; terminal phases are final."""
    return new in _EXECUTION_MOVES.get(old, frozenset())
