"""Running one task attempt: decode inputs, call the user's function, encode outputs.

This is the only place user code runs (DESIGN.md, Layout), whichever executor hosts it.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Mapping
from typing import Any, NamedTuple, cast

from msgspec import structs

from aloft.errors import FlyteRecoverableException, TypeTransformerError, UserError
from aloft.ir import (
    DYNAMIC_TASK_TYPE,
    EAGER_TASK_TYPE,
    ArrayItem,
    ErrorKind,
    ExecutionError,
    ItemResult,
    Literal,
    NodeKey,
    OutputsDocument,
    TaskAttemptResult,
    TaskAttemptSpec,
    WorkflowClosure,
    to_json,
)
from aloft.runtime.decks import DeckWriter, shown_outputs
from aloft.runtime.output_capture import discard_data
from aloft.runtime.protocol import DynamicTask, EagerTask, RunnableTask
from aloft.runtime.task_context import Redactor, secret_environment, task_context
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
    attempt's own prefix (``spec.output_prefix``), and so are its checkpoint and its deck
    file. With ``write_outputs`` the outputs go to the ``outputs.json`` document there and the
    result carries its URI; without, the result carries the literals themselves (for an
    executor in the engine's own process). A batch attempt runs each of its items in turn,
    each failing or succeeding on its own. The values of the task's secrets are kept out of
    its deck and its error.
    """
    outer = current_data_context()
    store = store_for(spec.output_prefix)
    context = DataContext(store, raw_prefix(spec.output_prefix), outer.offload_threshold_bytes)
    redactor = Redactor.for_attempt(spec)  # one manager: the config is read once a batch
    token = enter_data_context(context)
    try:
        if spec.items:
            items = tuple(_run_item(spec, task, item, redactor) for item in spec.items)
            result = _result(spec, items=items)
        else:
            run = _run(spec, task, spec.inputs, spec.node, spec.attempt, redactor, spec.task.type)
            if isinstance(run.value, WorkflowClosure):
                result = _result(spec, workflow=run.value)
            else:
                result = _result(spec, outputs=run.value, error=run.error, deck_uri=run.deck_uri)
    finally:
        exit_data_context(token)
    if result.error is not None:  # nothing will refer to what it wrote
        discard_data(spec.output_prefix)
    if not write_outputs or (result.outputs is None and not result.items and not result.workflow):
        return result
    uri = outputs_uri(spec.output_prefix)
    document = OutputsDocument(
        outputs=result.outputs or {},
        items=tuple(item for item in result.items if item.outputs is not None),
        workflow=result.workflow,
    )
    try:
        store.write_new(uri, to_json(document))
    except Exception as exc:
        return failed_result(spec, ErrorKind.SYSTEM, f"cannot write outputs to {uri}: {exc}")
    items = tuple(structs.replace(item, outputs=None) for item in result.items)
    return structs.replace(result, outputs=None, outputs_uri=uri, items=items, workflow=None)


def _run_item(
    spec: TaskAttemptSpec, task: RunnableTask, item: ArrayItem, redactor: Redactor
) -> ItemResult:
    node = spec.node.at(item.index)
    run = _run(spec, task, item.inputs, node, item.attempt, redactor, item=item.index)
    assert not isinstance(run.value, WorkflowClosure)  # map_task refuses dynamic tasks
    return ItemResult(index=item.index, outputs=run.value, error=run.error)


class _Run(NamedTuple):
    """How one run of the function went: its outputs (or the workflow a dynamic or eager
    body built), or its error; and its deck file, if it wrote one."""

    value: dict[str, Literal] | WorkflowClosure | None
    error: ExecutionError | None = None
    deck_uri: str = ""


def _run(
    spec: TaskAttemptSpec,
    task: RunnableTask,
    inputs: Mapping[str, Literal],
    node: NodeKey,
    attempt: int,
    redactor: Redactor,
    task_type: str = "",
    item: int | None = None,
) -> _Run:
    """Run the function once on ``inputs``, as attempt ``attempt`` of node ``node``: its
    outputs, or the workflow a dynamic body builds from the inputs' values, or that of the
    calls a round of an eager body waits for; then write its deck file if it has decks. The
    secrets' values are kept out of its error."""
    run = _run_unredacted(spec, task, inputs, node, attempt, redactor, task_type, item)
    return run._replace(error=_redacted(run.error, redactor)) if run.error else run


def _run_unredacted(
    spec: TaskAttemptSpec,
    task: RunnableTask,
    inputs: Mapping[str, Literal],
    node: NodeKey,
    attempt: int,
    redactor: Redactor,
    task_type: str,
    item: int | None,
) -> _Run:
    params = task_context(spec, str(node), attempt, redactor.secrets, item)
    decks = DeckWriter(spec, task, params, redactor) if params.enable_deck else None
    try:
        try:
            kwargs = decode_inputs(inputs, task.python_interface.inputs)
        except TypeTransformerError as exc:
            message = f"task {spec.task.id.name}: cannot read its inputs: {exc}"
            return _Run(None, _error(spec, node, ErrorKind.USER, message))
        if decks is None:
            return _Run(*_call(spec, task, params, kwargs, node, attempt, task_type))
        decks.lap("Read the inputs")
        decks.inputs = kwargs
        params.publish_decks = decks.write
        value, error = _call(spec, task, params, kwargs, node, attempt, task_type, decks)
        try:
            return _Run(value, error, decks.write())
        except UserError as exc:  # a deck that failed to render
            return _Run(None, error or _error(spec, node, ErrorKind.USER, str(exc)))
        except Exception as exc:  # the store: the deck is lost, not the attempt
            print(f"aloft: cannot write the deck of {node}: {exc}", file=sys.stderr)
            return _Run(value, error)
    finally:
        params.cleanup()


def _call(
    spec: TaskAttemptSpec,
    task: RunnableTask,
    params: ExecutionParameters,
    kwargs: dict[str, Any],
    node: NodeKey,
    attempt: int,
    task_type: str,
    decks: DeckWriter | None = None,
) -> tuple[dict[str, Literal] | WorkflowClosure | None, ExecutionError | None]:
    """Call the function in ``params``' context and encode what it returns."""
    interface = task.python_interface
    name = spec.task.id.name
    token = set_context(params)
    try:
        with secret_environment(params, spec.task.secret_requests):
            if task_type == DYNAMIC_TASK_TYPE:
                name_of_workflow = f"{name}[{node}]"
                built = cast(DynamicTask, task).compile_dynamic(name_of_workflow, **kwargs)
                return _in_bundle(spec, built), None
            if task_type == EAGER_TASK_TYPE:
                journal = {call.id: call for call in spec.calls}
                round_name = f"{name}[{node}]#round-{attempt}"
                eager = cast(EagerTask, task)
                result, waiting = eager.run_round(journal, round_name, **kwargs)
                if waiting is not None:
                    return _in_bundle(spec, waiting), None
            else:
                result = task.execute(**kwargs)
            if decks is not None:
                decks.lap("Run the task")
                decks.outputs = shown_outputs(result, list(interface.outputs))
            # converted here, in the task's context: a generator's body runs as it is read
            encoded = encode_outputs(result, interface.outputs, name)
            if decks is not None:
                decks.lap("Write the outputs")
            return encoded, None
    except UserError as exc:  # how the body used aloft: a dynamic that does not compile, an
        return None, _error(spec, node, ErrorKind.USER, str(exc))  # eager call that failed,
    except FlyteRecoverableException as exc:  # outputs of the wrong type, a missing secret
        trace = _user_traceback(exc)
        return None, _error(spec, node, ErrorKind.RECOVERABLE, _describe(exc), trace)
    except Exception as exc:
        message = f"{_describe(exc)} ({RETRY_HINT})"
        return None, _error(spec, node, ErrorKind.USER, message, _user_traceback(exc))
    except SystemExit as exc:  # the task's own sys.exit() must not end its host
        return None, _error(spec, node, ErrorKind.USER, f"called sys.exit({exc.code!r})")
    except KeyboardInterrupt:
        return None, _error(spec, node, ErrorKind.USER, "raised KeyboardInterrupt")
    finally:
        reset_context(token)


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
    return _result(spec, error=_error(spec, spec.node, kind, message, trace))


def _error(
    spec: TaskAttemptSpec, node: NodeKey, kind: ErrorKind, message: str, trace: str = ""
) -> ExecutionError:
    return ExecutionError(
        kind=kind, message=message, node=str(node), task=spec.task.id.name, traceback=trace
    )


def _result(
    spec: TaskAttemptSpec,
    *,
    outputs: dict[str, Literal] | None = None,
    error: ExecutionError | None = None,
    items: tuple[ItemResult, ...] = (),
    workflow: WorkflowClosure | None = None,
    deck_uri: str = "",
) -> TaskAttemptResult:
    return TaskAttemptResult(
        execution=spec.execution,
        node=spec.node,
        attempt=spec.attempt,
        token=spec.token,
        outputs=outputs,
        error=error,
        items=items,
        workflow=workflow,
        deck_uri=deck_uri,
    )


def _redacted(error: ExecutionError, redactor: Redactor) -> ExecutionError:
    """``error`` without the values of the task's secrets in its message or traceback."""
    return structs.replace(
        error, message=redactor.text(error.message), traceback=redactor.text(error.traceback)
    )


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception as failure:  # the user's __str__ failed: name the exception anyway
        text = f"(its message could not be shown: {type(failure).__name__}: {failure})"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _user_traceback(exc: BaseException) -> str:
    """The traceback from the user's function down, without the runtime's own frame."""
    tb = exc.__traceback__
    if tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def _in_bundle(spec: TaskAttemptSpec, closure: WorkflowClosure) -> WorkflowClosure:
    """``closure``, built by the task of ``spec``, with its tasks' code in that task's bundle."""
    bundle = spec.task.code.bundle
    return closure.with_code_bundle(bundle) if bundle else closure
