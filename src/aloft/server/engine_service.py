"""The server's engine host and worker pool, run in a thread of their own.

The host claims every execution the API creates (and any left unfinished by a server that
stopped), steps it and runs its tasks on a warm pool of worker processes. On a start after
a crash, executions still leased to the dead server process are taken over at once instead
of after their leases run out.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from aloft.engine import EngineHost, ExecutionBusy
from aloft.executors.base import Executor
from aloft.executors.process import ProcessExecutor
from aloft.ir import ExecutionId, ExecutionPhase, TaskAttemptResult, TaskAttemptSpec
from aloft.storage import load_offloaded
from aloft.storage.executions import ExecutionQuery
from aloft.storage.executions.sql import SqlStore

_log = logging.getLogger("aloft.server")

BATCH_WINDOW = 0.002
"""Seconds the host waits for more results to record them in one transaction."""
CLAIM_INTERVAL = 0.05
"""Seconds between looks for new executions: the most a launch waits to start."""


class TimedExecutor(Executor):
    """``inner``, reporting how long each attempt took from its hand-over to its result to
    ``observe`` (what the latency metric shows)."""

    def __init__(self, inner: Executor, observe: Callable[[float], None]) -> None:
        self.inner = inner
        self.observe = observe
        self._submitted: dict[str, float] = {}

    def submit(self, attempt: TaskAttemptSpec) -> None:
        self._submitted[attempt.token] = time.monotonic()
        self.inner.submit(attempt)

    def poll(self, timeout: float | None = None) -> list[TaskAttemptResult]:
        results = self.inner.poll(timeout)
        now = time.monotonic()
        for result in results:
            started = self._submitted.pop(result.token, None)
            if started is not None:
                self.observe(now - started)
        return results

    def cancel(self, token: str) -> None:
        self._submitted.pop(token, None)
        self.inner.cancel(token)

    def in_flight(self) -> set[str]:
        return self.inner.in_flight()

    def busy(self) -> bool:
        return self.inner.busy()

    def close(self) -> None:
        self.inner.close()


@dataclass(frozen=True)
class PoolUse:
    """How busy the worker pool is: attempts handed to it, and its size."""

    in_flight: int
    workers: int


class EngineService:
    """An engine host over ``database`` (its own connections), writing data under
    ``data_root``, with ``workers`` worker processes."""

    def __init__(
        self,
        database: str,
        data_root: str,
        workers: int,
        observe: Callable[[float], None] = lambda seconds: None,
        on_end: Callable[[ExecutionId], None] | None = None,
    ) -> None:
        self.database = database
        self.observe = observe
        self.on_end = on_end
        self.data_root = data_root
        self.workers = workers
        self._stop = threading.Event()
        self._started = threading.Event()
        self._thread: threading.Thread | None = None
        self.failure: BaseException | None = None
        self._in_flight = 0
        self._counted = 0.0

    def start(self) -> None:
        """Start the host and its pool; returns once the pool is up."""
        self._thread = threading.Thread(target=self._run, name="aloft-engine", daemon=True)
        self._thread.start()
        self._started.wait()
        if self.failure is not None:
            raise self.failure

    def stop(self, timeout: float = 30.0) -> None:
        """Stop stepping, stop the workers and give up every lease, so that the next server
        (or another host) continues at once."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def pool_use(self) -> PoolUse:
        """The pool's use, as the engine thread last counted it (at most a second ago)."""
        return PoolUse(self._in_flight, self.workers)

    def _run(self) -> None:
        store = SqlStore(self.database)
        try:
            with TimedExecutor(ProcessExecutor(self.workers), self.observe) as executor:
                host = EngineHost(
                    store,
                    executor,
                    data_root=self.data_root,
                    batch_window=BATCH_WINDOW,
                    claim_interval=CLAIM_INTERVAL,
                    load_offloaded=load_offloaded,
                    catalog=store,
                    on_end=self.on_end,
                )
                self._started.set()
                _take_over_orphans(host, store)
                host.run(lambda: False, self._stop, lambda: self._count(executor))
                with contextlib.suppress(Exception):
                    store.release(host.id, list(host.views))
        except BaseException as exc:
            _log.exception("the engine host stopped")
            self.failure = exc
            self._started.set()
        finally:
            store.close()

    def _count(self, executor: Executor) -> None:
        """Count the attempts in flight for the metrics, once a second (in the engine thread:
        the executor is not shared with other threads)."""
        now = time.monotonic()
        if now - self._counted >= 1.0:
            self._counted = now
            self._in_flight = len(executor.in_flight())


def _take_over_orphans(host: EngineHost, store: SqlStore) -> None:
    """Hold the unfinished executions whose host is known to be dead (a server of this
    machine that was killed), without waiting for their leases to run out."""
    for phase in (ExecutionPhase.RUNNING, ExecutionPhase.QUEUED):
        after = None
        while True:
            page = store.list_executions(ExecutionQuery(phase=phase, limit=500, after=after))
            for record in page.records:
                with contextlib.suppress(ExecutionBusy):
                    host.take_over(record.id)
            if page.next is None:
                break
            after = page.next
