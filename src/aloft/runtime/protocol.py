"""What the runtime needs of a task object: its Python interface and a way to call it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from aloft.ir import CallOutcome, WorkflowClosure


class PythonInterface(Protocol):
    """Python types of a task's inputs and outputs, in declaration order."""

    @property
    def inputs(self) -> Mapping[str, Any]: ...

    @property
    def outputs(self) -> Mapping[str, Any]: ...


class RunnableTask(Protocol):
    """A task as the SDK defines it, seen from the worker."""

    @property
    def name(self) -> str: ...

    @property
    def python_interface(self) -> PythonInterface: ...

    def execute(self, **kwargs: Any) -> Any:
        """Run the user's function on decoded inputs."""
        ...


class DynamicTask(RunnableTask, Protocol):
    """A ``@dynamic`` task: its body, run on actual values, builds a workflow."""

    def compile_dynamic(self, workflow_name: str, **kwargs: Any) -> WorkflowClosure:
        """Run the body on decoded inputs, tracing its calls, and compile them."""
        ...


class EagerTask(RunnableTask, Protocol):
    """An ``@eager`` workflow: its body runs in rounds over the calls recorded so far."""

    def run_round(
        self, journal: Mapping[str, CallOutcome], workflow_name: str, **kwargs: Any
    ) -> tuple[Any, WorkflowClosure | None]:
        """Run the body once: what it returned, or the workflow of the calls it waits for."""
        ...
