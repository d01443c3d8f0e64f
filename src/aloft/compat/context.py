"""``FlyteContext`` and ``FlyteContextManager``: what flytekit code asks for the running
task's file access and parameters (``flytekit.core.context_manager``).

aloft keeps no stack of contexts: a ``FlyteContext`` is a view of what is in force now, the
data context (where data goes) and the task's ``current_context()``. The same view is given
back for the same data context, so uploads a transformer makes through
``FlyteContextManager.current_context()`` are seen by the code that called it.
"""

from __future__ import annotations

import functools

from aloft.compat.file_access import FileAccessProvider, process_sandbox
from aloft.sdk.context import ExecutionParameters, current_context
from aloft.storage import DataContext, current_data_context


class ExecutionState:
    """flytekit's execution state: the task's parameters and working directory."""

    @property
    def user_space_params(self) -> ExecutionParameters:
        """The running task's ``current_context()``."""
        return current_context()

    @property
    def working_dir(self) -> str:
        """The running task's scratch folder."""
        return current_context().working_directory


class FlyteContext:
    """The running task's file access and parameters, as flytekit code reads them.

    Args:
        file_access: Where local scratch paths and remote paths are made, and copies done.
    """

    def __init__(self, file_access: FileAccessProvider) -> None:
        self._file_access = file_access
        self._execution_state = ExecutionState()

    @property
    def file_access(self) -> FileAccessProvider:
        """Local scratch paths, remote paths under the raw prefix, copies between them."""
        return self._file_access

    @property
    def execution_state(self) -> ExecutionState:
        """The task's parameters and working directory."""
        return self._execution_state

    @property
    def user_space_params(self) -> ExecutionParameters:
        """The running task's ``current_context()``."""
        return current_context()

    @classmethod
    def current_context(cls) -> FlyteContext:
        """The context in force (``FlyteContextManager.current_context()``)."""
        return FlyteContextManager.current_context()


class FlyteContextManager:
    """Hands out the ``FlyteContext`` in force."""

    @staticmethod
    def current_context() -> FlyteContext:
        """The context of the data context in force: inside a task, its attempt's."""
        return context_for(current_data_context())


@functools.lru_cache(maxsize=16)
def context_for(data: DataContext) -> FlyteContext:
    """The ``FlyteContext`` whose remote paths lie under ``data``'s raw prefix."""
    return FlyteContext(FileAccessProvider(process_sandbox(), data.raw_prefix))
