"""Results accepted in one transaction: what a batch touches, read at once, and written at once.

Part of the SQL store (``aloft.storage.executions.sql``).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from msgspec import structs

from aloft.ir import (
    AttemptRecord,
    ExecutionId,
    ExecutionRecord,
    NodeRecord,
    TaskAttemptResult,
    from_json,
)
from aloft.storage.executions import sql_tables as t
from aloft.storage.executions.base import ResultOutcome
from aloft.storage.executions.rules import ended_attempt, judge_result, result_event

_log = logging.getLogger("aloft.store")


class ResultBatch:
    """The records a batch of results touches, locked and read at once, and what it writes.

    A later result of the batch sees what earlier ones changed (an attempt ended, a version).
    """

    def __init__(self, conn: sa.Connection, results: Sequence[TaskAttemptResult]) -> None:
        names = t.names(result.execution for result in results)
        self.executions: dict[ExecutionId, tuple[int, ExecutionRecord]] = {}
        for row_id, stored in conn.execute(t.lock_executions, {"p_names": names}):
            record = from_json(stored, ExecutionRecord)
            self.executions[record.id] = (row_id, record)
        tokens = list({result.token for result in results})
        self.attempts: dict[str, tuple[int, AttemptRecord]] = {}
        keys: dict[int, set[str]] = {}
        for row_id, key, token, stored, lease in conn.execute(
            t.select_attempts_by_token, {"p_tokens": tokens}
        ):
            self.attempts[token] = (row_id, t.read_attempt(stored, lease))
            keys.setdefault(row_id, set()).add(key)
        self.nodes: dict[tuple[int, str], NodeRecord] = {}
        for row_id, wanted in keys.items():  # by execution: the primary key's prefix
            params = {"p_id": row_id, "p_keys": list(wanted)}
            for key, stored in conn.execute(t.select_some_nodes, params):
                self.nodes[row_id, key] = from_json(stored, NodeRecord)
        self.ended: dict[str, AttemptRecord] = {}
        self.events: list[dict[str, Any]] = []

    def judge(self, result: TaskAttemptResult, now: datetime.datetime) -> ResultOutcome:
        """Accept or reject ``result``, noting what an accepted one writes."""
        row_id, record = self.executions.get(result.execution, (0, None))
        held = self.attempts.get(result.token)
        attempt = held[1] if held is not None and held[0] == row_id else None
        node = None if attempt is None else self.nodes.get((row_id, t.key_text(attempt.node)))
        reason = judge_result(record, node, attempt, result)
        if reason or record is None or attempt is None:
            _log.info("rejected result of %s: %s", result.node, reason)
            return ResultOutcome(result, accepted=False, reason=reason)
        ended = ended_attempt(attempt, result, now)
        version = record.version + 1
        self.executions[result.execution] = (row_id, structs.replace(record, version=version))
        self.attempts[result.token] = (row_id, ended)
        self.ended[result.token] = ended
        self.events.append(t.event_row(row_id, result_event(ended, version, now)))
        return ResultOutcome(result, True, attempt=ended, version=version)

    def write(self, conn: sa.Connection, append_events: sa.Insert) -> None:
        """Write the accepted results: ended attempts, events, versions and pending marks."""
        if not self.ended:
            return
        ended = sorted(self.ended.items())  # token order, the order concurrent writers lock in
        rows = [
            {"p_token": token, "p_record": t.encode(attempt), "p_phase": attempt.phase.value}
            for token, attempt in ended
        ]
        conn.execute(t.end_attempt, rows)
        conn.execute(append_events, self.events)
        changed = {attempt.execution for attempt in self.ended.values()}
        rows = []
        for execution in changed:
            row_id, record = self.executions[execution]
            rows.append(t.execution_row(row_id, record, record.version, pending=True))
        conn.execute(t.update_execution, rows)
