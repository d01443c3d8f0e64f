"""Stored documents carry their schema version, and later versions of aloft read them.

The rule (docs/architecture.md, "Stored documents"): fields are only ever added, each with a
default, so a newer reader fills in what an older writer left out; a reader refuses fields it
does not know, since they come from a newer aloft whose meaning it cannot honour.
"""

from __future__ import annotations

import datetime

import msgspec
import pytest

from aloft.ir import (
    SCHEMA_VERSION,
    AttemptRecord,
    Event,
    EventKind,
    ExecutionId,
    ExecutionRecord,
    ExecutionSpec,
    Identifier,
    IntegerValue,
    NodeKey,
    NodePhase,
    NodeRecord,
    OutputsDocument,
    ResourceType,
    TypedInterface,
    WorkflowClosure,
    WorkflowTemplate,
    from_json,
    to_json,
)

NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
DOCUMENTS = [
    NodeRecord(key=NodeKey(path=("n0",)), phase=NodePhase.SUCCEEDED, updated_at=NOW),
    AttemptRecord(execution=ExecutionId(name="e"), node=NodeKey(path=("n0",)), number=0, token="t"),
    ExecutionRecord(id=ExecutionId(name="e"), created_at=NOW),
    OutputsDocument(outputs={"o0": IntegerValue(value=1)}),
    Event(execution=ExecutionId(name="e"), kind=EventKind.NODE, phase="running", occurred_at=NOW),
    ExecutionSpec(
        id=ExecutionId(name="e"),
        closure=WorkflowClosure(
            workflow=WorkflowTemplate(
                id=Identifier(resource_type=ResourceType.WORKFLOW, name="w"),
                interface=TypedInterface(),
                nodes=(),
            )
        ),
    ),
]


class NodeRecordWithPriority(NodeRecord, frozen=True, kw_only=True):
    """What a later version of aloft might store: one more field, with a default."""

    priority: int = 0


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: type(d).__name__)
def test_every_stored_document_records_its_schema_version(document: object) -> None:
    assert msgspec.json.decode(to_json(document))["schema_version"] == SCHEMA_VERSION


def test_a_document_written_before_a_field_was_added_is_read_with_its_default() -> None:
    written = to_json(DOCUMENTS[0])
    read = from_json(written, NodeRecordWithPriority)
    assert read.priority == 0
    assert read.key == NodeKey(path=("n0",)) and read.phase is NodePhase.SUCCEEDED
    assert read.updated_at == NOW


def test_a_document_from_a_newer_aloft_with_an_unknown_field_is_refused_by_name() -> None:
    newer = to_json(NodeRecordWithPriority(key=NodeKey(path=("n0",)), priority=3))
    with pytest.raises(msgspec.ValidationError, match="unknown field `priority`"):
        from_json(newer, NodeRecord)
