"""An execution's closure indexed for stepping: tasks, workflows and their plans by id."""

from __future__ import annotations

from dataclasses import dataclass, field

from aloft.engine.plan import WorkflowPlan
from aloft.ir import Identifier, TaskTemplate, WorkflowClosure, WorkflowTemplate


@dataclass
class Compiled:
    """The closure of one execution, with the plan of each workflow built once."""

    closure: WorkflowClosure
    tasks: dict[Identifier, TaskTemplate]
    workflows: dict[Identifier, WorkflowTemplate]
    _plans: dict[Identifier, WorkflowPlan] = field(default_factory=dict)

    @classmethod
    def of(cls, closure: WorkflowClosure) -> Compiled:
        """Index ``closure``."""
        return cls(
            closure=closure,
            tasks={task.id: task for task in closure.tasks},
            workflows={workflow.id: workflow for workflow in closure.subworkflows},
        )

    def add(self, closure: WorkflowClosure) -> None:
        """Know the workflow a dynamic node built, and everything it calls, too."""
        for workflow in (closure.workflow, *closure.subworkflows):
            self.workflows.setdefault(workflow.id, workflow)
        for task in closure.tasks:
            self.tasks.setdefault(task.id, task)

    def plan(self, template: WorkflowTemplate) -> WorkflowPlan:
        """The plan of ``template`` (built on first use)."""
        plan = self._plans.get(template.id)
        if plan is None:
            plan = self._plans[template.id] = WorkflowPlan.of(template)
        return plan
