"""Workflow templates: nodes, the bindings that feed them, and the closure that runs them."""

from __future__ import annotations

import datetime
from enum import StrEnum

import msgspec

from aloft.ir.base import IRModel
from aloft.ir.branch import BranchCase
from aloft.ir.identifiers import Identifier
from aloft.ir.interface import TypedInterface
from aloft.ir.launch_plan import LaunchPlanSpec
from aloft.ir.literals import Literal
from aloft.ir.task import REFERENCE_TASK_TYPE, CacheConfig, ResourceSpec, TaskTemplate
from aloft.ir.types import BOOLEAN_TYPE, LiteralType

START_NODE = "start-node"
"""The pseudo-node whose outputs are the workflow's inputs."""


class _BindingBase(IRModel, frozen=True, tag_field="kind"):
    pass


class PromiseBinding(_BindingBase, frozen=True, tag="promise"):
    """An output of an upstream node (or a workflow input, from ``START_NODE``).

    ``path`` selects into the value: attribute names of structs, keys of maps, indexes of
    lists. ``union_variant`` is set when the value is fed into a union-typed input and must be
    wrapped as that variant.
    """

    node: str
    output: str
    path: tuple[str | int, ...] = ()
    union_variant: str = ""


class LiteralBinding(_BindingBase, frozen=True, tag="literal"):
    """A constant."""

    value: Literal


class CollectionBinding(_BindingBase, frozen=True, tag="collection"):
    """A list built from other bindings."""

    items: tuple[BindingData, ...]


class MapBinding(_BindingBase, frozen=True, tag="map"):
    """A dict built from other bindings."""

    entries: dict[str, BindingData]


BindingData = PromiseBinding | LiteralBinding | CollectionBinding | MapBinding


class Binding(IRModel, frozen=True):
    """Feeds the input (or workflow output) ``var``."""

    var: str
    data: BindingData


class _TargetBase(IRModel, frozen=True, tag_field="kind"):
    pass


class TaskTarget(_TargetBase, frozen=True, tag="task"):
    """The node runs a task."""

    task: Identifier


class WorkflowTarget(_TargetBase, frozen=True, tag="workflow"):
    """The node runs a subworkflow, inline in the same execution."""

    workflow: Identifier


class ArrayTarget(_TargetBase, frozen=True, tag="array"):
    """The node runs a task once per item of its list inputs (a map task), as one node.

    The inputs named in ``mapped`` are lists of equal length, one element per item; every
    other input is given to each item as it is. At most ``concurrency`` items run at once
    (all, if unset). The node succeeds when at least ``min_successes`` items succeed (or
    ``min_success_ratio`` of them, rounded up; by default all); the outputs are lists with
    ``None`` for each item that failed.
    """

    task: Identifier
    mapped: tuple[str, ...]
    concurrency: int | None = None
    min_successes: int | None = None
    min_success_ratio: float | None = None

    @property
    def optional_outputs(self) -> bool:
        """Whether items may fail without failing the node, so that the outputs are lists of
        ``Optional`` values (flytekit's rule: a success ratio below 1, or a minimum count)."""
        ratio = self.min_success_ratio
        return (ratio is not None and ratio < 1) or self.min_successes is not None


class BranchTarget(_TargetBase, frozen=True, tag="branch"):
    """The node runs the first case of conditional ``name`` whose condition holds (on the
    node's inputs); if none does, the node fails. See ``aloft.ir.branch``."""

    name: str
    cases: tuple[BranchCase, ...]


class GateKind(StrEnum):
    """What a gate node waits for."""

    SLEEP = "sleep"
    """A length of time."""
    SIGNAL = "signal"
    """A typed value given from outside (``wait_for_input``)."""
    APPROVE = "approve"
    """A yes or no given from outside; the node passes its input ``value`` on if yes."""


class GateTarget(_TargetBase, frozen=True, tag="gate"):
    """The node waits, in the WAITING phase, without running anything.

    A SLEEP gate waits ``duration``; a SIGNAL or APPROVE gate waits for the signal ``name``
    (of ``type``; a boolean for APPROVE) and fails once ``timeout`` has passed without one.
    A SIGNAL gate's output ``o0`` is the signal's value; an APPROVE gate's is its input
    ``value``.
    """

    gate: GateKind
    name: str = ""
    duration: datetime.timedelta | None = None
    timeout: datetime.timedelta | None = None
    type: LiteralType | None = None

    @property
    def signal_type(self) -> LiteralType:
        """What the signal is given as: a boolean for an approval (or an untyped signal)."""
        if self.gate is GateKind.APPROVE or self.type is None:
            return BOOLEAN_TYPE
        return self.type


class LaunchPlanTarget(_TargetBase, frozen=True, tag="launch_plan"):
    """The node starts an execution of a launch plan (a child execution, linked to this
    node) and ends as it ends, with its outputs."""

    launch_plan: Identifier


NodeTarget = (
    TaskTarget | WorkflowTarget | ArrayTarget | BranchTarget | GateTarget | LaunchPlanTarget
)


class NodeOverrides(IRModel, frozen=True):
    """Per-node settings that replace the task's own (``with_overrides``)."""

    retries: int | None = None
    timeout: datetime.timedelta | None = None
    interruptible: bool | None = None
    requests: ResourceSpec | None = None
    limits: ResourceSpec | None = None
    cache: CacheConfig | None = None
    container_image: str | None = None
    accelerator: str | None = None


class Node(IRModel, frozen=True):
    """One step of a workflow.

    ``upstream`` lists every node this one waits for: those its bindings read from and those
    ordered before it with ``>>``. ``source`` is ``file:line`` of the call, relative to the
    project root, for messages.
    """

    id: str
    name: str
    target: NodeTarget
    inputs: tuple[Binding, ...] = ()
    upstream: tuple[str, ...] = ()
    overrides: NodeOverrides | None = None
    source: str = ""


class FailurePolicy(StrEnum):
    """What happens to the other nodes when one fails."""

    FAIL_IMMEDIATELY = "fail_immediately"
    FAIL_AFTER_EXECUTABLE_NODES_COMPLETE = "fail_after_executable_nodes_complete"


FAILURE_ERROR_INPUT = "err"
"""The input of a failure node that receives the error, as a ``FlyteError`` struct."""


class WorkflowTemplate(IRModel, frozen=True):
    """A compiled workflow: its interface, its nodes in a valid order, its output bindings.

    ``failure_node`` (``on_failure``) runs once the workflow has failed, before it ends
    FAILED: its inputs are bound to the workflow's, and its input ``err`` receives the error.
    A ``reference`` workflow has an interface and no nodes: it stands for the registered
    workflow of its id (``reference_workflow``), which only a server can run.
    """

    id: Identifier
    interface: TypedInterface
    nodes: tuple[Node, ...]
    outputs: tuple[Binding, ...] = ()
    failure_policy: FailurePolicy = FailurePolicy.FAIL_IMMEDIATELY
    interruptible: bool | None = None
    failure_node: Node | None = None
    reference: bool = False


class WorkflowClosure(IRModel, frozen=True):
    """A workflow with every task, subworkflow and launch plan it refers to (and those the
    launch plans' workflows refer to): all the engine needs."""

    workflow: WorkflowTemplate
    subworkflows: tuple[WorkflowTemplate, ...] = ()
    tasks: tuple[TaskTemplate, ...] = ()
    launch_plans: tuple[LaunchPlanSpec, ...] = ()

    def with_code_bundle(self, bundle: str) -> WorkflowClosure:
        """This closure with every task whose code names no bundle taken from ``bundle``:
        what a task from a registered bundle builds at run time (a dynamic or eager body)
        comes from that same bundle."""
        tasks = tuple(
            msgspec.structs.replace(task, code=msgspec.structs.replace(task.code, bundle=bundle))
            if task.code.module and not task.code.bundle and task.type != REFERENCE_TASK_TYPE
            else task
            for task in self.tasks
        )
        return msgspec.structs.replace(self, tasks=tasks)

    def signal_gates(self) -> dict[str, GateTarget]:
        """The gates of this closure's own execution that wait for a signal, by signal name:
        those of its workflow, subworkflows and conditional cases, not of launch plans it
        calls (those run as executions of their own, with signals of their own)."""
        workflows = {w.id: w for w in (self.workflow, *self.subworkflows)}
        gates: dict[str, GateTarget] = {}
        todo, seen = [self.workflow.id], {self.workflow.id}
        while todo:
            for node in workflows[todo.pop()].nodes:
                target = node.target
                if isinstance(target, GateTarget) and target.gate is not GateKind.SLEEP:
                    gates.setdefault(target.name, target)
                called = [target.workflow] if isinstance(target, WorkflowTarget) else []
                if isinstance(target, BranchTarget):
                    called = [case.workflow for case in target.cases if case.workflow is not None]
                for workflow in called:
                    if workflow not in seen:
                        seen.add(workflow)
                        todo.append(workflow)
        return gates

    def references(self) -> list[Identifier]:
        """The ids of the registered entities this closure refers to by reference only."""
        found = [task.id for task in self.tasks if task.type == REFERENCE_TASK_TYPE]
        workflows = [w.id for w in (self.workflow, *self.subworkflows) if w.reference]
        plans = [plan for plan in self.launch_plans if plan.workflow in workflows]
        launched = {plan.workflow for plan in plans}  # named by their plan instead
        return [*found, *(w for w in workflows if w not in launched), *(p.id for p in plans)]
