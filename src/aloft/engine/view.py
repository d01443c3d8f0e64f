"""An execution as the engine sees it between steps: copies of its records plus indexes.

The view is a cache, rebuilt from a full load whenever it may be stale. A step decides by
changing the view and noting every change (with its event) in ``changes``; the host writes
those in one version-guarded transaction. If that write conflicts, the view is thrown away
and the step repeated from a fresh load, so nothing the view holds outlives a conflict.
"""

from __future__ import annotations

import datetime
import logging
from collections import deque
from dataclasses import dataclass, field

from msgspec import structs

from aloft.engine.plan import WorkflowPlan
from aloft.ir import (
    AttemptRecord,
    Event,
    EventKind,
    ExecutionError,
    ExecutionRecord,
    ExecutionSpec,
    Literal,
    NodeKey,
    NodePhase,
    NodeRecord,
    TaskAttemptResult,
)
from aloft.storage.executions import Changes, ExecutionSnapshot
from aloft.storage.executions.rules import ended_attempt, judge_result

_log = logging.getLogger("aloft.engine")


@dataclass(eq=False)
class Frame:
    """One running workflow of an execution: the top one (key ``ROOT``) or a subworkflow's.

    ``waiting`` counts, per node id, the upstream nodes that have not succeeded yet;
    ``remaining`` the nodes that have not succeeded; ``active`` those started and not ended;
    ``queued`` those ready to start and waiting in the view's ready queue; ``handling`` the
    failure the workflow's failure node runs for (the frame ends FAILED once it has run).
    """

    key: NodeKey
    plan: WorkflowPlan
    inputs: dict[str, Literal]
    keys: dict[str, NodeKey]
    waiting: dict[str, int]
    remaining: int
    active: int = 0
    queued: int = 0
    failure: ExecutionError | None = None
    handling: ExecutionError | None = None
    done: bool = False


@dataclass(eq=False)
class ExecutionView:
    """Copies of one execution's records, the indexes a step needs, and its pending changes."""

    spec: ExecutionSpec
    record: ExecutionRecord
    version: int
    nodes: dict[NodeKey, NodeRecord]
    attempts: dict[str, AttemptRecord]
    host: str
    frames: dict[NodeKey, Frame] = field(default_factory=dict)
    owner: dict[NodeKey, Frame] = field(default_factory=dict)
    """The frame each node of an open frame belongs to."""
    ready: deque[NodeKey] = field(default_factory=deque)
    touched: dict[NodeKey, None] = field(default_factory=dict)
    changes: Changes = field(default_factory=Changes)
    running_tasks: int = 0
    """Attempts running now (what ``max_parallelism`` limits)."""
    foreign: set[str] = field(default_factory=set)
    """Tokens of running attempts this host's executor does not run (another host's, or
    orphans of a result lost with a discarded view): watched for being lost."""
    needs_rebuild: bool = True
    """The frames must be built from the records (a fresh load)."""
    stale: bool = False
    """Someone else wrote since this view's version: it must be loaded afresh."""
    token_prefix: str = ""
    """What every attempt token of this execution starts with."""
    taken: list[TaskAttemptResult] = field(default_factory=list)
    """Results taken in since the last write: judged again if the view must be reloaded."""
    timers: dict[NodeKey, float] = field(default_factory=dict)
    """When (seconds since the epoch) each waiting node asked to be looked at again."""

    @classmethod
    def of(cls, spec: ExecutionSpec, snapshot: ExecutionSnapshot, host: str) -> ExecutionView:
        """A view of ``snapshot``; its frames are built by the first step."""
        foreign = {
            token
            for token, attempt in snapshot.attempts.items()
            if attempt.phase is NodePhase.RUNNING and attempt.owner != host
        }
        return cls(
            spec=spec,
            record=snapshot.execution,
            version=snapshot.execution.version,
            nodes=snapshot.nodes,
            attempts=snapshot.attempts,
            host=host,
            foreign=foreign,
            token_prefix=f"{spec.id}/",
        )

    # -- recording changes -------------------------------------------------------------------

    def _event(
        self,
        kind: EventKind,
        phase: str,
        at: datetime.datetime,
        node: NodeKey,
        attempt: int = 0,
        message: str = "",
    ) -> None:
        self.changes.events.append(
            Event(
                execution=self.spec.id,
                kind=kind,
                phase=phase,
                occurred_at=at,
                node=node,
                attempt=attempt,
                host=self.host,
                version=self.version + 1,
                message=message,
            )
        )

    def set_execution(self, record: ExecutionRecord, at: datetime.datetime) -> None:
        """Replace the execution record (an event is logged when its phase changes)."""
        if record.phase is not self.record.phase:
            message = record.error.message if record.error else ""
            self._event(EventKind.EXECUTION, record.phase.value, at, NodeKey(), message=message)
        self.record = self.changes.execution = record

    def set_node(self, record: NodeRecord, at: datetime.datetime) -> None:
        """Replace (or add) a node record, logging its new phase."""
        old = self.nodes.get(record.key)
        if old is None or old.phase is not record.phase or old.attempt != record.attempt:
            message = record.error.message if record.error else ""
            self._event(EventKind.NODE, record.phase.value, at, record.key, record.attempt, message)
        self.nodes[record.key] = self.changes.nodes[record.key] = record

    def set_attempt(self, record: AttemptRecord, at: datetime.datetime) -> None:
        """Replace (or add) an attempt record, logging its new phase."""
        old = self.attempts.get(record.token)
        was_running = old is not None and old.phase is NodePhase.RUNNING
        self.running_tasks += (record.phase is NodePhase.RUNNING) - was_running
        if old is None or old.phase is not record.phase:
            message = record.error.message if record.error else ""
            self._event(
                EventKind.ATTEMPT, record.phase.value, at, record.node, record.number, message
            )
        self.attempts[record.token] = self.changes.attempts[record.token] = record

    def committed(self, version: int) -> None:
        """The pending changes were written as ``version``.

        ``version`` is the truth; ``record.version`` is brought up to it only when the
        record leaves the view (``final_record``), sparing a copy per step.
        """
        self.version = version
        self.changes = Changes()
        self.taken = []

    def final_record(self) -> ExecutionRecord:
        """The execution record, with the version last written."""
        return structs.replace(self.record, version=self.version)

    def take_result(self, result: TaskAttemptResult, at: datetime.datetime) -> bool:
        """End the attempt ``result`` reports, if it is its node's current running attempt
        (the stores' own rule); the change is written with the next step. False if rejected."""
        attempt = self.attempts.get(result.token)
        node = self.nodes.get(attempt.node) if attempt is not None else None
        reason = judge_result(self.record, node, attempt, result)
        if reason or attempt is None:
            _log.info("rejected result of %s: %s", result.node, reason)
            return False
        self.set_attempt(ended_attempt(attempt, result, at), at)
        self.touched[attempt.node] = None
        self.taken.append(result)
        return True

    def current_attempt(self, record: NodeRecord) -> AttemptRecord | None:
        """The attempt a task node's record names as current."""
        return self.attempts.get(record.token) if record.token else None
