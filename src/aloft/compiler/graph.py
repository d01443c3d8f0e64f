"""A neutral description of a traced workflow graph: what the SDK hands the compiler.

The SDK records the calls a workflow body makes as ``TracedNode`` objects; nothing here
refers to SDK classes, so the compiler stays below the SDK (DESIGN.md, layers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aloft.ir import (
    ArrayTarget,
    FailurePolicy,
    Identifier,
    Literal,
    LiteralType,
    NodeOverrides,
    TaskTemplate,
    TypedInterface,
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


NodeRunnable = TaskTemplate | WorkflowClosure | MappedTask
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
