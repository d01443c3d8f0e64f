"""Telling requests that wait for an execution when it ends, without polling the database.

The engine thread reports each execution it ends; a request waiting for it (the long poll
``GET .../wait``) is woken on the event loop at once. An execution ended elsewhere (another
server on the same database) is seen when the waiter looks at the database again.
"""

from __future__ import annotations

import asyncio
import threading

from aloft.ir import ExecutionId


class EndNotices:
    """Wakes the waiters of executions as they end (see the module docstring)."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: dict[ExecutionId, list[asyncio.Event]] = {}
        self._lock = threading.Lock()

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Wake waiters on ``loop`` (the server's event loop)."""
        self._loop = loop

    def expect(self, execution: ExecutionId) -> asyncio.Event:
        """An event set when ``execution`` ends; take it before reading its phase, so that
        an end between the reading and the waiting is not missed. Give it back with
        ``forget``."""
        event = asyncio.Event()
        with self._lock:
            self._waiting.setdefault(execution, []).append(event)
        return event

    def forget(self, execution: ExecutionId, event: asyncio.Event) -> None:
        """Stop waking ``event``."""
        with self._lock:
            events = self._waiting.get(execution, [])
            if event in events:
                events.remove(event)
            if not events:
                self._waiting.pop(execution, None)

    def ended(self, execution: ExecutionId) -> None:
        """``execution`` has ended (called from the engine thread)."""
        with self._lock:
            events = self._waiting.pop(execution, [])
        loop = self._loop
        if loop is not None:
            for event in events:
                loop.call_soon_threadsafe(event.set)
