"""Publishing a running attempt's log while it runs, so that it can be followed.

A worker process captures an attempt's stdout and stderr into a local file
(``aloft.runtime.output_capture``) and stores it as the attempt's log when the attempt ends.
Meanwhile one thread of the worker (one per worker, not one per attempt) looks at that file
every ``TICK`` seconds and, once the attempt has run ``INTERVAL`` seconds, stores what it
holds so far at the attempt's log location, whenever it grew. An attempt that ends sooner
publishes nothing, so short tasks pay nothing but two uncontended lock operations.

What is published is always a prefix of the final log: complete lines only (ended by
``\\n`` or ``\\r``, so progress bars count), and never the start of a secret's value that
the rest of the output may complete; the secrets the task requested are redacted as in the
final log. Each publication is a whole, atomic write; a long log is published less often
(``BYTES_PER_SECOND``), which bounds what republishing costs on an object store. The final
store at the end of the attempt (or the pool's, for a worker that died) stays the truth:
``end`` waits for a publication under way and stops any further one before it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from aloft.ir import TaskAttemptSpec
from aloft.runtime.task_context import Redactor
from aloft.storage import store_for
from aloft.storage.layout import log_uri

INTERVAL = 1.0
"""Seconds an attempt runs before its log is first published, and at least between two
publications."""
BYTES_PER_SECOND = 4 << 20
"""How many bytes a second republishing a long log may write on average: a log of 40 MiB is
published every 10 seconds."""
TICK = 0.5
"""Seconds between two looks at the running attempt's captured output."""
AFTER_FAILURE = 10.0
"""Seconds to wait before trying again after the store refused a publication (the final
store reports its own failure; the attempt's stderr is the log itself, so nothing is said)."""


@dataclass(slots=True)
class _Running:
    spec: TaskAttemptSpec
    due: float
    seen: int = 0
    published: int = 0
    redactor: Redactor | None = None


class LiveLog:
    """Publishes the log of the attempt a worker runs, from the file its output is captured
    in (``path``), while it runs.

    Args:
        path: The worker's capture file.
        clock: Where the time comes from (``time.monotonic``; tests give their own).
    """

    def __init__(self, path: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._running: _Running | None = None

    def start_thread(self) -> None:
        """Publish from a daemon thread of this process, every ``TICK`` seconds."""
        threading.Thread(target=self._publish_forever, name="aloft-live-log", daemon=True).start()

    def begin(self, spec: TaskAttemptSpec) -> None:
        """Attempt ``spec`` starts; its output is captured from the start of the file."""
        with self._lock:
            self._running = _Running(spec, self._clock() + INTERVAL)

    def end(self) -> None:
        """The attempt has ended: once this returns, nothing more of it is published."""
        with self._lock:
            self._running = None

    def publish_due(self) -> None:
        """Publish the running attempt's output if it is due and has grown."""
        with self._lock:
            running = self._running
            if running is None or self._clock() < running.due:
                return
            try:
                self._publish(running)
            except Exception:  # the store: try again later; the final store reports
                running.due = self._clock() + AFTER_FAILURE

    def _publish(self, running: _Running) -> None:
        try:
            with open(self._path, "rb") as captured:
                if os.fstat(captured.fileno()).st_size == running.seen:
                    return
                data = captured.read()
        except FileNotFoundError:
            return
        if running.redactor is None:
            running.redactor = Redactor.for_attempt(running.spec)
        lines = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
        end = running.redactor.unfinished(data[:lines])
        if end > running.published:
            uri = log_uri(running.spec.output_prefix)
            store_for(uri).write_bytes(uri, running.redactor.data(data[:end]))
            running.published = end
        running.seen = len(data)
        running.due = self._clock() + max(INTERVAL, end / BYTES_PER_SECOND)

    def _publish_forever(self) -> None:
        while True:
            time.sleep(TICK)
            self.publish_due()
