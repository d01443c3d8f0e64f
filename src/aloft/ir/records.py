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
from aloft.ir.execution import ExecutionError, ExecutionPhase, NodePhase
from aloft.ir.identifiers import ExecutionId
from aloft.ir.literals import Literal
from aloft.ir.node_key import ROOT, NodeKey


class OutputsDocument(Document, frozen=True, kw_only=True):
    """``outputs.json``: the output literals a worker wrote under its attempt's prefix."""

    outputs: dict[str, Literal] = msgspec.field(default_factory=dict)


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

    An array node over 100,000 items is one node record holding this, not 100,000 records;
    an item gets attempt records only when it runs.
    """

    phases: bytes
    counts: dict[NodePhase, int]

    @classmethod
    def new(cls, size: int) -> ArrayItems:
        """``size`` items, none started."""
        return cls(phases=bytes(size), counts={NodePhase.NOT_STARTED: size} if size else {})

    def __len__(self) -> int:
        return len(self.phases)

    def phase(self, index: int) -> NodePhase:
        """The phase of item ``index``."""
        return _ITEM_PHASES[self.phases[index]]

    def with_phase(self, index: int, phase: NodePhase) -> ArrayItems:
        """These items with item ``index`` moved to ``phase`` (forward only)."""
        old = self.phase(index)
        if not node_move_allowed(old, phase):
            raise ValueError(f"item {index} cannot move from {old} to {phase}")
        phases = bytearray(self.phases)
        phases[index] = _ITEM_PHASES.index(phase)
        counts = dict(self.counts)
        counts[old] -= 1
        if not counts[old]:
            del counts[old]
        counts[phase] = counts.get(phase, 0) + 1
        return ArrayItems(phases=bytes(phases), counts=counts)


class ExecutionRecord(Document, frozen=True, kw_only=True):
    """An execution's phase and result; its spec is stored once, apart from this record.

    ``version`` grows by one with every step written and every result or terminate request
    accepted; the engine writes only if the version is still the one it read. (Lease
    renewals do not change it.)
    """

    id: ExecutionId
    phase: ExecutionPhase = ExecutionPhase.QUEUED
    version: int = 0
    outputs: dict[str, Literal] | None = None
    error: ExecutionError | None = None
    abort_requested: bool = False
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None


class NodeRecord(Document, frozen=True, kw_only=True):
    """One node of an execution.

    ``attempt`` and ``token`` name the node's current attempt (task nodes); ``inputs`` are
    the literals the node was started with; its outputs are either in ``outputs`` or in the
    ``outputs.json`` document at ``outputs_uri``.
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
    started_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None


class AttemptRecord(Document, frozen=True, kw_only=True):
    """One attempt of a task node, fenced by its token.

    ``owner`` is the engine host that submitted it, ``lease_expires`` (seconds since the
    epoch) how long it is believed alive without another heartbeat.
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
        {NodePhase.RUNNING, NodePhase.FAILED, NodePhase.ABORTED}
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
