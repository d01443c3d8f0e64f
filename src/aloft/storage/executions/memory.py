"""The in-memory execution store: for calling a workflow as a function, and for tests.

Records are frozen, so handing out the stored objects cannot let a caller change the store;
the containers around them are copied on every load.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from msgspec import structs

from aloft.ir import (
    AttemptRecord,
    Event,
    EventKind,
    ExecutionId,
    ExecutionRecord,
    ExecutionSpec,
    Literal,
    NodeKey,
    NodeRecord,
    TaskAttemptResult,
)
from aloft.storage.executions.base import (
    Changes,
    Claim,
    ExecutionExists,
    ExecutionNotFound,
    ExecutionPage,
    ExecutionQuery,
    ExecutionSnapshot,
    ExecutionStore,
    InvalidTransition,
    ResultOutcome,
    VersionConflict,
)
from aloft.storage.executions.rules import (
    check_attempt,
    check_execution,
    check_node,
    ended_attempt,
    judge_result,
    result_event,
    with_signal,
)

_log = logging.getLogger("aloft.store")


@dataclass
class _Stored:
    spec: ExecutionSpec
    record: ExecutionRecord
    nodes: dict[NodeKey, NodeRecord] = field(default_factory=dict)
    attempts: dict[str, AttemptRecord] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    event_keys: set[tuple[object, ...]] = field(default_factory=set)
    pending: bool = True
    lease_owner: str = ""
    lease_expires: float = 0.0

    def append(self, events: Iterable[Event]) -> None:
        for event in events:
            key = event.key
            if key not in self.event_keys:
                self.event_keys.add(key)
                self.events.append(event)


class InMemoryStore(ExecutionStore):
    """Keeps everything in this process. Safe to share between threads."""

    def __init__(self) -> None:
        self._executions: dict[ExecutionId, _Stored] = {}
        self._tokens: dict[str, ExecutionId] = {}
        self._lock = threading.Lock()

    def _get(self, execution: ExecutionId) -> _Stored:
        try:
            return self._executions[execution]
        except KeyError:
            raise ExecutionNotFound(f"no execution {execution}") from None

    def create(self, spec: ExecutionSpec, now: datetime.datetime) -> ExecutionRecord:
        record = ExecutionRecord(id=spec.id, created_at=now, updated_at=now)
        with self._lock:
            if spec.id in self._executions:
                raise ExecutionExists(f"execution {spec.id} already exists")
            stored = _Stored(spec, record)
            stored.append(
                [
                    Event(
                        execution=spec.id, kind=EventKind.EXECUTION, phase="queued", occurred_at=now
                    )
                ]
            )
            self._executions[spec.id] = stored
        return record

    def spec(self, execution: ExecutionId) -> ExecutionSpec:
        return self._get(execution).spec

    def load(self, execution: ExecutionId) -> ExecutionSnapshot:
        with self._lock:
            stored = self._get(execution)
            return ExecutionSnapshot(stored.record, dict(stored.nodes), dict(stored.attempts))

    def record(self, execution: ExecutionId) -> ExecutionRecord:
        with self._lock:
            return self._get(execution).record

    def list_executions(self, query: ExecutionQuery | None = None) -> ExecutionPage:
        query = query or ExecutionQuery()
        with self._lock:
            stored = list(enumerate(self._executions.values()))
        if not query.oldest_first:
            stored.reverse()
        if query.after is not None:
            after = query.after
            stored = [(i, s) for i, s in stored if (i > after if query.oldest_first else i < after)]
        found = [(i, s) for i, s in stored if query.matches(s.spec, s.record)]
        page = found[: query.limit]
        more = len(found) > query.limit
        entities = [
            (s.spec.closure.workflow.id.name, s.spec.launch_plan.name if s.spec.launch_plan else "")
            for _, s in page
        ]
        return ExecutionPage([s.record for _, s in page], page[-1][0] if more else None, entities)

    def events(self, execution: ExecutionId) -> list[Event]:
        with self._lock:
            return list(self._get(execution).events)

    def apply(self, execution: ExecutionId, expected_version: int, changes: Changes) -> int:
        with self._lock:
            stored = self._get(execution)
            if stored.record.version != expected_version:
                raise VersionConflict(
                    f"execution {execution} is at version {stored.record.version}, "
                    f"not {expected_version}"
                )
            version = expected_version + 1
            new_record = changes.execution or stored.record
            check_execution(stored.record, new_record, changes)
            for key, node in changes.nodes.items():
                check_node(stored.nodes.get(key), node)
            for token, attempt in changes.attempts.items():
                if self._tokens.get(token, execution) != execution:
                    raise InvalidTransition(f"attempt token {token!r} belongs to another execution")
                check_attempt(stored.attempts.get(token), attempt)
            stored.record = structs.replace(new_record, version=version)
            stored.nodes.update(changes.nodes)
            stored.attempts.update(changes.attempts)
            for token in changes.attempts:
                self._tokens[token] = execution
            stored.append(changes.events)
            stored.pending = False
            return version

    def accept_results(
        self, results: Sequence[TaskAttemptResult], now: datetime.datetime
    ) -> list[ResultOutcome]:
        outcomes = []
        with self._lock:
            for result in results:
                stored = self._executions.get(result.execution)
                attempt = stored.attempts.get(result.token) if stored else None
                node = stored.nodes.get(attempt.node) if stored and attempt else None
                reason = judge_result(stored.record if stored else None, node, attempt, result)
                if reason or stored is None or attempt is None:
                    _log.info("rejected result of %s: %s", result.node, reason)
                    outcomes.append(ResultOutcome(result, accepted=False, reason=reason))
                    continue
                ended = ended_attempt(attempt, result, now)
                version = stored.record.version + 1
                stored.attempts[result.token] = ended
                stored.record = structs.replace(stored.record, version=version)
                stored.append([result_event(ended, version, now)])
                stored.pending = True
                outcomes.append(ResultOutcome(result, True, attempt=ended, version=version))
        return outcomes

    def request_abort(self, execution: ExecutionId) -> bool:
        with self._lock:
            stored = self._get(execution)
            if stored.record.phase.is_terminal:
                return False
            if not stored.record.abort_requested:
                stored.record = structs.replace(
                    stored.record, abort_requested=True, version=stored.record.version + 1
                )
            stored.pending = True
            return True

    def wake(self, execution: ExecutionId) -> None:
        with self._lock:
            stored = self._get(execution)
            if not stored.record.phase.is_terminal:
                stored.record = structs.replace(stored.record, version=stored.record.version + 1)
                stored.pending = True

    def give_signal(self, execution: ExecutionId, name: str, value: Literal) -> bool:
        with self._lock:
            stored = self._get(execution)
            if stored.record.phase.is_terminal:
                return False
            record = with_signal(stored.record, name, value)
            if record is not None:
                stored.record = record
                stored.pending = True
            return True

    def claim(self, owner: str, now: float, ttl: float, limit: int) -> Claim:
        acquired: list[ExecutionId] = []
        pending: list[ExecutionId] = []
        with self._lock:
            for execution, stored in self._executions.items():
                if stored.record.phase.is_terminal:
                    continue
                if stored.lease_owner == owner:
                    if stored.pending:
                        pending.append(execution)
                elif len(acquired) < limit and (
                    not stored.lease_owner or stored.lease_expires < now
                ):
                    stored.lease_owner, stored.lease_expires = owner, now + ttl
                    acquired.append(execution)
        return Claim(acquired, pending)

    def lease(self, execution: ExecutionId) -> tuple[str, float]:
        with self._lock:
            stored = self._get(execution)
            return stored.lease_owner, stored.lease_expires

    def take_over(
        self, owner: str, execution: ExecutionId, previous: str, now: float, ttl: float
    ) -> bool:
        with self._lock:
            stored = self._get(execution)
            if stored.lease_owner != previous or stored.record.phase.is_terminal:
                return False
            stored.lease_owner, stored.lease_expires = owner, now + ttl
            return True

    def renew(
        self, owner: str, executions: Iterable[ExecutionId], now: float, ttl: float
    ) -> set[ExecutionId]:
        held = set()
        with self._lock:
            for execution in executions:
                stored = self._executions.get(execution)
                if stored is not None and stored.lease_owner == owner:
                    stored.lease_expires = now + ttl
                    held.add(execution)
        return held

    def release(self, owner: str, executions: Iterable[ExecutionId]) -> None:
        with self._lock:
            for execution in executions:
                stored = self._executions.get(execution)
                if stored is not None and stored.lease_owner == owner:
                    stored.lease_owner, stored.lease_expires = "", 0.0

    def renew_attempts(self, tokens: Iterable[str], expires: float) -> None:
        with self._lock:
            for token in tokens:
                execution = self._tokens.get(token)
                if execution is None:
                    continue
                stored = self._executions[execution]
                attempt = stored.attempts.get(token)
                if attempt is not None and not attempt.phase.is_terminal:
                    stored.attempts[token] = structs.replace(attempt, lease_expires=expires)
