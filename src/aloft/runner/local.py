"""Local execution: compile, store in memory, run on the inline executor, return values.

This is what calling a task or workflow as a function does, and what ``aloft run`` does. It
goes through the same engine and IR as the server (DESIGN.md, principle 1).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from aloft.engine import Engine, ExecutionState, InMemoryStore
from aloft.errors import ExecutionFailedError, InputError, TypeTransformerError
from aloft.executors.inline import InlineExecutor, resolve_by_reference
from aloft.ir import (
    ExecutionId,
    ExecutionPhase,
    ExecutionSpec,
    Literal,
    TaskTemplate,
    describe,
)
from aloft.runtime import RunnableTask
from aloft.sdk import Entity
from aloft.sdk.arguments import suggest
from aloft.storage import load_offloaded
from aloft.types import to_literal, to_python


@dataclass
class LocalExecution:
    """A finished local execution of ``entity``."""

    entity: Entity
    state: ExecutionState

    @property
    def succeeded(self) -> bool:
        """Whether the execution succeeded."""
        return self.state.phase is ExecutionPhase.SUCCEEDED

    def error_message(self) -> str:
        """One line saying which task failed, how often it was tried, and why."""
        error = self.state.error
        if error is None:
            return f"execution {self.state.spec.id} ended {self.state.phase.value}"
        where = f"task {error.task} (node {error.node})" if error.task else f"node {error.node}"
        attempts = self.state.node(error.node).attempt + 1 if error.node else 1
        tries = f" after {attempts} attempts" if attempts > 1 else ""
        return f"{where} failed{tries}: {error.message}"

    def output_literals(self) -> dict[str, Literal]:
        """The outputs as literals; raises ``ExecutionFailedError`` if it failed."""
        if not self.succeeded:
            raise ExecutionFailedError(self.error_message())
        return self.state.outputs or {}

    def output_values(self) -> dict[str, Any]:
        """The outputs as Python values, by name."""
        literals = self.output_literals()
        types = self.entity.python_interface.outputs
        return {name: to_python(literals[name], py_type) for name, py_type in types.items()}

    def outputs(self) -> Any:
        """The outputs as Python values, shaped as the entity declares them."""
        return self.entity.shape_outputs(list(self.output_values().values()))


def input_literals(entity: Entity, values: dict[str, Any]) -> dict[str, Literal]:
    """Python input values to literals, filling defaults; bad or missing ones are
    ``InputError`` naming the input."""
    declared = entity.interface.inputs
    types = entity.python_interface.inputs
    for name in values:
        if name not in declared:
            raise InputError(
                f"{entity.name} has no input {name!r}{suggest(name, declared)}; "
                f"its inputs are {', '.join(declared) or 'none'}"
            )
    literals = {}
    for name, variable in declared.items():
        if name in values:
            try:
                literals[name] = to_literal(values[name], types[name])
            except TypeTransformerError as exc:
                raise InputError(f"input {name!r} of {entity.name}: {exc}") from None
        elif variable.default is not None:
            literals[name] = variable.default
        else:
            raise InputError(f"{entity.name}: missing input {name!r} ({describe(variable.type)})")
    return literals


def execute(entity: Entity, values: dict[str, Any]) -> LocalExecution:
    """Run ``entity`` on ``values`` to completion in this process."""
    spec = ExecutionSpec(
        id=ExecutionId(name=f"local-{uuid.uuid4().hex[:12]}"),
        closure=entity.closure,
        inputs=input_literals(entity, values),
    )
    store = InMemoryStore()
    store.create(spec)
    tasks: dict[Any, RunnableTask] = entity.task_objects()

    def resolve(template: TaskTemplate) -> RunnableTask:
        known = tasks.get(template.id)
        return known if known is not None else resolve_by_reference(template)

    with InlineExecutor(resolve) as executor:
        state = Engine(store, executor, load_offloaded=load_offloaded).run(spec.id)
    return LocalExecution(entity, state)


def run_locally(entity: Entity, values: dict[str, Any]) -> Any:
    """Call ``entity`` as a function: its outputs as Python values, or
    ``ExecutionFailedError``."""
    return execute(entity, values).outputs()
