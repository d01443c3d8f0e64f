"""The running task's context, as ``current_context()`` returns it.

It lives in a ContextVar set by the worker around the user's function (STYLE.md, point 7), so
concurrent attempts in one process each see their own.
"""

from __future__ import annotations

import datetime
import logging
import shutil
import tempfile
from contextvars import ContextVar

from aloft.ir import ExecutionId, Identifier, ResourceType

_logger = logging.getLogger("aloft.user")


class ExecutionParameters:
    """What a task can know about the attempt running it.

    Attributes:
        execution_id: the execution this attempt belongs to.
        task_id: the identifier of the running task.
        node: the node key within the execution (``n0``, ``n1/n0``).
        attempt: 0 for the first attempt, 1 for the first retry, ...
        execution_date: when the attempt started (UTC).
        logging: a logger for user messages.
    """

    __slots__ = ("_working_dir", "attempt", "execution_date", "execution_id", "node", "task_id")

    logging = _logger

    def __init__(
        self, execution_id: ExecutionId, task_id: Identifier, node: str = "", attempt: int = 0
    ) -> None:
        self.execution_id = execution_id
        self.task_id = task_id
        self.node = node
        self.attempt = attempt
        self.execution_date = datetime.datetime.now(datetime.UTC)
        self._working_dir: str | None = None

    @property
    def working_directory(self) -> str:
        """A scratch folder private to this attempt, removed when the attempt ends."""
        if self._working_dir is None:
            self._working_dir = tempfile.mkdtemp(prefix="aloft-task-")
        return self._working_dir

    def cleanup(self) -> None:
        """Remove the scratch folder, if the task asked for one."""
        if self._working_dir is not None:
            shutil.rmtree(self._working_dir, ignore_errors=True)
            self._working_dir = None


_current: ContextVar[ExecutionParameters | None] = ContextVar("aloft_task_context", default=None)
_outside: ExecutionParameters | None = None


def current_context() -> ExecutionParameters:
    """The context of the running task; outside a task, a context for local use."""
    params = _current.get()
    if params is not None:
        return params
    global _outside
    if _outside is None:
        _outside = ExecutionParameters(
            ExecutionId(name="local"), Identifier(resource_type=ResourceType.TASK, name="local")
        )
    return _outside


def set_context(params: ExecutionParameters) -> object:
    """Make ``params`` the current context; returns a token for ``reset_context``."""
    return _current.set(params)


def reset_context(token: object) -> None:
    """Undo ``set_context``."""
    _current.reset(token)  # type: ignore[arg-type]
