"""The interface every node handler implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from aloft.ir import (
    ErrorKind,
    ExecutionError,
    Identifier,
    Literal,
    Node,
    NodeKey,
    NodePhase,
    NodeRecord,
)

if TYPE_CHECKING:
    from aloft.engine.step import Step
    from aloft.engine.view import Frame


class NodeHandler(ABC):
    """Decides the transitions of one kind of node.

    Handlers change the execution only through the step (``step.view.set_node``,
    ``step.node_succeeded``, ``step.node_failed``, ``step.actions``), so every change is
    recorded, written in the step's transaction and acted on only after it.
    """

    @abstractmethod
    def start(
        self,
        step: Step,
        frame: Frame,
        node: Node,
        key: NodeKey,
        record: NodeRecord | None,
        inputs: dict[str, Literal],
    ) -> None:
        """Start node ``key`` on resolved ``inputs`` (``record``: a retry's previous state)."""

    @abstractmethod
    def resume(self, step: Step, frame: Frame, node: Node, record: NodeRecord) -> None:
        """Pick up a started, unfinished node while the view is rebuilt from its records."""

    @abstractmethod
    def advance(self, step: Step, frame: Frame, record: NodeRecord) -> None:
        """Something this node waits for changed (an attempt ended): move it on."""

    def frame_ended(
        self,
        step: Step,
        frame: Frame,
        outputs: dict[str, Literal] | None,
        error: ExecutionError | None,
    ) -> None:
        """The workflow this node runs as its children (``frame``: a subworkflow, a case, a
        built workflow) ended with ``outputs``, or failed with ``error``: by default, so does
        the node."""
        if error is None:
            step.node_succeeded(frame.key, outputs=outputs)
        else:
            step.node_failed(frame.key, error)


def start_node(
    step: Step, key: NodeKey, phase: NodePhase, inputs: dict[str, Literal], **fields: Any
) -> NodeRecord:
    """Record node ``key`` as started now, in ``phase``, on ``inputs`` (and ``fields``)."""
    record = NodeRecord(
        key=key, phase=phase, inputs=inputs, started_at=step.at, updated_at=step.at, **fields
    )
    step.view.set_node(record, step.at)
    return record


def user_error(message: str, key: NodeKey) -> ExecutionError:
    """A failure of node ``key`` the user's workflow caused (not retried)."""
    return ExecutionError(kind=ErrorKind.USER, message=message, node=str(key))


def fail_unresolved(step: Step, key: NodeKey, reference: Identifier) -> None:
    """Fail node ``key``, which calls a registered entity nobody resolved for this engine."""
    message = (
        f"the {reference.describe_reference()} was not resolved to a registered entity, so it "
        "cannot run here"
    )
    step.node_failed(key, user_error(message, key))
