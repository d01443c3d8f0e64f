"""An execution's closure indexed for stepping: tasks, workflows and their plans by id."""

from __future__ import annotations

from dataclasses import dataclass, field

from aloft.engine.plan import WorkflowPlan
from aloft.ir import (
    ArrayTarget,
    BranchTarget,
    Identifier,
    LaunchPlanSpec,
    LaunchPlanTarget,
    NodeTarget,
    TaskTarget,
    TaskTemplate,
    WorkflowClosure,
    WorkflowTarget,
    WorkflowTemplate,
)


@dataclass
class Compiled:
    """The closure of one execution, with the plan of each workflow built once."""

    closure: WorkflowClosure
    tasks: dict[Identifier, TaskTemplate]
    workflows: dict[Identifier, WorkflowTemplate]
    launch_plans: dict[Identifier, LaunchPlanSpec]
    _plans: dict[Identifier, WorkflowPlan] = field(default_factory=dict)

    @classmethod
    def of(cls, closure: WorkflowClosure) -> Compiled:
        """Index ``closure``."""
        return cls(
            closure=closure,
            tasks={task.id: task for task in closure.tasks},
            workflows={w.id: w for w in (closure.workflow, *closure.subworkflows)},
            launch_plans={plan.id: plan for plan in closure.launch_plans},
        )

    def add(self, closure: WorkflowClosure) -> None:
        """Know the workflow a dynamic node built, and everything it calls, too."""
        for workflow in (closure.workflow, *closure.subworkflows):
            self.workflows.setdefault(workflow.id, workflow)
        for task in closure.tasks:
            self.tasks.setdefault(task.id, task)
        for plan in closure.launch_plans:
            self.launch_plans.setdefault(plan.id, plan)

    def closure_of(self, workflow: Identifier) -> WorkflowClosure:
        """The closure of ``workflow``: it and what it refers to, transitively."""
        tasks: dict[Identifier, TaskTemplate] = {}
        workflows: dict[Identifier, WorkflowTemplate] = {}
        plans: dict[Identifier, LaunchPlanSpec] = {}
        todo = [workflow]
        while todo:
            template = self.workflows[todo.pop()]
            for node in template.nodes:
                target = node.target
                if isinstance(target, TaskTarget | ArrayTarget):
                    tasks[target.task] = self.tasks[target.task]
                called = _called_workflows(target, self.launch_plans)
                if isinstance(target, LaunchPlanTarget):
                    plans[target.launch_plan] = self.launch_plans[target.launch_plan]
                for sub in called:
                    if sub not in workflows:
                        workflows[sub] = self.workflows[sub]
                        todo.append(sub)
        workflows.pop(workflow, None)
        return WorkflowClosure(
            workflow=self.workflows[workflow],
            subworkflows=tuple(workflows.values()),
            tasks=tuple(tasks.values()),
            launch_plans=tuple(plans.values()),
        )

    def plan(self, template: WorkflowTemplate) -> WorkflowPlan:
        """The plan of ``template`` (built on first use)."""
        plan = self._plans.get(template.id)
        if plan is None:
            plan = self._plans[template.id] = WorkflowPlan.of(template)
        return plan


def _called_workflows(
    target: NodeTarget, launch_plans: dict[Identifier, LaunchPlanSpec]
) -> list[Identifier]:
    if isinstance(target, WorkflowTarget):
        return [target.workflow]
    if isinstance(target, BranchTarget):
        return [case.workflow for case in target.cases if case.workflow is not None]
    if isinstance(target, LaunchPlanTarget):
        return [launch_plans[target.launch_plan].workflow]
    return []
