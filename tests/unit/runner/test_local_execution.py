"""Running workflows locally: retries, failures, timeouts and the task context."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from aloft import FlyteRecoverableException, current_context, task, workflow
from aloft.errors import ExecutionFailedError
from aloft.runner import execute

ATTEMPTS: list[int] = []


@task(retries=2)
def always_flaky(x: int) -> int:
    ATTEMPTS.append(current_context().attempt)
    raise FlyteRecoverableException(f"transient trouble with {x}")


@task(retries=3)
def flaky_then_fine(x: int) -> int:
    ATTEMPTS.append(current_context().attempt)
    if len(ATTEMPTS) < 3:
        raise FlyteRecoverableException("not yet")
    return x


@task(retries=5)
def broken(x: int) -> int:
    ATTEMPTS.append(current_context().attempt)
    raise ValueError(f"bad value {x}")


@task(timeout=1)
def sleepy(seconds: float) -> str:
    time.sleep(seconds)
    return "awake"


@task
def uses_context(name: str) -> str:
    context = current_context()
    scratch = Path(context.working_directory) / "note.txt"
    scratch.write_text(name)
    exists = os.path.isdir(context.working_directory)
    return f"{context.execution_id.name}:{scratch.read_text()}:{exists}"


@workflow
def flaky_wf(x: int) -> int:
    return always_flaky(x=x)


@pytest.fixture(autouse=True)
def _reset() -> None:
    ATTEMPTS.clear()


def test_a_recoverable_exception_is_retried_retries_times_then_fails_with_the_message() -> None:
    execution = execute(flaky_wf, {"x": 7})
    assert not execution.succeeded
    assert ATTEMPTS == [0, 1, 2]
    message = execution.error_message()
    assert "transient trouble with 7" in message
    assert always_flaky.name in message
    assert "after 3 attempts" in message


def test_a_recoverable_exception_then_success_returns_the_value() -> None:
    assert flaky_then_fine(x=5) == 5
    assert ATTEMPTS == [0, 1, 2]


def test_any_other_exception_fails_at_once_and_says_how_to_make_it_retryable() -> None:
    with pytest.raises(ExecutionFailedError) as caught:
        broken(x=3)
    assert ATTEMPTS == [0]
    message = str(caught.value)
    assert "ValueError: bad value 3" in message
    assert "FlyteRecoverableException" in message
    assert broken.name in message


def test_a_task_over_its_timeout_is_stopped_and_reported() -> None:
    started = time.monotonic()
    execution = execute(sleepy, {"seconds": 30.0})
    assert time.monotonic() - started < 20
    assert not execution.succeeded
    assert "exceeded its timeout of 1s" in execution.error_message()


def test_a_task_within_its_timeout_runs_in_a_child_process_and_returns() -> None:
    assert sleepy(seconds=0.0) == "awake"


def test_the_task_context_has_the_execution_id_and_a_private_working_directory() -> None:
    result = uses_context(name="hi")
    execution_name, text, existed = result.split(":")
    assert execution_name.startswith("local-")
    assert (text, existed) == ("hi", "True")


def test_current_context_outside_a_task_still_answers() -> None:
    assert current_context().execution_id.name == "local"


@task
def exits(code: int) -> int:
    sys.exit(code)
    raise AssertionError("unreachable: sys.exit does not return")


@task(retries=2)
def interrupted() -> int:
    raise KeyboardInterrupt


@task(timeout=60)
def crashes_in_a_child() -> int:
    os._exit(5)
    raise AssertionError("unreachable: os._exit does not return")


def test_a_task_cannot_end_the_calling_process() -> None:
    """sys.exit and KeyboardInterrupt raised by a task fail it once, naming them; a child
    process the task ends fails it once under retries=0, not as a system failure retried."""
    with pytest.raises(
        ExecutionFailedError, match=r"exits \(node n0\) failed: called sys.exit\(0\)"
    ):
        exits(code=0)
    with pytest.raises(ExecutionFailedError, match=r"failed: raised KeyboardInterrupt$"):
        interrupted()
    execution = execute(crashes_in_a_child, {})
    assert execution.error_message().endswith(
        "failed: worker process exited with code 5 while running the task"
    )
