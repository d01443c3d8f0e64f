"""The worker entrypoint: run one attempt in this (child) process and send back the result."""

from __future__ import annotations

from multiprocessing.connection import Connection

from aloft.errors import PlatformError
from aloft.ir import (
    ErrorKind,
    ExecutionError,
    TaskAttemptResult,
    TaskAttemptSpec,
    from_json,
    to_json,
)
from aloft.runtime.attempt import execute_attempt
from aloft.runtime.loader import load_task


def run_attempt(spec_json: bytes) -> bytes:
    """Run the attempt encoded in ``spec_json``; return its result as JSON."""
    spec = from_json(spec_json, TaskAttemptSpec)
    try:
        task = load_task(spec.task.code)
    except PlatformError as exc:
        error = ExecutionError(
            kind=ErrorKind.SYSTEM, message=str(exc), node=spec.node, task=spec.task.id.name
        )
        return to_json(TaskAttemptResult(node=spec.node, attempt=spec.attempt, error=error))
    return to_json(execute_attempt(spec, task))


def serve_one(spec_json: bytes, connection: Connection) -> None:
    """Child-process target: run one attempt and send its result over ``connection``."""
    try:
        connection.send_bytes(run_attempt(spec_json))
    finally:
        connection.close()
