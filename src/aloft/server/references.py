"""Resolving reference entities: a closure that calls registered tasks, workflows or launch
plans by reference gets their registered IR before it runs."""

from __future__ import annotations

import msgspec

from aloft.errors import InputError
from aloft.ir import (
    Identifier,
    LaunchPlanSpec,
    ResourceType,
    TaskTemplate,
    WorkflowClosure,
    from_json,
)
from aloft.storage.registry import EntityNotFound, RegisteredEntity, Registry


def resolve_references(
    closure: WorkflowClosure, registry: Registry, resolved: frozenset[Identifier] = frozenset()
) -> WorkflowClosure:
    """``closure`` with every reference replaced by what is registered under its id, and
    the tasks, subworkflows and launch plans those bring along; ``InputError`` names a
    reference nobody registered, one whose interface differs from the registered one, or
    one that leads back to itself (``resolved``: the references resolved on the way here)."""
    if not closure.references():
        return closure
    for id in closure.references():
        if id in resolved:
            raise InputError(f"the {id.describe_reference()} resolves to a reference to itself")
    tasks = {task.id: task for task in closure.tasks}
    workflows = {w.id: w for w in closure.subworkflows}
    plans = {plan.id: plan for plan in closure.launch_plans}
    brought: list[WorkflowClosure] = []
    for id in closure.references():
        registered = _registered(registry, id)
        if id.resource_type is ResourceType.TASK:
            task = from_json(registered.template, TaskTemplate)
            _same_interface(id, tasks[id].interface, task.interface)
            tasks[id] = task
        elif id.resource_type is ResourceType.WORKFLOW:
            workflow_closure = from_json(registered.closure, WorkflowClosure)
            _same_interface(id, workflows[id].interface, workflow_closure.workflow.interface)
            workflows[id] = workflow_closure.workflow
            brought.append(workflow_closure)
        else:
            plan = from_json(registered.template, LaunchPlanSpec)
            plan_closure = from_json(registered.closure, WorkflowClosure)
            reference_workflow = plans[id].workflow
            _same_interface(
                id, workflows[reference_workflow].interface, plan_closure.workflow.interface
            )
            del workflows[reference_workflow]
            plans[id] = plan
            workflows[plan.workflow] = plan_closure.workflow
            brought.append(plan_closure)
    for other in brought:
        for task in other.tasks:
            tasks.setdefault(task.id, task)
        for workflow in other.subworkflows:
            workflows.setdefault(workflow.id, workflow)
        for plan in other.launch_plans:
            plans.setdefault(plan.id, plan)
    replaced = msgspec.structs.replace(
        closure,
        tasks=tuple(tasks.values()),
        subworkflows=tuple(workflows.values()),
        launch_plans=tuple(plans.values()),
    )
    if replaced.references():  # a registered entity itself referring to others
        return resolve_references(replaced, registry, resolved | set(closure.references()))
    return replaced


def _registered(registry: Registry, id: Identifier) -> RegisteredEntity:
    try:
        return registry.get(id)
    except EntityNotFound:
        raise InputError(
            f"the {id.describe_reference()} is not registered on this server"
        ) from None


def _same_interface(id: Identifier, declared: object, registered: object) -> None:
    if declared != registered:
        raise InputError(
            f"the {id.describe_reference()} declares an interface that differs from the "
            "registered one"
        )
