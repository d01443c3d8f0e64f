"""What tasks and workflows share: a typed interface and one way to be called.

Inside a workflow body a call adds a node to the traced graph and returns promises; anywhere
else it runs the entity locally through the same compiler and engine the server uses, and
returns Python values (flytekit's local execution).
"""

from __future__ import annotations

import collections
import functools
import typing
from abc import ABC, abstractmethod
from typing import Any

from aloft.compiler import (
    Constant,
    NodeRunnable,
    TracedBinding,
    TracedNode,
    compile_task_as_workflow,
)
from aloft.errors import CompileError, InputError, TypeTransformerError
from aloft.ir import Identifier, LaunchPlanSpec, TaskTemplate, TypedInterface, WorkflowClosure
from aloft.sdk.arguments import suggest
from aloft.sdk.eager_controller import active_controller
from aloft.sdk.interface import Interface
from aloft.sdk.location import caller_location
from aloft.sdk.promise import NodeHandle, Promise
from aloft.sdk.tracing import GraphBuilder, active_builder
from aloft.types import to_literal
from aloft.types.hash_method import declaring


class Entity(ABC):
    """A task or a workflow: something with a typed interface that can be called."""

    name: str
    python_interface: Interface
    interface: TypedInterface

    @property
    @abstractmethod
    def closure(self) -> WorkflowClosure:
        """The compiled IR that running this entity executes."""

    @abstractmethod
    def node_target(self) -> NodeRunnable:
        """What a node calling this entity runs."""

    @abstractmethod
    def task_objects(self) -> dict[Identifier, Any]:
        """The Python task objects this entity runs, by task id (for local execution)."""

    @property
    def module_name(self) -> str:
        """The module that defines this entity."""
        return self.name.rsplit(".", 1)[0]

    def launch_settings(self) -> LaunchPlanSpec | None:
        """How an execution of this entity is launched (a launch plan's), if not plainly."""
        return None

    @property
    def short_name(self) -> str:
        """The function's own name, without its module."""
        return self.name.rsplit(".", 1)[-1]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            kwargs = self._with_positional(args, kwargs)
        builder = active_builder()
        if builder is not None:
            return _trace_call(builder, self, kwargs)
        controller = active_controller()
        if controller is not None:  # inside an @eager body: a recorded child call
            return controller.call(self, kwargs)
        # The one allowed back-edge of the layers: the local runner sits above the SDK
        # (DESIGN.md, "Calling a workflow as a function").
        from aloft.runner import run_locally

        return run_locally(self, kwargs)

    def _with_positional(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """Positional arguments bound to the declared inputs in order, as flytekit does; a
        mismatch names the user's line that made the call."""
        names = list(self.python_interface.inputs)
        if len(args) > len(names):
            raise InputError(
                f"{caller_location()}: {self.name} takes {len(names)} inputs "
                f"({', '.join(names) or 'none'}) but was given {len(args)} positional arguments"
            )
        bound = dict(zip(names, args, strict=False))
        for name in bound:
            if name in kwargs:
                raise InputError(
                    f"{caller_location()}: {self.name} got input {name!r} both by position "
                    "and by name"
                )
        return {**bound, **kwargs}

    def shape_outputs(self, values: list[Any], void: Any = None) -> Any:
        """Arrange output values as flytekit does: one value alone, several as a NamedTuple
        (the declared one, else ``DefaultNamedTupleOutput`` with fields ``o0``, ``o1``, ...);
        ``void`` when there are no outputs."""
        named = self.python_interface.output_tuple
        if named is None and len(values) > 1:
            named = _default_output_tuple(tuple(self.python_interface.outputs))
        if named is not None:
            return named(*values)
        return values[0] if values else void


@functools.cache
def _default_output_tuple(names: tuple[str, ...]) -> type:
    return collections.namedtuple("DefaultNamedTupleOutput", names)


def _trace_call(builder: GraphBuilder, entity: Entity, kwargs: dict[str, Any]) -> Any:
    node_id = builder.next_id()
    location = caller_location()
    what = f"{location}: node {node_id} ({entity.name})"
    declared = entity.python_interface.inputs
    inputs: dict[str, TracedBinding] = {}
    for name, value in kwargs.items():
        if name not in declared:
            raise CompileError(
                f"{what}: unknown input {name!r}{suggest(name, declared)}; "
                f"it takes {', '.join(declared) or 'no inputs'}"
            )
        inputs[name] = traced_binding(value, declared[name], f"{what}, input {name!r}")
    node = TracedNode(
        id=node_id,
        name=entity.name,
        target=entity.node_target(),
        inputs=inputs,
        location=location,
    )
    builder.add(node)
    builder.tasks.update(entity.task_objects())
    handle = NodeHandle(node)
    promises = {
        name: Promise(node_id, name, py_type, handle)
        for name, py_type in entity.python_interface.outputs.items()
    }
    handle._outputs = promises
    return entity.shape_outputs(list(promises.values()), void=handle)


def traced_binding(value: Any, py_type: Any, where: str) -> TracedBinding:
    """What the compiler sees for ``value`` passed where ``py_type`` is expected."""
    if isinstance(value, Promise):
        return value.ref
    if isinstance(value, NodeHandle):
        raise CompileError(f"{where}: {value!r} has no outputs to pass")
    if isinstance(value, list) and _holds_promise(value):
        element = _argument(py_type, list, 0, where)
        return [traced_binding(item, element, f"{where}, item {i}") for i, item in enumerate(value)]
    if isinstance(value, dict) and _holds_promise(value):
        element = _argument(py_type, dict, 1, where)
        return {  # an int key is held as its text, as dict[int, T] literals hold it
            str(key): traced_binding(item, element, f"{where}, key {key!r}")
            for key, item in value.items()
        }
    try:
        with declaring():
            return Constant(to_literal(value, py_type))
    except TypeTransformerError as exc:
        raise CompileError(f"{where}: {exc}") from None


def _holds_promise(value: Any) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return any(
        isinstance(item, Promise) or (isinstance(item, list | dict) and _holds_promise(item))
        for item in items
    )


def _argument(py_type: Any, origin: type, index: int, where: str) -> Any:
    """The element type of ``list[T]`` (index 0) or value type of ``dict[str, T]`` (index 1),
    looking through ``Optional``."""
    candidates = [py_type, *typing.get_args(py_type)]
    for candidate in candidates:
        if typing.get_origin(candidate) is origin:
            return typing.get_args(candidate)[index]
    raise CompileError(f"{where}: expected {py_type}, found a {origin.__name__}")


class TaskEntity(Entity):
    """An entity that is one task (``template``): alone it runs as a workflow of that one
    task, and a node calling it runs the task."""

    _closure: WorkflowClosure | None = None

    @property
    @abstractmethod
    def template(self) -> TaskTemplate:
        """The compiled task."""

    @property
    def closure(self) -> WorkflowClosure:
        if self._closure is None:
            self._closure = compile_task_as_workflow(self.template)
        return self._closure

    def node_target(self) -> TaskTemplate:
        return self.template

    def task_objects(self) -> dict[Identifier, Any]:
        return {self.template.id: self}
