"""Running one task attempt: decode inputs, call the user's function, encode outputs.

This is the only place user code runs (DESIGN.md, Layout), whichever executor hosts it.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from typing import Any

from msgspec import structs

from aloft.errors import FlyteRecoverableException, TypeTransformerError
from aloft.ir import (
    ErrorKind,
    ExecutionError,
    Literal,
    OutputsDocument,
    TaskAttemptResult,
    TaskAttemptSpec,
    to_json,
)
from aloft.runtime.protocol import RunnableTask
from aloft.sdk.context import ExecutionParameters, reset_context, set_context
from aloft.storage import (
    DataContext,
    current_data_context,
    enter_data_context,
    exit_data_context,
    offload_if_large,
    store_for,
)
from aloft.storage.layout import outputs_uri, raw_prefix
from aloft.types import to_literal, to_python

RETRY_HINT = "raise FlyteRecoverableException to make this failure retryable"


def execute_attempt(
    spec: TaskAttemptSpec, task: RunnableTask, *, write_outputs: bool = True
) -> TaskAttemptResult:
    """Run ``spec`` with ``task``'s function; every failure comes back as a result.

    Values the attempt offloads (files, tables, large literals) are written under the
    attempt's own prefix (``spec.output_prefix``). With ``write_outputs`` the outputs go to
    the ``outputs.json`` document there and the result carries its URI; without, the result
    carries the literals themselves (for an executor in the engine's own process).
    """
    outer = current_data_context()
    store = store_for(spec.output_prefix)
    context = DataContext(store, raw_prefix(spec.output_prefix), outer.offload_threshold_bytes)
    token = enter_data_context(context)
    try:
        result = _execute(spec, task)
    finally:
        exit_data_context(token)
    if not write_outputs or result.outputs is None:
        return result
    uri = outputs_uri(spec.output_prefix)
    try:
        store.write_new(uri, to_json(OutputsDocument(outputs=result.outputs)))
    except Exception as exc:
        return failed_result(spec, ErrorKind.SYSTEM, f"cannot write outputs to {uri}: {exc}")
    return structs.replace(result, outputs=None, outputs_uri=uri)


def _execute(spec: TaskAttemptSpec, task: RunnableTask) -> TaskAttemptResult:
    interface = task.python_interface
    name = spec.task.id.name
    try:
        kwargs = decode_inputs(spec.inputs, interface.inputs)
    except TypeTransformerError as exc:
        return failed_result(spec, ErrorKind.USER, f"task {name}: cannot read its inputs: {exc}")
    params = ExecutionParameters(spec.execution, spec.task.id, str(spec.node), spec.attempt)
    try:  # the working directory goes last: outputs may be files in it
        token = set_context(params)
        try:
            result = task.execute(**kwargs)
        except FlyteRecoverableException as exc:
            return failed_result(spec, ErrorKind.RECOVERABLE, _describe(exc), _user_traceback(exc))
        except Exception as exc:
            message = f"{_describe(exc)} ({RETRY_HINT})"
            return failed_result(spec, ErrorKind.USER, message, _user_traceback(exc))
        except SystemExit as exc:  # the task's own sys.exit() must not end its host
            return failed_result(spec, ErrorKind.USER, f"called sys.exit({exc.code!r})")
        except KeyboardInterrupt:
            return failed_result(spec, ErrorKind.USER, "raised KeyboardInterrupt")
        finally:
            reset_context(token)
        try:
            outputs = encode_outputs(result, interface.outputs, name)
        except TypeTransformerError as exc:
            return failed_result(spec, ErrorKind.USER, str(exc))
    finally:
        params.cleanup()
    return _result(spec, outputs=outputs)


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


def failed_result(
    spec: TaskAttemptSpec, kind: ErrorKind, message: str, trace: str = ""
) -> TaskAttemptResult:
    """The result of an attempt that failed with ``message``, blamed on ``kind``."""
    error = ExecutionError(
        kind=kind, message=message, node=str(spec.node), task=spec.task.id.name, traceback=trace
    )
    return _result(spec, error=error)


def _result(
    spec: TaskAttemptSpec,
    *,
    outputs: dict[str, Literal] | None = None,
    error: ExecutionError | None = None,
) -> TaskAttemptResult:
    return TaskAttemptResult(
        execution=spec.execution,
        node=spec.node,
        attempt=spec.attempt,
        token=spec.token,
        outputs=outputs,
        error=error,
    )


def _describe(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _user_traceback(exc: BaseException) -> str:
    """The traceback from the user's function down, without the runtime's own frame."""
    tb = exc.__traceback__
    if tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))
