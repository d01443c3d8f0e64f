"""The statements of a step's write, run on the database driver's own cursor.

SQLAlchemy spends tens of microseconds of Python on every execution of even a prebuilt,
cached statement: more than SQLite takes to run it, and several times over in each step. The
statements every step writes with are therefore compiled once, from the same SQLAlchemy
statements (``sql_tables``), into the driver's own SQL with named parameters, and executed
on the cursor of the connection SQLAlchemy holds, inside its transaction.

Part of the SQL store (``aloft.storage.executions.sql``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from aloft.storage.executions import sql_tables as t

_NODE_COLUMNS = ["execution_id", "key", "record", "phase"]
_ATTEMPT_COLUMNS = ["token", "execution_id", "node_key", "record", "phase", "lease_expires"]
_EVENT_COLUMNS = ["execution_id", "kind", "node_key", "attempt", "phase", "event"]


@dataclass(frozen=True)
class DirectStatements:
    """A step's statements as the driver's SQL, for one dialect."""

    select_execution: str
    lock_execution: str
    update_execution: str
    upsert_nodes: str
    upsert_attempts: str
    """Skips (and so does not count) a row whose token is another execution's attempt."""
    append_events: str

    @classmethod
    def of(cls, dialect: sa.Dialect, upserts: t.Upserts) -> DirectStatements:
        """The statements compiled for ``dialect``, with named parameters."""
        style = "pyformat" if dialect.name == "postgresql" else "named"
        named: sa.Dialect = type(dialect)(paramstyle=style)  # type: ignore[call-arg]

        def sql(statement: sa.ClauseElement, columns: list[str] | None = None) -> str:
            return str(statement.compile(dialect=named, column_keys=columns, for_executemany=True))

        return cls(
            select_execution=sql(t.select_execution),
            lock_execution=sql(t.lock_execution),
            update_execution=sql(t.update_execution),
            upsert_nodes=sql(upserts.upsert_nodes, _NODE_COLUMNS),
            upsert_attempts=sql(upserts.upsert_attempts, _ATTEMPT_COLUMNS),
            append_events=sql(upserts.append_events, _EVENT_COLUMNS),
        )


def cursor(conn: sa.Connection) -> Any:
    """A cursor of the driver connection under ``conn``, in ``conn``'s transaction."""
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]


def execute_many(cursor: Any, sql: str, rows: Sequence[dict[str, Any]]) -> int:
    """Run ``sql`` once per row; the number of rows it changed."""
    if len(rows) == 1:
        cursor.execute(sql, rows[0])
    else:
        cursor.executemany(sql, rows)
    count: int = cursor.rowcount
    return count
