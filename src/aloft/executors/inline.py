"""The inline executor: attempts run in this process, except those with a timeout.

A task without a timeout runs right inside ``submit``: the cheapest dispatch there is, and
the easiest to debug. A task that declares a timeout runs in a child process, the only way to
stop Python code that will not stop by itself; the child loads the task by reference.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from aloft.executors.base import Executor
from aloft.ir import (
    ErrorKind,
    ExecutionError,
    TaskAttemptResult,
    TaskAttemptSpec,
    TaskTemplate,
    from_json,
    to_json,
)
from aloft.runtime import RunnableTask, execute_attempt, load_task
from aloft.runtime.worker import serve_one

TaskResolver = Callable[[TaskTemplate], RunnableTask]
"""Finds the task object of a template; the default imports it by its code reference."""


def resolve_by_reference(template: TaskTemplate) -> RunnableTask:
    """Import the task named by ``template.code``."""
    return load_task(template.code)


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
        self._children: dict[tuple[str, int], _Child] = {}
        self._mp = multiprocessing.get_context("spawn")

    def submit(self, attempt: TaskAttemptSpec) -> None:
        if attempt.timeout is None:
            self._finished.append(execute_attempt(attempt, self._resolve(attempt.task)))
            return
        receiver, sender = self._mp.Pipe(duplex=False)
        process = self._mp.Process(
            target=serve_one, args=(to_json(attempt), sender), name=f"aloft-{attempt.node}"
        )
        process.start()
        sender.close()
        deadline = time.monotonic() + attempt.timeout.total_seconds()
        self._children[(attempt.node, attempt.attempt)] = _Child(
            attempt, process, receiver, deadline
        )

    def poll(self, timeout: float | None = None) -> list[TaskAttemptResult]:
        if self._finished or not self._children:
            finished, self._finished = self._finished, []
            return finished
        now = time.monotonic()
        wait_for = max(0.0, min(child.deadline for child in self._children.values()) - now)
        if timeout is not None:
            wait_for = min(wait_for, timeout)
        ready = wait([child.connection for child in self._children.values()], wait_for)
        results = []
        for key, child in list(self._children.items()):
            if child.connection in ready:
                results.append(self._collect(child))
            elif time.monotonic() >= child.deadline:
                self._stop(child)
                limit = child.spec.timeout.total_seconds() if child.spec.timeout else 0
                results.append(
                    _error(
                        child.spec,
                        ErrorKind.TIMEOUT,
                        f"exceeded its timeout of {limit:g}s and was stopped",
                    )
                )
            else:
                continue
            del self._children[key]
        return results

    def cancel(self, node: str, attempt: int) -> None:
        child = self._children.pop((node, attempt), None)
        if child is not None:
            self._stop(child)

    def close(self) -> None:
        for child in self._children.values():
            self._stop(child)
        self._children.clear()

    def _collect(self, child: _Child) -> TaskAttemptResult:
        try:
            payload = child.connection.recv_bytes()
        except EOFError:
            child.process.join()
            return _error(
                child.spec,
                ErrorKind.SYSTEM,
                f"worker process exited with code {child.process.exitcode} before reporting",
            )
        finally:
            child.connection.close()
        child.process.join()
        return from_json(payload, TaskAttemptResult)

    @staticmethod
    def _stop(child: _Child) -> None:
        child.process.kill()
        child.process.join()
        child.connection.close()


def _error(spec: TaskAttemptSpec, kind: ErrorKind, message: str) -> TaskAttemptResult:
    error = ExecutionError(kind=kind, message=message, node=spec.node, task=spec.task.id.name)
    return TaskAttemptResult(node=spec.node, attempt=spec.attempt, error=error)
