"""Who is to blame when a process running a task dies, and when it runs out of time.

Shared by every executor that runs attempts in processes of their own.
"""

from __future__ import annotations

import signal
import time

from aloft.ir import ErrorKind, TaskAttemptSpec

_EXTERNAL_SIGNALS = frozenset({"SIGKILL", "SIGTERM", "SIGINT", "SIGHUP"})
"""Signals that only come from outside the task: a death by one of them is ``SYSTEM``."""


def death_cause(exitcode: int) -> tuple[ErrorKind, str]:
    """Who is to blame for a worker's death during an attempt, and how to say what happened.

    A death by the task's own doing (an exit, a crash) is ``RECOVERABLE``: as in Flyte, where
    a task's container that dies is retried up to the task's retries; a signal from outside
    is ``SYSTEM``, retried from the system budget.
    """
    if exitcode >= 0:
        message = f"worker process exited with code {exitcode} while running the task"
        return ErrorKind.RECOVERABLE, message
    number = -exitcode
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = "a signal"
    message = f"worker process died of {name} (signal {number}) while running the task"
    if name == "SIGKILL":
        message += "; it was killed from outside, possibly by the out-of-memory killer"
    return (ErrorKind.SYSTEM if name in _EXTERNAL_SIGNALS else ErrorKind.RECOVERABLE), message


def running_deadline(spec: TaskAttemptSpec) -> float | None:
    """When an attempt starting now must be stopped: its task's timeout from now, or the
    spec's absolute deadline if that comes first."""
    timeout = spec.timeout
    ends = [] if timeout is None else [time.time() + timeout]
    if spec.deadline is not None:
        ends.append(spec.deadline)
    return min(ends) if ends else None


def timeout_message(spec: TaskAttemptSpec) -> str:
    """What an attempt stopped at its deadline failed with."""
    if spec.timeout is None:
        return "ran past its deadline and was stopped"
    return f"exceeded its timeout of {spec.timeout:g}s and was stopped"
