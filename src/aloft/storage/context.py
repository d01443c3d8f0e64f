"""The data context: which store values are written to, and under which prefix.

The worker runtime sets it for each attempt (raw data goes under the attempt's prefix);
outside an attempt, values are written under a fresh prefix of the default store. Like the
other ambient state, it lives in a ContextVar set by a context manager.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from aloft.storage.blob import BlobStore
from aloft.storage.config import load_storage_config


@dataclass(frozen=True)
class DataContext:
    """Where offloaded values go: ``store``, under ``raw_prefix`` (a URI)."""

    store: BlobStore
    raw_prefix: str
    offload_threshold_bytes: int

    def new_uri(self, name: str = "") -> str:
        """A fresh URI under the raw prefix, optionally ending in ``name``."""
        unique = uuid.uuid4().hex
        return f"{self.raw_prefix}/{unique}/{name}" if name else f"{self.raw_prefix}/{unique}"


@cache
def default_store() -> BlobStore:
    """The store the configuration names (read once per process)."""
    config = load_storage_config()
    return BlobStore(config.url, config.options)


@cache
def _default_context() -> DataContext:
    config = load_storage_config()
    store = default_store()
    return DataContext(
        store, store.uri("raw", f"local-{uuid.uuid4().hex[:12]}"), config.offload_threshold_bytes
    )


_current: ContextVar[DataContext | None] = ContextVar("aloft_data_context", default=None)


def current_data_context() -> DataContext:
    """The data context in force."""
    return _current.get() or _default_context()


@contextmanager
def data_context(context: DataContext) -> Iterator[DataContext]:
    """Write values through ``context`` for the duration of the block."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def store_for(uri: str) -> BlobStore:
    """A blob store to read and write ``uri`` with: the one in force (or the configured one)
    when ``uri`` lies in it, so its fsspec options apply; else one rooted at ``uri`` itself."""
    for store in (current_data_context().store, default_store()):
        if uri.startswith(store.root + "/") or uri == store.root:
            return store
    return BlobStore(uri)
