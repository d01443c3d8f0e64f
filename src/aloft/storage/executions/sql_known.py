"""Records a SQL store knows as of a version, so it can check a write without reading back.

Every write that changes an execution's records also raises its version, under the lock of
its row. A copy of all of an execution's records taken at version V (a load) is therefore
exactly what the database holds for as long as its version is still V, and that copy plus a
write this store committed at V is exactly what it holds at V + 1. When a write finds the
version it expects, and the execution record stored beside it is the very text this store
knows for that version (so a row deleted and made anew under the same id is not mistaken for
the old one), the rules are checked against the known records instead of against rows read
again in the transaction. Anything else (a write by another process or host, or one this
store did not follow) is a miss, and the records are read from the database as before.
Lease columns take no part: no rule looks at them.

Part of the SQL store (``aloft.storage.executions.sql``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from aloft.ir import AttemptRecord, ExecutionRecord, NodeKey, NodeRecord
from aloft.storage.executions.base import Changes, ExecutionSnapshot

DEFAULT_CAPACITY = 1000
"""How many executions' records a store keeps by default."""


@dataclass
class KnownRecords:
    """All the records of one execution at ``version``; ``stored`` is the execution record's
    text in its row at that version."""

    version: int
    stored: str
    execution: ExecutionRecord
    nodes: dict[NodeKey, NodeRecord]
    attempts: dict[str, AttemptRecord]


class KnownExecutions:
    """The executions whose records this store knows, by row id, oldest first.

    Args:
        capacity: How many executions to keep (0: none, every write reads back).
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._capacity = capacity
        self._known: dict[int, KnownRecords] = {}
        self._lock = threading.Lock()

    def at(self, row_id: int, version: int, stored: str) -> KnownRecords | None:
        """The records of execution ``row_id`` if they are known as of ``version``, the row
        holding the execution record ``stored``."""
        known = self._known.get(row_id)
        if known is None or known.version != version or known.stored != stored:
            return None
        return known

    def loaded(self, row_id: int, stored: str, snapshot: ExecutionSnapshot) -> None:
        """``snapshot`` was read in one transaction, its execution record from the text
        ``stored``: remember copies of its records."""
        if not self._capacity or snapshot.execution.phase.is_terminal:
            return
        known = KnownRecords(
            snapshot.execution.version,
            stored,
            snapshot.execution,
            dict(snapshot.nodes),
            dict(snapshot.attempts),
        )
        with self._lock:
            self._known.pop(row_id, None)
            self._known[row_id] = known
            while len(self._known) > self._capacity:
                del self._known[next(iter(self._known))]

    def committed(
        self, row_id: int, known: KnownRecords, version: int, stored: str, changes: Changes
    ) -> None:
        """``changes`` were committed on top of ``known``, making ``version`` with the
        execution record ``stored``."""
        execution = changes.execution or known.execution
        if execution.phase.is_terminal:
            self.forget(row_id)
            return
        known.stored = stored
        known.execution = execution
        known.nodes.update(changes.nodes)
        known.attempts.update(changes.attempts)
        known.version = version  # last: a write of another thread may look meanwhile

    def forget(self, row_id: int) -> None:
        """Stop keeping the records of execution ``row_id``."""
        with self._lock:
            self._known.pop(row_id, None)
