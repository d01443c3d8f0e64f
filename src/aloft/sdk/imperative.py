"""The imperative ``Workflow``: a workflow built call by call instead of from a function.

    wb = Workflow(name="my.pipeline")
    text = wb.add_workflow_input("text", str)
    node = wb.add_entity(shout, text=text)
    wb.add_workflow_output("loud", node.outputs["o0"])
    wb(text="hi")

It is compiled, with the checks ``@workflow`` makes, whenever it is used after a change.
"""

from __future__ import annotations

from typing import Any

from aloft.compiler import (
    OutputRef,
    TracedBinding,
    TracedGraph,
    binding_variant,
    compile_workflow,
)
from aloft.errors import DecoratorError
from aloft.ir import (
    START_NODE,
    FailurePolicy,
    Identifier,
    ResourceType,
    TypedInterface,
    Variable,
    WorkflowClosure,
    describe,
)
from aloft.sdk.entity import Entity, traced_binding
from aloft.sdk.interface import Interface
from aloft.sdk.location import caller_location, caller_module
from aloft.sdk.node import create_node
from aloft.sdk.promise import NodeHandle, Promise
from aloft.sdk.tracing import GraphBuilder, tracing
from aloft.sdk.workflow import WorkflowFailurePolicy
from aloft.types import literal_type_of


class Workflow(Entity):
    """A workflow assembled with ``add_workflow_input``, ``add_entity`` (``add_task``,
    ``add_subwf``, ``add_launch_plan``) and ``add_workflow_output``."""

    def __init__(
        self,
        name: str,
        failure_policy: WorkflowFailurePolicy | None = None,
        interruptible: bool = False,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise DecoratorError(f"{caller_location()}: Workflow needs a name, not {name!r}")
        self.name = name
        self.location = caller_location()
        self._module = caller_module()
        self.failure_policy = failure_policy or WorkflowFailurePolicy.FAIL_IMMEDIATELY
        self.interruptible = interruptible
        self.inputs: dict[str, Promise] = {}
        self._input_types: dict[str, Any] = {}
        self._outputs: dict[str, tuple[Any, Any]] = {}
        self._builder = GraphBuilder(name)
        self._closure: WorkflowClosure | None = None
        self._refresh()

    # -- building ---------------------------------------------------------------------------

    def add_workflow_input(self, input_name: str, python_type: Any) -> Promise:
        """Declare input ``input_name`` of ``python_type``; returns its promise."""
        where = f"{caller_location()}: workflow {self.name}"
        _check_name(input_name, self.inputs, f"{where}: input")
        try:
            literal_type_of(python_type)
        except Exception as exc:
            raise DecoratorError(f"{where}: input {input_name!r}: {exc}") from None
        self._input_types[input_name] = python_type
        self.inputs[input_name] = Promise(START_NODE, input_name, python_type)
        self._refresh()
        return self.inputs[input_name]

    def add_entity(self, entity: Entity, **kwargs: Any) -> NodeHandle:
        """Add a node calling ``entity`` (a task, workflow or launch plan) on ``kwargs``."""
        if not isinstance(entity, Entity):
            raise DecoratorError(
                f"{caller_location()}: workflow {self.name}: add_entity needs a task, "
                f"workflow or launch plan, not {entity!r}"
            )
        with tracing(self._builder):
            node = create_node(entity, **kwargs)
        self._refresh()
        return node

    add_task = add_entity
    add_subwf = add_entity
    add_launch_plan = add_entity

    def add_workflow_output(
        self, output_name: str, p: Promise | list[Any] | dict[str, Any], python_type: Any = None
    ) -> None:
        """Declare output ``output_name``, bound to ``p`` (of ``python_type``, or the
        promise's own type)."""
        where = f"{caller_location()}: workflow {self.name}"
        _check_name(output_name, self._outputs, f"{where}: output")
        if python_type is None:
            if not isinstance(p, Promise):
                raise DecoratorError(
                    f"{where}: output {output_name!r} needs python_type= when it is not one "
                    "node output"
                )
            python_type = p.python_type
        try:
            binding = traced_binding(p, python_type, f"{where}, output {output_name!r}")
            declared = literal_type_of(python_type)
        except Exception as exc:
            raise DecoratorError(str(exc)) from None
        if isinstance(binding, OutputRef) and binding_variant(binding.type, declared) is None:
            raise DecoratorError(
                f"{where}: output {output_name!r} is declared {describe(declared)} but "
                f"{p!r} is {describe(binding.type)}"
            )
        self._outputs[output_name] = (p, python_type)
        self._refresh()

    # -- as an entity -----------------------------------------------------------------------

    @property
    def module_name(self) -> str:
        return self._module

    @property
    def closure(self) -> WorkflowClosure:
        if self._closure is None:
            where = f"{self.location}: workflow {self.name}"
            outputs: dict[str, TracedBinding] = {
                name: traced_binding(value, py_type, f"{where}, output {name!r}")
                for name, (value, py_type) in self._outputs.items()
            }
            graph = TracedGraph(
                id=Identifier(resource_type=ResourceType.WORKFLOW, name=self.name),
                interface=self.interface,
                nodes=list(self._builder.nodes),
                outputs=outputs,
                location=self.location,
                failure_policy=FailurePolicy(self.failure_policy.value),
                interruptible=self.interruptible or None,
            )
            self._closure = compile_workflow(graph)
        return self._closure

    def node_target(self) -> WorkflowClosure:
        return self.closure

    def task_objects(self) -> dict[Identifier, Any]:
        return dict(self._builder.tasks)

    @property
    def nodes(self) -> tuple[Any, ...]:
        """The compiled nodes, in the order they were added."""
        return self.closure.workflow.nodes

    def _refresh(self) -> None:
        """The interface as declared so far; the closure is compiled again when next used."""
        outputs = {name: py_type for name, (_, py_type) in self._outputs.items()}
        self.python_interface = Interface(dict(self._input_types), {}, outputs)
        self.interface = TypedInterface(
            inputs={n: Variable(type=literal_type_of(t)) for n, t in self._input_types.items()},
            outputs={n: Variable(type=literal_type_of(t)) for n, t in outputs.items()},
        )
        self._closure = None

    def __repr__(self) -> str:
        return f"<workflow {self.name} (imperative)>"


def _check_name(name: Any, taken: dict[str, Any], what: str) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise DecoratorError(f"{what} name {name!r} is not a valid identifier")
    if name in taken:
        raise DecoratorError(f"{what} {name!r} is declared twice")
