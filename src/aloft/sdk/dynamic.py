"""``@dynamic``: a task whose body builds a workflow from its inputs' actual values.

As in flytekit, the body runs when the node runs, in a worker, on real input values: calls
it makes to tasks, workflows, map tasks and other dynamics are traced (they return promises)
and compiled into a workflow, which the worker returns in place of outputs. The engine stores
that workflow with the node and runs it as the node's children; it never runs the body
itself, and a restart does not build the workflow again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, overload

from msgspec import structs

from aloft.ir import DYNAMIC_TASK_TYPE, Identifier, ResourceType, TypedInterface, WorkflowClosure
from aloft.sdk.location import function_location
from aloft.sdk.task import PythonFunctionTask, task_decorator
from aloft.sdk.trace_body import trace_body


class DynamicWorkflowTask(PythonFunctionTask):
    """A task whose body builds the workflow it runs. Create it with ``@dynamic``."""

    def __init__(self, task_function: Callable[..., Any], **settings: Any) -> None:
        super().__init__(task_function, **settings)
        self._template = structs.replace(self._template, type=DYNAMIC_TASK_TYPE)

    def compile_dynamic(self, workflow_name: str, **kwargs: Any) -> WorkflowClosure:
        """Run the body on ``kwargs`` (Python values), tracing its calls, and compile them
        into the workflow ``workflow_name``."""
        closure, _ = trace_body(
            self.task_function,
            kwargs,
            Identifier(resource_type=ResourceType.WORKFLOW, name=workflow_name),
            self.python_interface,
            TypedInterface(outputs=self.interface.outputs),
            function_location(self.task_function),
            f"dynamic {self.name}",
        )
        return closure

    def execute(self, **kwargs: Any) -> Any:
        """Run the body as plain Python (what calling it inside another task does)."""
        return self.task_function(**kwargs)

    def __repr__(self) -> str:
        return f"<dynamic {self.name}>"


@overload
def dynamic(_task_function: Callable[..., Any], **settings: Any) -> DynamicWorkflowTask: ...


@overload
def dynamic(
    _task_function: None = None, **settings: Any
) -> Callable[[Callable[..., Any]], DynamicWorkflowTask]: ...


def dynamic(
    _task_function: Callable[..., Any] | None = None, **settings: Any
) -> DynamicWorkflowTask | Callable[[Callable[..., Any]], DynamicWorkflowTask]:
    """Make a function a dynamic workflow: ``@dynamic`` or ``@dynamic(retries=2)``.

    Takes the arguments ``@task`` takes; they apply to the attempt that builds the workflow.
    """
    return task_decorator(DynamicWorkflowTask, "@dynamic", _task_function, settings)
