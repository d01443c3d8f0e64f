"""The cache catalog: where cached tasks' outputs are kept and found again.

``Catalog`` is the interface the engine uses; ``InMemoryCatalog`` serves tests and runs that
keep nothing, and the SQL execution store is a catalog too (its ``cache_entries`` table), so
durable runs keep their cache in their database and local runs in the one under the aloft
home. Entries are replaced, never changed: writing the same key again is harmless.
"""

from __future__ import annotations

import datetime
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence

from aloft.ir import CacheEntry


class Catalog(ABC):
    """Cached outputs by cache key."""

    @abstractmethod
    def get_many(self, keys: Iterable[str]) -> dict[str, CacheEntry]:
        """The entries of those ``keys`` that are cached."""

    @abstractmethod
    def put(self, entries: Sequence[CacheEntry]) -> None:
        """Keep ``entries``, replacing any under the same keys."""

    @abstractmethod
    def entries(self, task: str | None = None) -> list[CacheEntry]:
        """Every entry (of ``task`` only, if given), newest first."""

    @abstractmethod
    def clear(self, task: str | None = None, older_than: datetime.datetime | None = None) -> int:
        """Remove the entries of ``task`` (all, if None) created before ``older_than`` (any
        time, if None); returns how many were removed."""

    # -- reservations (``cache_serialize``): one computes, the others wait for its entry -----

    @abstractmethod
    def reserve(self, key: str, owner: str, now: float, ttl: float) -> str:
        """Hold the reservation of ``key`` for ``owner`` until ``now + ttl``, unless someone
        else holds one that has not expired; returns who holds it now."""

    @abstractmethod
    def extend_reservations(self, owners: Iterable[str], expires: float) -> None:
        """Keep the reservations ``owners`` hold until ``expires`` (their work goes on)."""

    @abstractmethod
    def release_reservations(self, owners: Iterable[str]) -> None:
        """Give up the reservations ``owners`` hold."""


class InMemoryCatalog(Catalog):
    """A catalog that lives as long as the object. Safe to share between threads."""

    def __init__(self) -> None:
        self._entries: dict[str, CacheEntry] = {}
        self._reservations: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[str]) -> dict[str, CacheEntry]:
        with self._lock:
            return {key: self._entries[key] for key in keys if key in self._entries}

    def put(self, entries: Sequence[CacheEntry]) -> None:
        with self._lock:
            self._entries.update((entry.key, entry) for entry in entries)

    def entries(self, task: str | None = None) -> list[CacheEntry]:
        with self._lock:
            chosen = [e for e in self._entries.values() if task is None or e.task == task]
        return sorted(chosen, key=lambda e: e.created_at, reverse=True)

    def clear(self, task: str | None = None, older_than: datetime.datetime | None = None) -> int:
        with self._lock:
            doomed = [
                key
                for key, entry in self._entries.items()
                if (task is None or entry.task == task)
                and (older_than is None or entry.created_at < older_than)
            ]
            for key in doomed:
                del self._entries[key]
        return len(doomed)

    def reserve(self, key: str, owner: str, now: float, ttl: float) -> str:
        with self._lock:
            holder, expires = self._reservations.get(key, (owner, 0.0))
            if holder == owner or expires < now:
                self._reservations[key] = (owner, now + ttl)
                return owner
            return holder

    def extend_reservations(self, owners: Iterable[str], expires: float) -> None:
        wanted = set(owners)
        with self._lock:
            for key, (holder, _) in list(self._reservations.items()):
                if holder in wanted:
                    self._reservations[key] = (holder, expires)

    def release_reservations(self, owners: Iterable[str]) -> None:
        wanted = set(owners)
        with self._lock:
            for key, (holder, _) in list(self._reservations.items()):
                if holder in wanted:
                    del self._reservations[key]
