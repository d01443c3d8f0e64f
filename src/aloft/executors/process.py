"""The process executor: a warm pool of worker processes, the platform's default executor.

Workers are started once and reused (``aloft.runtime.pool_worker`` is their main loop), so
handing an attempt to an idle worker costs one pipe write: no process start, and no import
after the first use of a task's module. Workers come from a fork server that has imported the
worker runtime already, never from a plain fork of this process, which may have threads. As
with any such pool, a script that starts one must do so under ``if __name__ == "__main__":``,
since each worker imports the script's main module. POSIX only (Linux and macOS): workers run
in process groups of their own, so that killing one also kills what its task started.

An attempt waits, first in first out but letting later ones that fit go ahead, until a worker
is idle and the pool has the CPU and memory it occupies free (``aloft.executors.resources``).
A worker that dies during an attempt, runs past the attempt's deadline, stops beating its
heartbeat or runs a cancelled attempt is killed if need be and replaced by a fresh one.

How a worker's death is classified (see ``aloft.executors.base``): killed from outside
(SIGKILL, which includes the out-of-memory killer, SIGTERM, SIGINT, SIGHUP, a lost heartbeat)
is ``ErrorKind.SYSTEM``; any other death (an exit code, even 0, since no result was sent;
SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, ...) is the task's own doing,
``ErrorKind.RECOVERABLE``: retried up to the task's ``retries``, as Flyte retries a task
whose container dies.

What a dying worker (or one killed to cancel its attempt) had captured of the attempt's
output is still stored as its log, in place of what the worker published while the attempt
ran; the executor does that through the worker runtime, since executors do not use storage
directly.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import itertools
import os
import shutil
import signal
import tempfile
import time
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import RawValue
from typing import cast

from msgspec import structs

from aloft.executors.base import Executor
from aloft.executors.deaths import death_cause, running_deadline, timeout_message
from aloft.executors.fork_server import fork_server_context
from aloft.executors.resources import Capacity, Demand, demand_of, physical_memory
from aloft.ir import ErrorKind, TaskAttemptResult, TaskAttemptSpec, from_json, to_json
from aloft.ir.quantities import QuantityError
from aloft.runtime import failed_result
from aloft.runtime.output_capture import discard_data, store_log
from aloft.runtime.pool_worker import HEARTBEAT_INTERVAL, serve, worker_name

_REAP_TIMEOUT = 1.0
"""Seconds to wait for the exit status of a worker whose pipe has closed."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection
    heartbeat: ctypes.c_double
    log_path: str
    name: str


@dataclass(eq=False)
class _Attempt:
    spec: TaskAttemptSpec
    demand: Demand


@dataclass(eq=False)
class _Job:
    attempt: _Attempt
    worker: _Worker
    deadline: float | None
    """When the attempt is stopped: its timeout counts from its start, not from its submit."""


class ProcessExecutor(Executor):
    """Runs attempts in a pool of reused worker processes on this machine.

    One thread drives an executor (the engine host's loop); it is not thread-safe.

    Args:
        workers: How many worker processes to keep, and how many CPUs the pool offers;
            defaults to ``os.cpu_count()``.
        memory_bytes: How much memory the pool offers to attempts that request memory;
            defaults to the machine's physical memory.
        heartbeat_timeout: Seconds a busy worker may go without a heartbeat before it counts
            as lost, is killed and its attempt fails as ``ErrorKind.SYSTEM``. The heartbeat
            is a thread of the worker, so a task that holds the GIL in one C call for longer
            than this is taken for a hung worker: keep it generous.
        echo_output: Let attempts write to this process's stdout and stderr (the terminal
            of a local run) as they run, instead of storing what they write as their logs.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        memory_bytes: int | None = None,
        heartbeat_timeout: float = 120.0,
        echo_output: bool = False,
    ) -> None:
        count = (os.cpu_count() or 1) if workers is None else workers
        if count < 1:
            raise ValueError(f"a process pool needs at least one worker, got {count}")
        if heartbeat_timeout <= HEARTBEAT_INTERVAL:
            raise ValueError(
                f"heartbeat_timeout must exceed the heartbeat interval of {HEARTBEAT_INTERVAL}s"
            )
        memory = physical_memory() if memory_bytes is None else memory_bytes
        self._capacity = Capacity(count * 1000, memory)
        self._heartbeat_timeout = heartbeat_timeout
        self._echo_output = echo_output
        self._context = fork_server_context()
        self._log_dir = tempfile.mkdtemp(prefix="aloft-pool-")
        self._serial = itertools.count()
        self._workers: set[_Worker] = set()
        self._finalizer = weakref.finalize(self, _stop_all, self._workers, self._log_dir)
        # At exit, before multiprocessing's own exit handler (registered earlier, so run later)
        # would wait forever for workers that wait for work.
        self._finalizer.atexit = False
        atexit.register(self._finalizer)
        self._idle = [self._start_worker() for _ in range(count)]
        self._queued: dict[str, _Attempt] = {}
        self._running: dict[str, _Job] = {}
        self._finished: list[TaskAttemptResult] = []
        self._seen: set[str] = set()

    def submit(self, attempt: TaskAttemptSpec) -> None:
        """Queue ``attempt`` and start it if a worker and resources are free."""
        token = attempt.token
        if token in self._seen:
            return
        if not self._finalizer.alive:
            raise RuntimeError("the process pool is closed")
        self._seen.add(token)
        name = attempt.task.id.name
        try:
            demand = demand_of(attempt.task.requests, attempt.task.limits)
        except QuantityError as exc:
            self._finished.append(failed_result(attempt, ErrorKind.USER, f"task {name}: {exc}"))
            return
        if shortfall := self._capacity.shortfall(demand):
            message = f"task {name} asks for more than this process pool has: {shortfall}"
            self._finished.append(failed_result(attempt, ErrorKind.USER, message))
            return
        self._queued[token] = _Attempt(attempt, demand)
        self._dispatch()

    def poll(self, timeout: float | None = None) -> list[TaskAttemptResult]:
        """Results of finished attempts, waiting up to ``timeout`` seconds for at least one."""
        end = None if timeout is None else time.monotonic() + timeout
        while self._running and not self._finished:
            ready = wait(self._waitables(), self._time_to_next_check(end))
            for job in list(self._running.values()):
                connection, sentinel = job.worker.connection, job.worker.process.sentinel
                if connection in ready or sentinel in ready:
                    self._collect(job, readable=connection in ready)
            self._check_running()
            self._dispatch()
            if end is not None and time.monotonic() >= end:
                break
        finished, self._finished = self._finished, []
        return finished

    def cancel(self, token: str) -> None:
        """Drop a queued attempt or kill the worker running it (storing what it printed as
        its log); its result is never reported."""
        self._finished = [result for result in self._finished if result.token != token]
        if self._queued.pop(token, None) is not None:
            return
        job = self._running.pop(token, None)
        if job is None:
            return
        self._capacity.give_back(job.attempt.demand)
        self._stop(job.worker)
        store_log(job.worker.log_path, job.attempt.spec)  # the attempt's record names it
        self._idle.append(self._replace(job.worker))
        self._dispatch()

    def in_flight(self) -> set[str]:
        """Tokens of queued and running attempts, and of finished ones not yet polled."""
        return {*self._queued, *self._running, *(result.token for result in self._finished)}

    def busy(self) -> bool:
        """Whether any attempt is queued, running, or finished and not yet polled."""
        return bool(self._queued or self._running or self._finished)

    def close(self) -> None:
        """Stop every worker; attempts still running are abandoned. Safe to call twice."""
        atexit.unregister(self._finalizer)
        self._finalizer()
        self._idle.clear()
        self._queued.clear()
        self._running.clear()

    # -- dispatching ----------------------------------------------------------------------------

    def _dispatch(self) -> None:
        while self._idle and self._queued:
            fits = self._capacity.fits
            attempt = next((a for a in self._queued.values() if fits(a.demand)), None)
            if attempt is None:
                return
            del self._queued[attempt.spec.token]
            self._start(attempt)

    def _start(self, attempt: _Attempt) -> None:
        spec = attempt.spec
        if spec.deadline is not None and time.time() >= spec.deadline:
            self._finished.append(failed_result(spec, ErrorKind.TIMEOUT, timeout_message(spec)))
            return
        worker = self._idle.pop()
        payload = to_json(spec)
        try:
            worker.connection.send_bytes(payload)
        except OSError:  # the worker died while idle
            self._stop(worker)
            worker = self._replace(worker)
            worker.connection.send_bytes(payload)
        self._capacity.take(attempt.demand)
        self._running[spec.token] = _Job(attempt, worker, running_deadline(spec))

    # -- watching running attempts --------------------------------------------------------------

    def _waitables(self) -> list[Connection | int]:
        waitables: list[Connection | int] = []
        for job in self._running.values():
            waitables.append(job.worker.connection)
            waitables.append(job.worker.process.sentinel)
        return waitables

    def _time_to_next_check(self, end: float | None) -> float:
        """Seconds until ``end``, the nearest deadline or the nearest heartbeat expiry."""
        mono, wall = time.monotonic(), time.time()
        seconds = float("inf") if end is None else end - mono
        for job in self._running.values():
            seconds = min(seconds, job.worker.heartbeat.value + self._heartbeat_timeout - mono)
            if job.deadline is not None:
                seconds = min(seconds, job.deadline - wall)
        return max(0.0, seconds)

    def _collect(self, job: _Job, *, readable: bool) -> None:
        worker = job.worker
        try:
            payload = worker.connection.recv_bytes() if readable else None
        except (EOFError, OSError):
            payload = None
        if payload is None:
            self._fail(job, *death_cause(_reap(worker.process)))
            return
        del self._running[job.attempt.spec.token]
        self._capacity.give_back(job.attempt.demand)
        self._idle.append(worker)
        self._finished.append(from_json(payload, TaskAttemptResult))

    def _check_running(self) -> None:
        mono, wall = time.monotonic(), time.time()
        for job in list(self._running.values()):
            spec = job.attempt.spec
            silent = mono - job.worker.heartbeat.value
            if job.deadline is not None and wall >= job.deadline:
                self._fail(job, ErrorKind.TIMEOUT, timeout_message(spec))
            elif silent > self._heartbeat_timeout:
                message = (
                    f"worker process lost heartbeat: silent for {silent:.1f}s, more than "
                    f"{self._heartbeat_timeout:g}s; it was killed"
                )
                self._fail(job, ErrorKind.SYSTEM, message)

    def _fail(self, job: _Job, kind: ErrorKind, message: str) -> None:
        """Report ``job`` failed, with the output its worker captured; replace the worker."""
        spec, worker = job.attempt.spec, job.worker
        del self._running[spec.token]
        self._capacity.give_back(job.attempt.demand)
        self._stop(worker)
        log = store_log(worker.log_path, spec) if worker.log_path else ""
        discard_data(spec.output_prefix)
        self._idle.append(self._replace(worker))
        result = failed_result(spec, kind, message)
        self._finished.append(structs.replace(result, log_uri=log, worker=worker.name))

    # -- worker processes -----------------------------------------------------------------------

    def _start_worker(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        heartbeat = RawValue(ctypes.c_double, time.monotonic())
        serial = next(self._serial)
        log_path = "" if self._echo_output else os.path.join(self._log_dir, f"worker-{serial}.log")
        process = self._context.Process(  # the fork server's environment is from its start
            target=serve,
            args=(theirs, heartbeat, log_path, dict(os.environ)),
            name="aloft-worker",
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours, heartbeat, log_path, worker_name(cast(int, process.pid)))
        self._workers.add(worker)
        return worker

    def _stop(self, worker: _Worker) -> None:
        """Kill ``worker`` (if it still lives) and wait for it to exit."""
        self._workers.discard(worker)
        _kill(worker.process)
        worker.process.join()
        worker.process.close()
        worker.connection.close()

    def _replace(self, worker: _Worker) -> _Worker:
        """A fresh worker in place of ``worker``, which must be stopped."""
        if worker.log_path:
            with contextlib.suppress(FileNotFoundError):
                os.remove(worker.log_path)
        return self._start_worker()


def _kill(process: BaseProcess) -> None:
    """SIGKILL a worker and whatever else runs in its process group (what its tasks started).

    A worker that has exited is not signalled: the fork server may have reaped it, and its pid
    may belong to another process by now. Its process group, though, cannot be reused while
    processes the task started are still in it.
    """
    try:
        os.killpg(cast(int, process.pid), signal.SIGKILL)
    except ProcessLookupError:  # no group yet (the worker is starting) or any more
        pass
    else:
        return
    if process.exitcode is None:
        process.kill()


def _reap(process: BaseProcess) -> int:
    """The exit code of a worker whose pipe closed; kills it if it closed the pipe and lives."""
    process.join(_REAP_TIMEOUT)
    if process.exitcode is None:
        _kill(process)
        process.join()
    return cast(int, process.exitcode)


def _stop_all(workers: set[_Worker], log_dir: str) -> None:
    """Kill every worker and remove the pool's log folder (the pool's finalizer)."""
    for worker in workers:
        worker.connection.close()
        _kill(worker.process)
    for worker in workers:
        worker.process.join()
        worker.process.close()
    workers.clear()
    shutil.rmtree(log_dir, ignore_errors=True)
