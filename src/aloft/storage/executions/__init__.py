"""The metadata store: executions, their records, event log and leases.

``ExecutionStore`` is the interface the engine depends on; ``InMemoryStore`` serves local
function calls and tests, ``SqlStore`` (SQLAlchemy: SQLite or PostgreSQL) durable runs and
the server. The SQL store is imported from ``aloft.storage.executions.sql`` so that
SQLAlchemy is loaded only by those who use it.
"""

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
    SignalConflict,
    StoreError,
    StoreUnavailable,
    VersionConflict,
)
from aloft.storage.executions.memory import InMemoryStore

__all__ = [
    "Changes",
    "Claim",
    "ExecutionExists",
    "ExecutionNotFound",
    "ExecutionPage",
    "ExecutionQuery",
    "ExecutionSnapshot",
    "ExecutionStore",
    "InMemoryStore",
    "InvalidTransition",
    "ResultOutcome",
    "SignalConflict",
    "StoreError",
    "StoreUnavailable",
    "VersionConflict",
]
