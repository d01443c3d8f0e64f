"""The inline executor: attempts run in this process, except those with a timeout.

A task without a timeout runs right inside ``submit``: the cheapest dispatch there is, and
the easiest to debug; its outputs are handed over as literals, since nothing crosses a
process boundary. A task that declares a timeout runs in a child process, the only way to
stop Python code that will not stop by itself; the child loads the task by reference and
writes its outputs document like any worker. Nothing a task does escapes ``submit``.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from aloft.executors.base import Executor
from aloft.executors.deaths import death_cause, running_deadline, timeout_message
from aloft.ir import ErrorKind, Identifier, TaskAttemptResult, TaskAttemptSpec, from_json, to_json
from aloft.runtime import (
    CodeLoadError,
    RunnableTask,
    execute_attempt,
    failed_result,
    load_task,
    run_attempt,
)

TaskResolver = Callable[[TaskAttemptSpec], RunnableTask]
"""Finds the task object of an attempt; the default imports it by its code reference."""


def resolve_by_reference(spec: TaskAttemptSpec) -> RunnableTask:
    """Import the task named by ``spec.task.code`` (from ``spec.code_root``)."""
    return load_task(spec.task.code, spec.code_root, spec.bundles)


def resolver_with(known: Mapping[Identifier, RunnableTask]) -> TaskResolver:
    """A resolver that uses the task objects in ``known`` (by task id) before importing."""

    def resolve(spec: TaskAttemptSpec) -> RunnableTask:
        task = known.get(spec.task.id)
        return task if task is not None else resolve_by_reference(spec)

    return resolve


@dataclass
class _Child:
    spec: TaskAttemptSpec
    process: BaseProcess
    connection: Connection
    deadline: float


class InlineExecutor(Executor):
    """Runs attempts in the calling process (timeouts in a child process)."""

    def __init__(self, resolve: TaskResolver = resolve_by_reference) -> None:
        self._resolve = resolve
        self._finished: list[TaskAttemptResult] = []
        self._children: dict[str, _Child] = {}
        self._seen: set[str] = set()
        self._mp = multiprocessing.get_context("spawn")

    def submit(self, attempt: TaskAttemptSpec) -> None:
        if attempt.token in self._seen:
            return
        self._seen.add(attempt.token)
        deadline = running_deadline(attempt)
        if deadline is None:
            self._finished.append(self._run_here(attempt))
            return
        receiver, sender = self._mp.Pipe(duplex=False)
        process = self._mp.Process(
            target=_run_child, args=(to_json(attempt), sender), name=f"aloft-{attempt.node}"
        )
        process.start()
        sender.close()
        self._children[attempt.token] = _Child(attempt, process, receiver, deadline)

    def _run_here(self, spec: TaskAttemptSpec) -> TaskAttemptResult:
        try:
            task = self._resolve(spec)
        except CodeLoadError as exc:
            return failed_result(spec, ErrorKind.USER, str(exc))
        try:
            return execute_attempt(spec, task, write_outputs=False)
        except Exception as exc:
            return failed_result(spec, ErrorKind.SYSTEM, f"{type(exc).__name__}: {exc}")

    def poll(self, timeout: float | None = None) -> list[TaskAttemptResult]:
        if self._finished or not self._children:
            finished, self._finished = self._finished, []
            return finished
        now = time.time()
        nearest = min(child.deadline for child in self._children.values())
        wait_for = max(0.0, nearest - now)
        if timeout is not None:
            wait_for = min(wait_for, timeout)
        ready = wait([child.connection for child in self._children.values()], wait_for)
        results = []
        for token, child in list(self._children.items()):
            if child.connection in ready:
                results.append(self._collect(child))
            elif time.time() >= child.deadline:
                self._stop(child)
                message = timeout_message(child.spec)
                results.append(failed_result(child.spec, ErrorKind.TIMEOUT, message))
            else:
                continue
            del self._children[token]
        return results

    def cancel(self, token: str) -> None:
        child = self._children.pop(token, None)
        if child is not None:
            self._stop(child)
        self._finished = [r for r in self._finished if r.token != token]

    def in_flight(self) -> set[str]:
        return {r.token for r in self._finished} | set(self._children)

    def busy(self) -> bool:
        return bool(self._finished or self._children)

    def close(self) -> None:
        for child in self._children.values():
            self._stop(child)
        self._children.clear()

    def _collect(self, child: _Child) -> TaskAttemptResult:
        try:
            payload = child.connection.recv_bytes()
        except EOFError:
            child.process.join()
            kind, message = death_cause(child.process.exitcode or 0)
            return failed_result(child.spec, kind, message)
        finally:
            child.connection.close()
        child.process.join()
        return from_json(payload, TaskAttemptResult)

    @staticmethod
    def _stop(child: _Child) -> None:
        child.process.kill()
        child.process.join()
        child.connection.close()


def _run_child(spec_json: bytes, connection: Connection) -> None:
    """Child-process target: run one attempt and send its result over ``connection``."""
    try:
        spec = from_json(spec_json, TaskAttemptSpec)
        connection.send_bytes(to_json(run_attempt(spec)))
    finally:
        connection.close()
