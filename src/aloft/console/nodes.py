"""What the console shows of one node: its typed interface, outputs, attempts, logs and deck.

A node's values are read from its record (inputs, and outputs kept inline) or from the
outputs document its attempt wrote in the blob store. Its attempts' folders are where the
engine put them (``aloft.storage.layout``), so a deck is found where the worker wrote it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from aloft.console.graph import Entities
from aloft.ir import (
    ArrayTarget,
    AttemptRecord,
    ExecutionId,
    GateKind,
    GateTarget,
    LaunchPlanTarget,
    Literal,
    Node,
    NodeRecord,
    OutputsDocument,
    TaskTarget,
    TypedInterface,
    Variable,
    WorkflowClosure,
    WorkflowTarget,
    from_json,
)
from aloft.ir.types import BOOLEAN_TYPE, NONE_TYPE, CollectionType, UnionType
from aloft.storage import BlobStore
from aloft.storage.layout import attempt_prefix, batch_prefix, deck_uri

LOG_CHUNK = 64 << 10
"""Bytes of a log sent at a time when it is streamed whole."""


@dataclass(frozen=True)
class AttemptView:
    """One attempt as listed: its record, and whether it left a log and a deck."""

    record: AttemptRecord
    has_log: bool
    has_deck: bool


def node_interface(
    node: Node, entities: Entities, closure: WorkflowClosure
) -> TypedInterface | None:
    """The typed inputs and outputs of ``node``, as declared by what it runs (a map node's
    are lists of its task's); None if it declares none (a branch)."""
    target = node.target
    match target:
        case TaskTarget(task=task):
            template = entities.tasks.get(task)
            return template.interface if template else None
        case ArrayTarget(task=task):
            template = entities.tasks.get(task)
            return _mapped(template.interface, target) if template else None
        case WorkflowTarget(workflow=workflow):
            template_wf = entities.workflows.get(workflow)
            return template_wf.interface if template_wf else None
        case LaunchPlanTarget(launch_plan=plan_id):
            plan = next((p for p in closure.launch_plans if p.id == plan_id), None)
            launched = entities.workflows.get(plan.workflow) if plan else None
            return launched.interface if launched else None
        case GateTarget(gate=GateKind.SIGNAL, type=signal_type) if signal_type is not None:
            return TypedInterface(outputs={"o0": Variable(type=signal_type)})
    return None


def signal_type(gate: GateTarget) -> Variable:
    """What a gate's signal is given as: a boolean for an approval."""
    given = BOOLEAN_TYPE if gate.gate is GateKind.APPROVE or gate.type is None else gate.type
    return Variable(type=given)


def _mapped(interface: TypedInterface, target: ArrayTarget) -> TypedInterface:
    inputs = {
        name: Variable(type=CollectionType(element=v.type)) if name in target.mapped else v
        for name, v in interface.inputs.items()
    }
    outputs = {}
    for name, variable in interface.outputs.items():
        element = variable.type
        if target.optional_outputs:
            element = UnionType(variants=(element, NONE_TYPE))
        outputs[name] = Variable(type=CollectionType(element=element))
    return TypedInterface(inputs=inputs, outputs=outputs)


def node_outputs(record: NodeRecord, blobs: BlobStore) -> dict[str, Literal] | None:
    """A node's outputs: kept in its record, or in the outputs document its attempt wrote
    (None if it has none, or the document cannot be read)."""
    if record.outputs is not None:
        return record.outputs
    if not record.outputs_uri:
        return None
    try:
        return from_json(blobs.read_bytes(record.outputs_uri), OutputsDocument).outputs
    except (OSError, ValueError):
        return None


def attempt_folder(root: str, execution: ExecutionId, attempt: AttemptRecord) -> str:
    """The folder an attempt wrote in (a map node's batch attempts have folders of their
    own)."""
    if attempt.items:
        return batch_prefix(root, execution, attempt.node, attempt.number)
    return attempt_prefix(root, execution, attempt.node, attempt.number)


def attempt_deck(blobs: BlobStore, execution: ExecutionId, attempt: AttemptRecord) -> str:
    """The URI of the deck an attempt wrote, empty if it wrote none."""
    uri = deck_uri(attempt_folder(blobs.root, execution, attempt))
    return uri if blobs.exists(uri) else ""


def attempt_views(
    blobs: BlobStore, execution: ExecutionId, attempts: list[AttemptRecord]
) -> list[AttemptView]:
    """``attempts`` as listed, in order, each with whether it has a log and a deck."""
    return [
        AttemptView(a, bool(a.log_uri), bool(attempt_deck(blobs, execution, a)))
        for a in sorted(attempts, key=lambda a: a.number)
    ]


def stream_blob(blobs: BlobStore, uri: str) -> Iterator[bytes]:
    """The blob at ``uri`` in chunks, so a long log is sent as it is read."""
    with blobs.filesystem(uri).open(uri, "rb") as handle:
        while chunk := handle.read(LOG_CHUNK):
            yield chunk
