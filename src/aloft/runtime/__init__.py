"""The worker side: load a task by reference, decode inputs, run, encode outputs."""

from aloft.runtime.attempt import execute_attempt
from aloft.runtime.context import ExecutionParameters, current_context
from aloft.runtime.loader import load_task
from aloft.runtime.protocol import PythonInterface, RunnableTask

__all__ = [
    "ExecutionParameters",
    "PythonInterface",
    "RunnableTask",
    "current_context",
    "execute_attempt",
    "load_task",
]
