"""What the console shows of one node: its typed interface, outputs, attempts, logs and deck.

A node's values are read from its record (inputs, and outputs kept inline) or from the
outputs document its attempt wrote in the blob store. Its attempts' records name their logs
and decks.
"""

from __future__ import annotations

from dataclasses import dataclass

from aloft.console.graph import Entities
from aloft.ir import (
    ArrayTarget,
    AttemptRecord,
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
from aloft.ir.types import NONE_TYPE, CollectionType, UnionType
from aloft.storage import BlobStore


@dataclass(frozen=True)
class AttemptView:
    """One attempt as listed: its record, and whether it has a log (it may still be empty
    while the attempt runs) and a deck."""

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
    return Variable(type=gate.signal_type)


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


def attempt_views(attempts: list[AttemptRecord]) -> list[AttemptView]:
    """``attempts`` as listed, in order, each with whether it has a log and a deck."""
    return [
        AttemptView(a, bool(a.log_uri), bool(a.deck_uri))
        for a in sorted(attempts, key=lambda a: a.number)
    ]
