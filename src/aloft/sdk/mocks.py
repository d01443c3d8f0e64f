"""Tasks whose body a test has replaced (``aloft.testing.task_mock`` and ``patch``).

A mocked task's ``execute`` is the test's mock. A local run (a ``wf()`` call) runs mocked
tasks in this process with that mock, reference tasks included: a mocked reference task
runs like a task of this process instead of being refused as only a server can run it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from msgspec import structs

from aloft.ir import REFERENCE_TASK_TYPE, Identifier, WorkflowClosure

_FUNCTION_TASK = "python-task"
"""The type of a task a worker runs as a Python function (``TaskTemplate``'s default)."""

_lock = threading.Lock()
_mocked: dict[Identifier, Any] = {}


@contextmanager
def mocked(task: Any, call: Callable[..., Any]) -> Iterator[None]:
    """Make ``call`` the body of ``task`` (a task or a reference task) for the block."""
    template = getattr(task, "template", None)
    if template is None:
        raise TypeError(f"only tasks can be mocked, not {task!r}")
    had_own = "execute" in vars(task)
    saved = vars(task).get("execute")
    task.execute = call
    with _lock:
        _mocked[template.id] = task
    try:
        yield
    finally:
        with _lock:
            _mocked.pop(template.id, None)
        if had_own:
            task.execute = saved
        else:
            del task.execute


def mocked_tasks() -> dict[Identifier, Any]:
    """The tasks mocked now, by task id."""
    with _lock:
        return dict(_mocked)


def is_mocked(entity: Any) -> bool:
    """Whether ``entity`` is a task mocked now."""
    template = getattr(entity, "template", None)
    return template is not None and mocked_tasks().get(template.id) is entity


def with_mocks(closure: WorkflowClosure, mocks: dict[Identifier, Any]) -> WorkflowClosure:
    """``closure`` with each mocked reference task made a task this process runs."""
    if not mocks:
        return closure
    tasks = tuple(
        structs.replace(task, type=_FUNCTION_TASK)
        if task.type == REFERENCE_TASK_TYPE and task.id in mocks
        else task
        for task in closure.tasks
    )
    return structs.replace(closure, tasks=tasks)
