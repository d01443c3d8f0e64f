"""Reference entities: a task, workflow or launch plan registered elsewhere, known here by
its id and its declared interface.

    @reference_task(project="p", domain="development", name="etl.clean", version="v3")
    def clean(path: str) -> int: ...

A reference compiles into workflows like the entity it stands for (its inputs and outputs
are checked against the declared interface); it runs only where the registered entity is
known, on an aloft server. Running one locally says so instead of running anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aloft.compiler import LaunchPlanCall, NodeRunnable
from aloft.errors import DecoratorError
from aloft.ir import (
    REFERENCE_TASK_TYPE,
    CodeReference,
    Identifier,
    LaunchPlanSpec,
    ResourceType,
    TaskTemplate,
    WorkflowClosure,
    WorkflowTemplate,
)
from aloft.sdk.entity import Entity
from aloft.sdk.interface import interface_of, typed_interface
from aloft.sdk.location import function_location, module_of


class ReferenceEntity(Entity):
    """A registered entity known by ``id`` and the interface of the function decorated."""

    def __init__(
        self, resource_type: ResourceType, function: Callable[..., Any], **id_: str
    ) -> None:
        where = function_location(function)
        kind = resource_type.value.replace("_", " ")
        for field in ("project", "domain", "name", "version"):
            value = id_.get(field)
            if value is not None and not isinstance(value, str):
                raise DecoratorError(
                    f"{where}: reference {kind}: {field} must be a string, not {value!r}"
                )
            if not value:
                raise DecoratorError(f"{where}: reference {kind} needs a non-empty {field}")
        self.id = Identifier(resource_type=resource_type, **id_)
        self.name = id_["name"]
        self._module = module_of(function)
        what = f"{where}: reference {kind} {self.name}"
        self.python_interface = interface_of(function, what)
        self.interface = typed_interface(self.python_interface, what)
        workflow = WorkflowTemplate(
            id=Identifier(resource_type=ResourceType.WORKFLOW, **id_),
            interface=self.interface,
            nodes=(),
            reference=True,
        )
        self._workflow = WorkflowClosure(workflow=workflow)

    @property
    def module_name(self) -> str:
        return self._module

    @property
    def closure(self) -> WorkflowClosure:
        return self._workflow

    def task_objects(self) -> dict[Identifier, Any]:
        return {}

    def __repr__(self) -> str:
        return f"<reference {self.id}>"


class ReferenceTask(ReferenceEntity):
    """A registered task (``reference_task``)."""

    def __init__(self, function: Callable[..., Any], **id_: str) -> None:
        super().__init__(ResourceType.TASK, function, **id_)
        self.template = TaskTemplate(
            id=self.id,
            interface=self.interface,
            code=CodeReference(module="", qualname=""),
            type=REFERENCE_TASK_TYPE,
        )

    def node_target(self) -> NodeRunnable:
        return self.template


class ReferenceWorkflow(ReferenceEntity):
    """A registered workflow (``reference_workflow``)."""

    def __init__(self, function: Callable[..., Any], **id_: str) -> None:
        super().__init__(ResourceType.WORKFLOW, function, **id_)

    def node_target(self) -> NodeRunnable:
        return self._workflow


class ReferenceLaunchPlan(ReferenceEntity):
    """A registered launch plan (``reference_launch_plan``); its workflow is a reference
    too."""

    def __init__(self, function: Callable[..., Any], **id_: str) -> None:
        super().__init__(ResourceType.LAUNCH_PLAN, function, **id_)
        self.spec = LaunchPlanSpec(id=self.id, workflow=self._workflow.workflow.id)

    def node_target(self) -> NodeRunnable:
        closure = WorkflowClosure(workflow=self._workflow.workflow, launch_plans=(self.spec,))
        return LaunchPlanCall(spec=self.spec, interface=self.interface, closure=closure)


def _decorator(
    make: Callable[..., ReferenceEntity],
    project: str | None,
    domain: str | None,
    name: str | None,
    version: str | None,
) -> Callable[[Callable[..., Any]], Any]:
    def wrap(function: Callable[..., Any]) -> Any:
        return make(function, project=project, domain=domain, name=name, version=version)

    return wrap


def reference_task(
    project: str | None = None,
    domain: str | None = None,
    name: str | None = None,
    version: str | None = None,
) -> Callable[[Callable[..., Any]], ReferenceTask]:
    """Declare a registered task by its id; the function gives its interface."""
    return _decorator(ReferenceTask, project, domain, name, version)


def reference_workflow(
    project: str | None = None,
    domain: str | None = None,
    name: str | None = None,
    version: str | None = None,
) -> Callable[[Callable[..., Any]], ReferenceWorkflow]:
    """Declare a registered workflow by its id; the function gives its interface."""
    return _decorator(ReferenceWorkflow, project, domain, name, version)


def reference_launch_plan(
    project: str | None = None,
    domain: str | None = None,
    name: str | None = None,
    version: str | None = None,
) -> Callable[[Callable[..., Any]], ReferenceLaunchPlan]:
    """Declare a registered launch plan by its id; the function gives its interface."""
    return _decorator(ReferenceLaunchPlan, project, domain, name, version)
