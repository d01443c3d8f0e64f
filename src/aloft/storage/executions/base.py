"""The metadata store interface: where executions and their records live.

The store is the truth (DESIGN.md, principle 3). The engine reads an execution's records
with ``load``, decides, and writes all its changes with ``apply`` in one transaction guarded
by the execution's version. Workers' results come in through ``accept_results``, which
accepts a result only for the node's current attempt while it is still running.

The store enforces, whoever writes: phases only move forward and terminal phases are final
(``aloft.ir.records``), appending an event whose key is already in the log is a no-op, and
every record handed out is a copy that no later write changes. It never imports the engine.

How to add a store: subclass ``ExecutionStore`` and pass the contract suite in
``tests/contracts/execution_store.py``.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from aloft.errors import InputError, PlatformError
from aloft.ir import (
    AttemptRecord,
    Event,
    ExecutionId,
    ExecutionPhase,
    ExecutionRecord,
    ExecutionSpec,
    Literal,
    NodeKey,
    NodeRecord,
    TaskAttemptResult,
)


class ExecutionExists(InputError):
    """An execution with that id is already stored."""


class ExecutionNotFound(InputError):
    """No execution with that id is stored."""


class StoreUnavailable(InputError):
    """The metadata database cannot be reached, opened or created where its URL says."""


class StoreError(PlatformError):
    """The database failed an operation (a lost connection, a restarting server): the
    caller may try again later."""


class VersionConflict(PlatformError):
    """The execution changed since it was read: the step must be repeated from a fresh load."""


class SignalConflict(InputError):
    """A signal was given again with a different value (a signal is given once)."""


class InvalidTransition(PlatformError):
    """A write would move a phase backwards or out of a terminal phase; nothing was written."""


@dataclass
class ExecutionSnapshot:
    """Copies of an execution's records as of ``execution.version``."""

    execution: ExecutionRecord
    nodes: dict[NodeKey, NodeRecord] = field(default_factory=dict)
    attempts: dict[str, AttemptRecord] = field(default_factory=dict)


@dataclass
class Changes:
    """What one step writes: new versions of records and the events they leave.

    ``execution`` is the new execution record (``None``: unchanged). Node and attempt records
    replace the stored ones with the same key or token, or are added.
    """

    execution: ExecutionRecord | None = None
    nodes: dict[NodeKey, NodeRecord] = field(default_factory=dict)
    attempts: dict[str, AttemptRecord] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.execution or self.nodes or self.attempts or self.events)


@dataclass(frozen=True)
class ResultOutcome:
    """What the store did with one reported result.

    When ``accepted``, ``attempt`` is the attempt record as now stored and ``version`` the
    execution's new version; otherwise ``reason`` says why it was rejected.
    """

    result: TaskAttemptResult
    accepted: bool
    reason: str = ""
    attempt: AttemptRecord | None = None
    version: int = 0


@dataclass(frozen=True)
class ExecutionQuery:
    """Which executions ``list_executions`` returns, in which order, one page at a time.

    Every filter given must hold: ``labels`` must all be among the execution's labels, and
    ``created_after`` / ``created_before`` bound its creation time (inclusive, exclusive).
    ``after`` is the ``next`` position of the previous page.
    """

    phase: ExecutionPhase | None = None
    project: str | None = None
    domain: str | None = None
    workflow: str | None = None
    launch_plan: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    created_after: datetime.datetime | None = None
    created_before: datetime.datetime | None = None
    oldest_first: bool = False
    limit: int = 100
    after: int | None = None

    def matches(self, spec: ExecutionSpec, record: ExecutionRecord) -> bool:
        """Whether the execution of ``spec`` with ``record`` passes every filter (what a store
        without an index of its own checks)."""
        created = record.created_at or datetime.datetime.min.replace(tzinfo=datetime.UTC)
        launch_plan = spec.launch_plan.name if spec.launch_plan is not None else None
        return (
            (self.phase is None or record.phase is self.phase)
            and self.project in (None, spec.id.project)
            and self.domain in (None, spec.id.domain)
            and self.workflow in (None, spec.closure.workflow.id.name)
            and self.launch_plan in (None, launch_plan)
            and all(spec.labels.get(k) == v for k, v in self.labels.items())
            and (
                self.created_after is None
                or (created is not None and created >= self.created_after)
            )
            and (
                self.created_before is None
                or (created is not None and created < self.created_before)
            )
        )


@dataclass(frozen=True)
class ExecutionPage:
    """One page of executions, and the position to pass as ``after`` for the next (``None``:
    this was the last). ``entities`` holds, for each record in order, the names of the
    workflow and of the launch plan (empty if none) the execution runs."""

    records: list[ExecutionRecord]
    next: int | None = None
    entities: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Claim:
    """What ``claim`` handed to an engine host.

    ``acquired``: executions whose lease the host has just taken (load them whole);
    ``pending``: executions it already held that have changes to step.
    """

    acquired: list[ExecutionId]
    pending: list[ExecutionId]


class ExecutionStore(ABC):
    """Executions, their node and attempt records, event log and leases."""

    # -- executions --------------------------------------------------------------------------

    @abstractmethod
    def create(self, spec: ExecutionSpec, now: datetime.datetime) -> ExecutionRecord:
        """Store a new QUEUED execution, to be stepped; ``ExecutionExists`` if the id is taken."""

    @abstractmethod
    def spec(self, execution: ExecutionId) -> ExecutionSpec:
        """What ``execution`` runs (stored once, never changed)."""

    @abstractmethod
    def load(self, execution: ExecutionId) -> ExecutionSnapshot:
        """Copies of all of ``execution``'s records."""

    @abstractmethod
    def record(self, execution: ExecutionId) -> ExecutionRecord:
        """A copy of ``execution``'s execution record alone (its phase, outputs, error)."""

    @abstractmethod
    def list_executions(self, query: ExecutionQuery | None = None) -> ExecutionPage:
        """The execution records ``query`` selects (default: the newest 100), newest first
        unless it asks for the oldest."""

    @abstractmethod
    def events(self, execution: ExecutionId) -> list[Event]:
        """The event log of ``execution``, in the order it was appended."""

    # -- writing ---------------------------------------------------------------------------------

    @abstractmethod
    def apply(self, execution: ExecutionId, expected_version: int, changes: Changes) -> int:
        """Write ``changes`` in one transaction if the version is still ``expected_version``.

        Returns the new version, and clears the execution's pending mark (the writer has seen
        every change up to it). Raises ``VersionConflict`` if another write came first and
        ``InvalidTransition`` if a record would move backwards, or if the execution has ended;
        either way nothing is written. Attempt tokens are unique across the store: a token
        already used by another execution is refused too.
        """

    @abstractmethod
    def accept_results(
        self, results: Sequence[TaskAttemptResult], now: datetime.datetime
    ) -> list[ResultOutcome]:
        """Record each result whose token is its node's current, still running attempt.

        An accepted result ends its attempt (SUCCEEDED with its outputs reference, or FAILED
        with its error), appends an event, bumps the version and marks the execution pending,
        all in one transaction. Anything else is rejected and changes nothing.
        """

    @abstractmethod
    def request_abort(self, execution: ExecutionId) -> bool:
        """Ask for ``execution`` to be terminated; False if it had already ended."""

    @abstractmethod
    def wake(self, execution: ExecutionId) -> None:
        """Something ``execution`` waits for changed (a child execution ended): bump its
        version and mark it pending, so that its engine host steps it again from a fresh
        load. Nothing happens to an ended execution."""

    @abstractmethod
    def give_signal(self, execution: ExecutionId, name: str, value: Literal) -> bool:
        """Give signal ``name`` of ``execution`` the value ``value`` and mark it pending.

        A signal is given once: giving it again with the same value changes nothing, with
        another value raises ``SignalConflict``. False if the execution had already ended.
        """

    # -- leases ----------------------------------------------------------------------------------

    @abstractmethod
    def claim(self, owner: str, now: float, ttl: float, limit: int) -> Claim:
        """Take the leases of up to ``limit`` unfinished executions that nobody holds (or
        whose lease ran out), and report those ``owner`` holds that are pending.

        Two owners never hold one execution at once: on PostgreSQL rows are claimed with
        ``FOR UPDATE SKIP LOCKED``; on SQLite all writes go through one writer.
        """

    @abstractmethod
    def lease(self, execution: ExecutionId) -> tuple[str, float]:
        """Who holds ``execution``'s lease and until when (``("", 0.0)``: nobody)."""

    @abstractmethod
    def take_over(
        self, owner: str, execution: ExecutionId, previous: str, now: float, ttl: float
    ) -> bool:
        """Take ``execution``'s lease from ``previous``, an owner known to be dead, if it still
        holds it; False if someone else holds it now."""

    @abstractmethod
    def renew(
        self, owner: str, executions: Iterable[ExecutionId], now: float, ttl: float
    ) -> set[ExecutionId]:
        """Extend ``owner``'s leases; returns the executions it still holds."""

    @abstractmethod
    def release(self, owner: str, executions: Iterable[ExecutionId]) -> None:
        """Give up ``owner``'s leases on ``executions``."""

    @abstractmethod
    def renew_attempts(self, tokens: Iterable[str], expires: float) -> None:
        """Extend the leases of running attempts (a heartbeat from their workers)."""

    def close(self) -> None:  # noqa: B027 - stores without resources need nothing
        """Release connections."""
