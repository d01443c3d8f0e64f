"""A neutral description of a traced workflow graph: what the SDK hands the compiler.

The SDK records the calls a workflow body makes as ``TracedNode`` objects; nothing here
refers to SDK classes, so the compiler stays below the SDK (DESIGN.md, layers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aloft.ir import (
    ArrayTarget,
    FailurePolicy,
    GateTarget,
    Identifier,
    LaunchPlanSpec,
    Literal,
    LiteralType,
    NodeOverrides,
    TaskTemplate,
    TypedInterface,
    Variable,
    WorkflowClosure,
)


@dataclass(frozen=True)
class OutputRef:
    """An output of a node (or a workflow input), optionally selected into by ``path``."""

    node: str
    output: str
    type: LiteralType
    path: tuple[str | int, ...] = ()


@dataclass(frozen=True)
class Constant:
    """A value written in the workflow body, already converted to the target's type."""

    value: Literal


TracedBinding = OutputRef | Constant | list["TracedBinding"] | dict[str, "TracedBinding"]


@dataclass(frozen=True)
class Location:
    """Where something was written: ``display`` for messages, ``source`` for the IR.

    ``source`` is relative to the project root so the IR does not change between checkouts;
    ``display`` is the path as the user would type it.
    """

    display: str
    source: str

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True)
class MappedTask:
    """A task run once per item of list inputs (a map task): what an array node runs.

    ``interface`` is the node's own: the mapped inputs and every output as lists.
    """

    task: TaskTemplate
    interface: TypedInterface
    target: ArrayTarget


@dataclass(frozen=True)
class TracedComparison:
    """``left operator right`` (``operator``: a ``ComparisonOperator`` value)."""

    operator: str
    left: OutputRef | Constant
    right: OutputRef | Constant


@dataclass(frozen=True)
class TracedConjunction:
    """``left & right`` or ``left | right`` (``operator``: "and" or "or")."""

    operator: str
    left: TracedCondition
    right: TracedCondition


@dataclass(frozen=True)
class TracedCheck:
    """``operand.is_true()``, ``.is_false()`` or ``.is_none()``."""

    operator: str
    operand: OutputRef


TracedCondition = TracedComparison | TracedConjunction | TracedCheck


@dataclass
class TracedCase:
    """One case of a conditional: its condition (``None``: the else), the nodes called in
    it, and what it gives (its outputs, or the message it fails with)."""

    condition: TracedCondition | None
    nodes: list[TracedNode]
    location: Location
    outputs: dict[str, TracedBinding] = field(default_factory=dict)
    error: str = ""


@dataclass
class TracedBranch:
    """A ``conditional(name)`` and its cases, in order."""

    name: str
    cases: list[TracedCase] = field(default_factory=list)

    @property
    def interface(self) -> TypedInterface:
        """The outputs every case gives: those of the first case that gives any."""
        for case in self.cases:
            if case.outputs:
                return TypedInterface(
                    outputs={
                        name: Variable(type=binding.type)
                        for name, binding in case.outputs.items()
                        if isinstance(binding, OutputRef)
                    }
                )
        return TypedInterface()


@dataclass(frozen=True)
class TracedGate:
    """A gate (``sleep``, ``wait_for_input``, ``approve``): its target and interface."""

    target: GateTarget
    interface: TypedInterface


@dataclass(frozen=True)
class LaunchPlanCall:
    """A launch plan called in a workflow: its spec, its interface (the workflow's, less
    the fixed inputs, with the plan's defaults) and the closure of its workflow, which holds
    the spec among its launch plans."""

    spec: LaunchPlanSpec
    interface: TypedInterface
    closure: WorkflowClosure


NodeRunnable = (
    TaskTemplate | WorkflowClosure | MappedTask | TracedBranch | TracedGate | LaunchPlanCall
)
"""What a traced node runs."""


@dataclass
class TracedNode:
    """One call made by the workflow body."""

    id: str
    name: str
    target: NodeRunnable
    inputs: dict[str, TracedBinding]
    location: Location
    after: list[str] = field(default_factory=list)
    overrides: NodeOverrides | None = None

    @property
    def interface(self) -> TypedInterface:
        """The interface of what the node runs."""
        if isinstance(self.target, WorkflowClosure):
            return self.target.workflow.interface
        return self.target.interface


@dataclass
class TracedGraph:
    """A whole traced workflow body."""

    id: Identifier
    interface: TypedInterface
    nodes: list[TracedNode]
    outputs: dict[str, TracedBinding]
    location: Location
    failure_policy: FailurePolicy = FailurePolicy.FAIL_IMMEDIATELY
    interruptible: bool | None = None
    failure_node: TracedNode | None = None
