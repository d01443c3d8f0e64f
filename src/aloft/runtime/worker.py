"""Running one attempt from its JSON spec, as a worker process does."""

from __future__ import annotations

from aloft.ir import ErrorKind, TaskAttemptResult, TaskAttemptSpec
from aloft.runtime.attempt import execute_attempt, failed_result
from aloft.runtime.loader import CodeLoadError, load_task


def run_attempt(spec: TaskAttemptSpec, *, write_outputs: bool = True) -> TaskAttemptResult:
    """Load the task ``spec`` names and run it; a load failure fails the attempt for good."""
    try:
        task = load_task(spec.task.code, spec.code_root, spec.bundles)
    except CodeLoadError as exc:
        return failed_result(spec, ErrorKind.USER, str(exc))
    return execute_attempt(spec, task, write_outputs=write_outputs)
