"""flytekit's ``flytekit.extend``: the names plugin authors build on, from aloft.

A plugin written for flytekit imports these from here instead (``from aloft.extend import
Interface, PythonTask, TypeEngine, TypeTransformer``). They live in :mod:`aloft.compat` and
:mod:`aloft.sdk`; this module only gathers them.
"""

from typing import TypeVar

from aloft.compat import context as context_manager
from aloft.compat.context import ExecutionState, FlyteContext, FlyteContextManager
from aloft.compat.file_access import FileAccessProvider
from aloft.compat.interface import Interface
from aloft.compat.type_engine import TypeEngine
from aloft.compat.type_transformer import TypeTransformer, TypeTransformerFailedError
from aloft.sdk.python_task import PythonTask

T = TypeVar("T")

__all__ = [
    "ExecutionState",
    "FileAccessProvider",
    "FlyteContext",
    "FlyteContextManager",
    "Interface",
    "PythonTask",
    "T",
    "TypeEngine",
    "TypeTransformer",
    "TypeTransformerFailedError",
    "context_manager",
]
