"""The rules every store enforces, written once for all of them.

Each store reads the stored records a write touches and asks these functions whether the
write may go ahead, so the in-memory, SQLite and PostgreSQL stores cannot drift apart.
"""

from __future__ import annotations

import datetime

from msgspec import structs

from aloft.ir import (
    AttemptRecord,
    Event,
    EventKind,
    ExecutionRecord,
    Literal,
    NodePhase,
    NodeRecord,
    TaskAttemptResult,
    attempt_move_allowed,
    execution_move_allowed,
    node_move_allowed,
)
from aloft.storage.executions.base import Changes, InvalidTransition, SignalConflict


def check_execution(old: ExecutionRecord, new: ExecutionRecord, changes: Changes) -> None:
    """Refuse a backward move of the execution, and any change at all once it has ended."""
    if old.phase.is_terminal and changes:
        raise InvalidTransition(f"execution {old.id} has ended ({old.phase}); it cannot change")
    if new.phase is not old.phase and not execution_move_allowed(old.phase, new.phase):
        raise InvalidTransition(f"execution {old.id} cannot move from {old.phase} to {new.phase}")
    if new.signals != old.signals and any(
        new.signals.get(name) != value for name, value in old.signals.items()
    ):
        raise InvalidTransition(f"execution {old.id}: a signal given cannot change")


def with_signal(record: ExecutionRecord, name: str, value: Literal) -> ExecutionRecord | None:
    """``record`` with signal ``name`` given ``value``; None if it already has that value.

    Raises ``SignalConflict`` if it was given another value.
    """
    given = record.signals.get(name)
    if given == value:
        return None
    if given is not None:
        raise SignalConflict(
            f"signal {name!r} of execution {record.id} was already given another value"
        )
    return structs.replace(
        record, signals={**record.signals, name: value}, version=record.version + 1
    )


def check_node(old: NodeRecord | None, new: NodeRecord) -> None:
    """Refuse a backward or post-terminal move of a node, or a smaller attempt number."""
    if old is None:
        return
    if old.phase.is_terminal:
        if new != old:
            raise InvalidTransition(f"node {new.key} has ended ({old.phase}); it cannot change")
        return
    if new.phase is not old.phase and not node_move_allowed(old.phase, new.phase):
        raise InvalidTransition(f"node {new.key} cannot move from {old.phase} to {new.phase}")
    if new.attempt < old.attempt:
        raise InvalidTransition(
            f"node {new.key} cannot go back from attempt {old.attempt} to {new.attempt}"
        )
    retried = old.phase is NodePhase.RETRYABLE_FAILURE and new.phase is NodePhase.RUNNING
    if retried and new.attempt <= old.attempt:
        raise InvalidTransition(f"node {new.key} can only be retried as a new attempt")


def check_attempt(old: AttemptRecord | None, new: AttemptRecord) -> None:
    """Refuse any change to an ended attempt, and any move but RUNNING -> an end."""
    if old is None:
        if new.phase is not NodePhase.RUNNING and not new.phase.is_terminal:
            raise InvalidTransition(f"attempt {new.token} cannot start as {new.phase}")
        return
    if old.phase is new.phase:
        if old.phase.is_terminal and new != old:
            raise InvalidTransition(f"attempt {new.token} has ended ({old.phase})")
        return
    if not attempt_move_allowed(old.phase, new.phase):
        raise InvalidTransition(f"attempt {new.token} cannot move from {old.phase} to {new.phase}")


def judge_result(
    execution: ExecutionRecord | None,
    node: NodeRecord | None,
    attempt: AttemptRecord | None,
    result: TaskAttemptResult,
) -> str:
    """Why ``result`` must be rejected, or "" if it is to be accepted."""
    if attempt is None or execution is None:
        return f"unknown attempt token {result.token!r}"
    if attempt.execution != result.execution or attempt.node != result.node:
        return f"token {result.token!r} belongs to another node"
    if attempt.number != result.attempt:
        return f"token {result.token!r} is attempt {attempt.number}, not {result.attempt}"
    if execution.phase.is_terminal:
        return f"execution {execution.id} has ended ({execution.phase})"
    if attempt.phase is not NodePhase.RUNNING:
        return f"attempt {attempt.number} of node {attempt.node} has ended ({attempt.phase})"
    if node is None or node.phase is not NodePhase.RUNNING or not _current(node, attempt):
        return f"attempt {attempt.number} is no longer node {attempt.node}'s current attempt"
    return ""


def _current(node: NodeRecord, attempt: AttemptRecord) -> bool:
    """Whether ``attempt`` is one the node waits for: its current attempt, or (an array
    node's batch) one of its open batches."""
    if attempt.items:
        return node.items is not None and attempt.number in node.items.open_batches
    return node.token == attempt.token


def ended_attempt(
    attempt: AttemptRecord, result: TaskAttemptResult, now: datetime.datetime
) -> AttemptRecord:
    """``attempt`` ended as ``result`` reports."""
    return structs.replace(
        attempt,
        phase=NodePhase.FAILED if result.error is not None else NodePhase.SUCCEEDED,
        worker=result.worker or attempt.worker,
        outputs_uri=result.outputs_uri,
        outputs=result.outputs,
        error=result.error,
        log_uri=result.log_uri,
        deck_uri=result.deck_uri,
        ended_at=now,
        lease_expires=None,
        item_results=result.items,
        workflow=result.workflow,
    )


def result_event(attempt: AttemptRecord, version: int, now: datetime.datetime) -> Event:
    """The event an accepted result leaves in the log."""
    return Event(
        execution=attempt.execution,
        kind=EventKind.ATTEMPT,
        phase=attempt.phase.value,
        occurred_at=now,
        node=attempt.node,
        attempt=attempt.number,
        host=attempt.owner,
        version=version,
        message=attempt.error.message if attempt.error else "",
    )
