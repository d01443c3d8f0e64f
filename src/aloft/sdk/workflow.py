"""``@workflow``: a function whose calls are traced into a typed graph and compiled at once.

The body runs one time, when the decorator is applied, with promises for inputs; Python
loops in it are unrolled. Type errors therefore surface when the module is imported.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable
from typing import Any, overload

from aloft.compiler import OutputRef, TracedBinding, TracedNode
from aloft.errors import CompileError, DecoratorError
from aloft.ir import (
    START_NODE,
    FailurePolicy,
    Identifier,
    ResourceType,
    WorkflowClosure,
)
from aloft.sdk.arguments import reject_unknown
from aloft.sdk.entity import Entity, traced_binding
from aloft.sdk.interface import interface_of, typed_interface
from aloft.sdk.location import function_location, location, module_of
from aloft.sdk.promise import Promise
from aloft.sdk.trace_body import trace_body
from aloft.types.error import ERROR_INPUT, FlyteError

_WORKFLOW_ARGUMENTS = (
    "failure_policy",
    "interruptible",
    "on_failure",
    "docs",
    "pickle_untyped",
    "default_options",
)


class WorkflowFailurePolicy(enum.Enum):
    """What a workflow does when one of its nodes fails."""

    FAIL_IMMEDIATELY = FailurePolicy.FAIL_IMMEDIATELY
    FAIL_AFTER_EXECUTABLE_NODES_COMPLETE = FailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE


class PythonFunctionWorkflow(Entity):
    """A workflow defined by a Python function. Create it with ``@workflow``."""

    def __init__(
        self,
        workflow_function: Callable[..., Any],
        failure_policy: WorkflowFailurePolicy | None = None,
        interruptible: bool = False,
        docs: Any = None,
        on_failure: Entity | None = None,
    ) -> None:
        if not callable(workflow_function):
            raise DecoratorError(f"@workflow must decorate a function, got {workflow_function!r}")
        if failure_policy is not None and not isinstance(failure_policy, WorkflowFailurePolicy):
            raise DecoratorError(
                f"@workflow failure_policy must be a WorkflowFailurePolicy, got {failure_policy!r}"
            )
        self.workflow_function = workflow_function
        self.name = f"{module_of(workflow_function)}.{workflow_function.__qualname__}"
        self.location = function_location(workflow_function)
        what = f"{self.location}: workflow {self.name}"
        self.python_interface = interface_of(workflow_function, what)
        self.interface = typed_interface(self.python_interface, what)
        self.failure_policy = failure_policy or WorkflowFailurePolicy.FAIL_IMMEDIATELY
        self.interruptible = interruptible
        self.docs = docs
        self.on_failure = on_failure
        self._tasks: dict[Identifier, Any] = {}
        self._closure = self._compile()

    @property
    def closure(self) -> WorkflowClosure:
        return self._closure

    def node_target(self) -> WorkflowClosure:
        return self._closure

    def task_objects(self) -> dict[Identifier, Any]:
        return dict(self._tasks)

    @property
    def nodes(self) -> tuple[Any, ...]:
        """The compiled nodes, in call order."""
        return self._closure.workflow.nodes

    def _compile(self) -> WorkflowClosure:
        inputs = {
            name: Promise(START_NODE, name, py_type)
            for name, py_type in self.python_interface.inputs.items()
        }
        try:
            closure, self._tasks = trace_body(
                self.workflow_function,
                inputs,
                Identifier(resource_type=ResourceType.WORKFLOW, name=self.name),
                self.python_interface,
                self.interface,
                self.location,
                f"workflow {self.name}",
                failure_policy=self.failure_policy.value,
                interruptible=self.interruptible or None,
                failure_node=self._failure_node(),
            )
        except NameError as exc:
            raise CompileError(
                f"{self._line_of(exc)}: workflow {self.name}: {exc}; aloft compiles a workflow "
                "where @workflow is applied (flytekit does so later), so what its body calls "
                "must be defined above it"
            ) from None
        if self.on_failure is not None:
            self._tasks.update(self.on_failure.task_objects())
        return closure

    def _line_of(self, exc: BaseException) -> str:
        """Where in the workflow's body ``exc`` was raised (the body's first line if not)."""
        code = self.workflow_function.__code__
        line = code.co_firstlineno
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code is code:
                line = tb.tb_lineno
            tb = tb.tb_next
        return location(code.co_filename, line).display

    def _failure_node(self) -> TracedNode | None:
        """The node ``on_failure`` runs as: the handler on the workflow's inputs, its ``err``
        input filled in by the engine."""
        handler = self.on_failure
        if handler is None:
            return None
        where = f"{self.location}: workflow {self.name}, on_failure"
        if not isinstance(handler, Entity) or handler.launch_settings() is not None:
            raise DecoratorError(f"{where} must be a task or a workflow, not {handler!r}")
        declared = handler.python_interface
        if not _is_error_type(declared.inputs.get(ERROR_INPUT)):
            raise DecoratorError(
                f"{where}: {handler.name} must take the error as an input "
                f"{ERROR_INPUT}: Optional[FlyteError]"
            )
        inputs: dict[str, TracedBinding] = {}
        for name, py_type in declared.inputs.items():
            if name == ERROR_INPUT:
                if name not in declared.defaults:  # a stand-in, replaced when it runs
                    placeholder = FlyteError(message="", failed_node_id="")
                    inputs[name] = traced_binding(placeholder, py_type, where)
            elif name in self.python_interface.inputs:
                literal_type = self.interface.inputs[name].type
                inputs[name] = OutputRef(node=START_NODE, output=name, type=literal_type)
            elif name not in declared.defaults:
                raise DecoratorError(
                    f"{where}: {handler.name} takes {name!r}, which is not an input of the "
                    "workflow and has no default"
                )
        return TracedNode(
            id="on-failure",
            name=handler.name,
            target=handler.node_target(),
            inputs=inputs,
            location=self.location,
        )

    def __repr__(self) -> str:
        return f"<workflow {self.name}>"


@overload
def workflow(_workflow_function: Callable[..., Any], **settings: Any) -> PythonFunctionWorkflow: ...


@overload
def workflow(
    _workflow_function: None = None, **settings: Any
) -> Callable[[Callable[..., Any]], PythonFunctionWorkflow]: ...


def workflow(
    _workflow_function: Callable[..., Any] | None = None,
    *,
    failure_policy: WorkflowFailurePolicy | None = None,
    interruptible: bool = False,
    on_failure: Any = None,
    docs: Any = None,
    pickle_untyped: bool = False,
    default_options: Any = None,
    **unknown: Any,
) -> PythonFunctionWorkflow | Callable[[Callable[..., Any]], PythonFunctionWorkflow]:
    """Make a function a workflow: ``@workflow`` or ``@workflow(failure_policy=...)``.

    The body is traced and compiled right away; a type mismatch, a missing input or an
    unbound output is a ``CompileError`` naming the file and line.
    """
    reject_unknown("@workflow", unknown, _WORKFLOW_ARGUMENTS)

    def wrap(fn: Callable[..., Any]) -> PythonFunctionWorkflow:
        instance = PythonFunctionWorkflow(
            fn,
            failure_policy=failure_policy,
            interruptible=interruptible,
            docs=docs,
            on_failure=on_failure,
        )
        instance.__doc__ = fn.__doc__
        instance.__wrapped__ = fn  # type: ignore[attr-defined]
        return instance

    return wrap(_workflow_function) if _workflow_function is not None else wrap


def _is_error_type(py_type: Any) -> bool:
    """Whether ``py_type`` is ``FlyteError`` or ``Optional[FlyteError]``."""
    if py_type is FlyteError:
        return True
    args = set(typing.get_args(py_type))
    return FlyteError in args and args <= {FlyteError, type(None)}
