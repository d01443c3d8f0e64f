"""The worker side: load a task by reference, decode inputs, run, encode outputs."""

from aloft.runtime.attempt import execute_attempt, failed_result
from aloft.runtime.loader import CodeLoadError, load_task
from aloft.runtime.protocol import PythonInterface, RunnableTask
from aloft.runtime.worker import run_attempt

__all__ = [
    "CodeLoadError",
    "PythonInterface",
    "RunnableTask",
    "execute_attempt",
    "failed_result",
    "load_task",
    "run_attempt",
]
