"""``map_task``: run a task once per item of its list inputs, as one array node.

As in flytekit, ``map_task(t)`` takes each input of ``t`` as a list (one element per item)
and returns each output as a list; inputs fixed with ``functools.partial`` or named in
``bound_inputs`` are given to every item as they are. Unlike flytekit's local run, which is
a plain loop, every item is a real task run wherever the map runs: its own input conversion,
attempts, retries, timeout and outcome.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Optional

from aloft.compiler import MappedTask, compile_task_as_workflow
from aloft.errors import DecoratorError
from aloft.ir import DYNAMIC_TASK_TYPE, ArrayTarget, Identifier, WorkflowClosure
from aloft.sdk.arguments import suggest
from aloft.sdk.entity import Entity
from aloft.sdk.interface import Interface, typed_interface
from aloft.sdk.location import caller_location
from aloft.sdk.task import PythonFunctionTask


class ArrayNodeMapTask(Entity):
    """A task mapped over list inputs. Create it with ``map_task``."""

    def __init__(
        self,
        target: PythonFunctionTask | functools.partial[Any],
        concurrency: int | None = None,
        min_successes: int | None = None,
        min_success_ratio: float | None = None,
        bound_inputs: set[str] | None = None,
    ) -> None:
        where = caller_location()
        task, fixed = _unwrap(target, where)
        what = f"{where}: map_task({task.name})"
        self.task = task
        self.fixed = fixed
        bound = _bound(task, fixed, bound_inputs, what)
        mapped = tuple(name for name in task.python_interface.inputs if name not in bound)
        if not mapped:
            raise DecoratorError(f"{what}: every input is bound, so there is nothing to map over")
        self.array = ArrayTarget(
            task=task.template.id,
            mapped=mapped,
            concurrency=_positive(concurrency, "concurrency", what),
            min_successes=_count(min_successes, what),
            min_success_ratio=_ratio(min_success_ratio, what),
        )
        self.name = f"{task.name.rpartition('.')[0]}.map_{task.short_name}".lstrip(".")
        self.python_interface = _list_interface(task.python_interface, bound, self.array)
        self.interface = typed_interface(self.python_interface, what)
        self._closure: WorkflowClosure | None = None

    @property
    def concurrency(self) -> int | None:
        """How many items run at once at most (all, if None)."""
        return self.array.concurrency

    @property
    def min_success_ratio(self) -> float | None:
        """The share of items that must succeed for the map to succeed (all, if None)."""
        return self.array.min_success_ratio

    @property
    def min_successes(self) -> int | None:
        """How many items must succeed for the map to succeed, if set."""
        return self.array.min_successes

    @property
    def bound_inputs(self) -> set[str]:
        """The inputs every item gets as they are, rather than one element of a list."""
        return set(self.task.python_interface.inputs) - set(self.array.mapped)

    @property
    def python_function_task(self) -> PythonFunctionTask:
        """The task each item runs."""
        return self.task

    def _runnable(self) -> MappedTask:
        return MappedTask(task=self.task.template, interface=self.interface, target=self.array)

    @property
    def closure(self) -> WorkflowClosure:
        if self._closure is None:
            self._closure = compile_task_as_workflow(self._runnable())
        return self._closure

    def node_target(self) -> MappedTask:
        return self._runnable()

    def task_objects(self) -> dict[Identifier, Any]:
        return self.task.task_objects()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            kwargs = self._with_positional(args, kwargs)
        return super().__call__(**{**self.fixed, **kwargs})

    def __repr__(self) -> str:
        return f"<map_task {self.task.name}>"


def map_task(
    target: PythonFunctionTask | functools.partial[Any],
    concurrency: int | None = None,
    min_successes: int | None = None,
    min_success_ratio: float | None = None,
    **kwargs: Any,
) -> ArrayNodeMapTask:
    """Map ``target`` over list inputs: each input becomes a list, one element per item, and
    each output a list of the items' values.

    Args:
        target: A ``@task``, or a ``functools.partial`` of one fixing some inputs for every
            item (their values may not be lists, as in flytekit).
        concurrency: How many items run at once at most; all, if unset.
        min_successes: How many items must succeed for the map to succeed.
        min_success_ratio: The share of items (0 to 1) that must succeed; all, if unset.
            Below 1 (or with ``min_successes``), items may fail: the outputs are lists of
            ``Optional`` values, ``None`` for each item that failed.
        **kwargs: ``bound_inputs``: names of inputs every item gets as they are.

    Returns:
        The map task, to call in a workflow (or directly, to run it here).
    """
    bound_inputs = kwargs.pop("bound_inputs", None)
    if kwargs:
        name = next(iter(kwargs))
        known = ["concurrency", "min_successes", "min_success_ratio", "bound_inputs"]
        raise DecoratorError(
            f"{caller_location()}: map_task got an unknown argument {name!r}{suggest(name, known)}"
        )
    return ArrayNodeMapTask(target, concurrency, min_successes, min_success_ratio, bound_inputs)


def _unwrap(target: Any, where: object) -> tuple[PythonFunctionTask, dict[str, Any]]:
    fixed: dict[str, Any] = {}
    if isinstance(target, functools.partial):
        if target.args:
            raise DecoratorError(
                f"{where}: map_task: fix inputs of a partial by name (functools.partial(t, x=1))"
            )
        fixed = dict(target.keywords)
        target = target.func
    if (
        isinstance(target, ArrayNodeMapTask)
        or not isinstance(target, PythonFunctionTask)
        or target.template.type == DYNAMIC_TASK_TYPE
    ):
        raise DecoratorError(f"{where}: map_task maps a @task, not {target!r}")
    for name, value in fixed.items():
        if isinstance(value, list):
            raise DecoratorError(
                f"{where}: map_task({target.name}): input {name!r} is fixed to a list with "
                "functools.partial; a partial may not fix lists (as in flytekit)"
            )
    return target, fixed


def _bound(
    task: PythonFunctionTask, fixed: dict[str, Any], bound_inputs: Any, what: str
) -> set[str]:
    declared = task.python_interface.inputs
    if bound_inputs is not None and (
        isinstance(bound_inputs, str) or not all(isinstance(n, str) for n in bound_inputs)
    ):
        raise DecoratorError(f"{what}: bound_inputs must be a set of input names")
    bound = set(fixed) | set(bound_inputs or ())
    for name in sorted(bound):
        if name not in declared:
            raise DecoratorError(
                f"{what}: {task.name} has no input {name!r}{suggest(name, declared)}"
            )
    return bound


def _list_interface(interface: Interface, bound: set[str], array: ArrayTarget) -> Interface:
    """The map's interface: each mapped input and each output as a list."""
    inputs = {
        name: annotation if name in bound else list[annotation]  # type: ignore[valid-type]
        for name, annotation in interface.inputs.items()
    }
    defaults = {name: value for name, value in interface.defaults.items() if name in bound}
    outputs = {
        name: list[Optional[annotation]]  # type: ignore[valid-type]  # noqa: UP045
        if array.optional_outputs
        else list[annotation]  # type: ignore[valid-type]
        for name, annotation in interface.outputs.items()
    }
    return Interface(inputs=inputs, defaults=defaults, outputs=outputs)


def _positive(value: Any, name: str, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DecoratorError(f"{what}: {name} must be a positive integer, got {value!r}")
    return value


def _count(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DecoratorError(
            f"{what}: min_successes must be an integer of 0 or more, got {value!r}"
        )
    return value


def _ratio(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise DecoratorError(
            f"{what}: min_success_ratio must be a number from 0 to 1, got {value!r}"
        )
    if not 0 <= value <= 1:
        raise DecoratorError(f"{what}: min_success_ratio must be from 0 to 1, got {value!r}")
    return float(value)
