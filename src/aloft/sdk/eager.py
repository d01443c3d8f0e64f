"""``@eager``: an ``async def`` workflow written as ordinary Python over real task results.

Each task, workflow or launch plan the body calls becomes a recorded child node of the
eager node (``aloft.sdk.eager_controller``), so a body re-run after a crash gets recorded
outputs back instead of running a child again; a child's failure is an ``EagerException``
the body may catch. The body runs in a worker, like any task; the engine never runs it.

Called outside a workflow, an eager workflow gives a coroutine, as flytekit's does:
``asyncio.run(eager_wf(x=5))`` runs it to the end through the local engine.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, overload

from msgspec import structs

from aloft.compiler import Constant, TracedGraph, TracedNode, compile_workflow
from aloft.errors import DecoratorError
from aloft.ir import (
    EAGER_TASK_TYPE,
    CallOutcome,
    FailurePolicy,
    Identifier,
    ResourceType,
    TypedInterface,
    WorkflowClosure,
)
from aloft.sdk.eager_controller import run_body
from aloft.sdk.entity import Entity
from aloft.sdk.location import function_location
from aloft.sdk.task import PythonFunctionTask, task_decorator
from aloft.sdk.tracing import active_builder


class EagerWorkflowTask(PythonFunctionTask):
    """An eager workflow. Create it with ``@eager``."""

    def __init__(self, task_function: Callable[..., Any], **settings: Any) -> None:
        if not inspect.iscoroutinefunction(task_function):
            raise DecoratorError(
                f"{function_location(task_function)}: @eager needs an 'async def' function, "
                f"and {getattr(task_function, '__qualname__', task_function)!r} is not one"
            )
        super().__init__(task_function, **settings)
        self._template = structs.replace(self._template, type=EAGER_TASK_TYPE)

    def run_round(
        self, journal: Mapping[str, CallOutcome], workflow_name: str, **kwargs: Any
    ) -> tuple[Any, WorkflowClosure | None]:
        """Run the body once on ``kwargs`` with the calls recorded in ``journal``: what it
        returned and None, or None and the workflow ``workflow_name`` of the calls it waits
        for (one node per call, named by its id, that nothing else depends on)."""
        end = run_body(self.task_function, kwargs, journal)
        if end.finished:
            return end.value, None
        location = function_location(self.task_function)
        graph = TracedGraph(
            id=Identifier(resource_type=ResourceType.WORKFLOW, name=workflow_name),
            interface=TypedInterface(),
            nodes=[
                TracedNode(
                    id=call.id,
                    name=call.entity.name,
                    target=call.entity.node_target(),
                    inputs={name: Constant(value) for name, value in call.inputs.items()},
                    location=location,
                )
                for call in end.pending
            ],
            outputs={},
            location=location,
            failure_policy=FailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE,
        )
        return None, compile_workflow(graph)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if active_builder() is not None:  # unlike an async task, a workflow may call it
            return Entity.__call__(self, *args, **kwargs)
        return super().__call__(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<eager {self.name}>"


@overload
def eager(_task_function: Callable[..., Any], **settings: Any) -> EagerWorkflowTask: ...


@overload
def eager(
    _task_function: None = None, **settings: Any
) -> Callable[[Callable[..., Any]], EagerWorkflowTask]: ...


def eager(
    _task_function: Callable[..., Any] | None = None, **settings: Any
) -> EagerWorkflowTask | Callable[[Callable[..., Any]], EagerWorkflowTask]:
    """Make an ``async def`` function an eager workflow: ``@eager`` or ``@eager(retries=2)``.

    Takes the arguments ``@task`` takes; they apply to each run of the body.
    """
    return task_decorator(EagerWorkflowTask, "@eager", _task_function, settings)
