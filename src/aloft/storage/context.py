"""The data context: which store values are written to, and under which prefix.

The worker runtime sets it for each attempt (raw data goes under the attempt's prefix);
outside an attempt, values are written under a fresh prefix of the default store. Like the
other ambient state, it lives in a ContextVar set by a context manager.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
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
    token = enter_data_context(context)
    try:
        yield context
    finally:
        exit_data_context(token)


def enter_data_context(context: DataContext) -> Token[DataContext | None]:
    """Make ``context`` the one in force until ``exit_data_context`` (the worker runtime's
    hot path; elsewhere prefer the ``data_context`` block)."""
    return _current.set(context)


def exit_data_context(token: Token[DataContext | None]) -> None:
    """Restore the data context that was in force before ``enter_data_context``."""
    _current.reset(token)


def store_for(uri: str) -> BlobStore:
    """A blob store to read and write ``uri`` with: the one in force (or the configured one)
    when ``uri`` lies in it, so its fsspec options apply; else one rooted at ``uri`` itself."""
    for store in (current_data_context().store, default_store()):
        root = store.root
        if uri.startswith(root) and (len(uri) == len(root) or uri[len(root)] == "/"):
            return store
    return BlobStore(uri)
