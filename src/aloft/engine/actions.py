"""What a step asks the host to do once its transitions are written."""

from __future__ import annotations

from dataclasses import dataclass

from aloft.ir import CacheEntry, ExecutionId, ExecutionSpec, NodeKey, TaskAttemptSpec


@dataclass(frozen=True)
class Submit:
    """Start a task attempt (idempotent by its token)."""

    spec: TaskAttemptSpec


@dataclass(frozen=True)
class Cancel:
    """Stop a running attempt; its result, if it still comes, will be rejected."""

    token: str


@dataclass(frozen=True)
class CachePut:
    """Keep a cached task's outputs in the catalog (idempotent by the entry's key)."""

    entry: CacheEntry


@dataclass(frozen=True)
class Launch:
    """Create a child execution (idempotent: one already created with its id is kept)."""

    spec: ExecutionSpec


@dataclass(frozen=True)
class Terminate:
    """Ask a child execution to end ABORTED."""

    execution: ExecutionId


def reservation_owner(execution: ExecutionId, node: NodeKey) -> str:
    """Who holds a cache reservation for ``node``: the node itself, so that its retries keep
    the reservation its first attempt took."""
    return f"{execution}|{node}"


@dataclass(frozen=True)
class HoldReservation:
    """``owner`` holds a cache reservation: keep it alive while attempt ``token`` runs."""

    token: str
    owner: str


@dataclass(frozen=True)
class ReleaseReservation:
    """``owner``'s attempt has ended: give up its cache reservation (after keeping its
    outputs, so that those waiting find them)."""

    owner: str


Action = Submit | Cancel | CachePut | Launch | Terminate | HoldReservation | ReleaseReservation
