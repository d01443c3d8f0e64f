"""Running one task attempt: decode inputs, call the user's function, encode outputs.

This is the only place user code runs (DESIGN.md, Layout), whichever executor hosts it.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from typing import Any

from aloft.errors import FlyteRecoverableException, TypeTransformerError
from aloft.ir import ErrorKind, ExecutionError, Literal, TaskAttemptResult, TaskAttemptSpec
from aloft.runtime.context import ExecutionParameters, reset_context, set_context
from aloft.runtime.protocol import RunnableTask
from aloft.storage import DataContext, current_data_context, data_context, offload_if_large
from aloft.storage.layout import raw_prefix
from aloft.types import to_literal, to_python

RETRY_HINT = "raise FlyteRecoverableException to make this failure retryable"


def execute_attempt(spec: TaskAttemptSpec, task: RunnableTask) -> TaskAttemptResult:
    """Run ``spec`` with ``task``'s function; every failure comes back as a result.

    Values the attempt offloads (files, tables, large literals) are written under the
    attempt's own prefix of the blob store in force.
    """
    outer = current_data_context()
    prefix = raw_prefix(outer.store, spec.execution, spec.node, spec.attempt)
    with data_context(DataContext(outer.store, prefix, outer.offload_threshold_bytes)):
        return _execute(spec, task)


def _execute(spec: TaskAttemptSpec, task: RunnableTask) -> TaskAttemptResult:
    interface = task.python_interface
    name = spec.task.id.name
    try:
        kwargs = decode_inputs(spec.inputs, interface.inputs)
    except TypeTransformerError as exc:
        return _failed(spec, ErrorKind.USER, f"task {name}: cannot read its inputs: {exc}")
    params = ExecutionParameters(spec.execution, spec.task.id, spec.node, spec.attempt)
    try:  # the working directory goes last: outputs may be files in it
        token = set_context(params)
        try:
            result = task.execute(**kwargs)
        except FlyteRecoverableException as exc:
            return _failed(spec, ErrorKind.RECOVERABLE, _describe(exc), _user_traceback(exc))
        except Exception as exc:
            message = f"{_describe(exc)} ({RETRY_HINT})"
            return _failed(spec, ErrorKind.USER, message, _user_traceback(exc))
        finally:
            reset_context(token)
        try:
            outputs = encode_outputs(result, interface.outputs, name)
        except TypeTransformerError as exc:
            return _failed(spec, ErrorKind.USER, str(exc))
    finally:
        params.cleanup()
    return TaskAttemptResult(node=spec.node, attempt=spec.attempt, outputs=outputs)


def decode_inputs(inputs: Mapping[str, Literal], types: Mapping[str, Any]) -> dict[str, Any]:
    """Input literals to Python values of the declared types."""
    decoded = {}
    for key, literal in inputs.items():
        try:
            decoded[key] = to_python(literal, types[key])
        except TypeTransformerError as exc:
            raise TypeTransformerError(f"input {key!r}: {exc}") from None
    return decoded


def encode_outputs(result: Any, types: Mapping[str, Any], task_name: str) -> dict[str, Literal]:
    """A function's return value to output literals, checking it against the declared types."""
    names = list(types)
    if not names:
        return {}
    returned_fields = getattr(result, "_fields", None) if isinstance(result, tuple) else None
    if len(names) == 1 and returned_fields != tuple(names):
        values: tuple[Any, ...] = (result,)
    elif isinstance(result, tuple) and len(result) == len(names):
        values = result
    else:
        raise TypeTransformerError(
            f"task {task_name} must return a tuple of {len(names)} values "
            f"({', '.join(names)}), got {type(result).__name__}"
        )
    encoded = {}
    for key, value in zip(names, values, strict=True):
        try:
            encoded[key] = offload_if_large(to_literal(value, types[key]))
        except TypeTransformerError as exc:
            raise TypeTransformerError(f"task {task_name}, output {key!r}: {exc}") from None
    return encoded


def _failed(
    spec: TaskAttemptSpec, kind: ErrorKind, message: str, trace: str = ""
) -> TaskAttemptResult:
    error = ExecutionError(
        kind=kind, message=message, node=spec.node, task=spec.task.id.name, traceback=trace
    )
    return TaskAttemptResult(node=spec.node, attempt=spec.attempt, error=error)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _user_traceback(exc: BaseException) -> str:
    """The traceback from the user's function down, without the runtime's own frame."""
    tb = exc.__traceback__
    if tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))
