"""Every IR model round-trips through JSON exactly, and the schema covers the documents."""

from __future__ import annotations

import datetime
import json

import msgspec
import pytest

from aloft import ir

INT = ir.SimpleType(simple=ir.SimpleKind.INTEGER)
NOW = datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)
TASK = ir.TaskTemplate(
    id=ir.Identifier(resource_type=ir.ResourceType.TASK, name="m.t"),
    interface=ir.TypedInterface(
        inputs={"x": ir.Variable(type=INT, default=ir.IntegerValue(value=3))},
        outputs={"o0": ir.Variable(type=ir.CollectionType(element=INT))},
    ),
    code=ir.CodeReference(module="m", qualname="t"),
    metadata=ir.TaskMetadata(retries=2, timeout=datetime.timedelta(seconds=90)),
    requests=ir.ResourceSpec(cpu="1"),
    secret_requests=(ir.Secret(group="g"),),
    pod_template={"labels": {"a": "b"}},
)
WORKFLOW = ir.WorkflowTemplate(
    id=ir.Identifier(resource_type=ir.ResourceType.WORKFLOW, name="m.wf"),
    interface=TASK.interface,
    nodes=(
        ir.Node(
            id="n0",
            name="m.t",
            target=ir.TaskTarget(task=TASK.id),
            inputs=(
                ir.Binding(
                    var="x",
                    data=ir.PromiseBinding(node=ir.START_NODE, output="x", path=("a", 0)),
                ),
            ),
            overrides=ir.NodeOverrides(retries=1),
            source="m.py:3",
        ),
    ),
    outputs=(
        ir.Binding(
            var="o0",
            data=ir.CollectionBinding(
                items=(
                    ir.LiteralBinding(value=ir.IntegerValue(value=1)),
                    ir.MapBinding(entries={"k": ir.PromiseBinding(node="n0", output="o0")}),
                )
            ),
        ),
    ),
)
CLOSURE = ir.WorkflowClosure(workflow=WORKFLOW, tasks=(TASK,))
LITERALS: list[ir.Literal] = [
    ir.NoneValue(),
    ir.IntegerValue(value=-5),
    ir.FloatValue(value=2.5),
    ir.FloatValue.of(float("nan")),
    ir.FloatValue.of(float("-inf")),
    ir.StringValue(value="héllo"),
    ir.BooleanValue(value=True),
    ir.DatetimeValue(value=NOW),
    ir.DateValue(value=NOW.date()),
    ir.DurationValue(value=datetime.timedelta(hours=1, microseconds=5)),
    ir.BinaryValue(value=b"\x00\xff"),
    ir.CollectionValue(items=(ir.IntegerValue(value=1), ir.NoneValue())),
    ir.MapValue(entries={"b": ir.IntegerValue(value=1), "a": ir.IntegerValue(value=2)}),
    ir.StructValue(fields={"x": ir.FloatValue(value=1.0)}),
    ir.UnionValue(variant="int", value=ir.IntegerValue(value=1)),
    ir.BlobValue(uri="file:///data/x.csv", format="csv"),
    ir.StructuredDatasetValue(uri="s3://bucket/table"),
]
TYPES: list[ir.LiteralType] = [
    INT,
    ir.CollectionType(element=ir.MapType(value=INT)),
    ir.EnumType(name="Color", values=("red", "green")),
    ir.UnionType(variants=(INT, ir.NONE_TYPE)),
    ir.StructType(name="P", fields=(ir.StructField(name="x", type=INT),)),
    ir.BlobType(format="csv"),
    ir.StructuredDatasetType(columns=(ir.StructField(name="a", type=INT),)),
]
OTHERS: list[object] = [
    TASK,
    WORKFLOW,
    CLOSURE,
    ir.LaunchPlanSpec(
        id=ir.Identifier(resource_type=ir.ResourceType.LAUNCH_PLAN, name="lp"),
        workflow=WORKFLOW.id,
        default_inputs={"x": ir.IntegerValue(value=1)},
        schedule=ir.CronSchedule(expression="0 * * * *", kickoff_time_input="t"),
    ),
    ir.ExecutionSpec(id=ir.ExecutionId(name="e"), closure=CLOSURE, inputs={"x": LITERALS[1]}),
    ir.Event(
        execution=ir.ExecutionId(name="e"),
        kind=ir.EventKind.NODE,
        node=ir.NodeKey(path=("n1", "n0")),
        attempt=1,
        phase=ir.NodePhase.FAILED.value,
        occurred_at=NOW,
        host="h:1:x",
        version=3,
    ),
    ir.NodeRecord(
        key=ir.NodeKey(path=("n0",), item=3),
        phase=ir.NodePhase.RUNNING,
        token="t",
        inputs={"x": LITERALS[1]},
        items=ir.ArrayItems.new(4).with_phase(2, ir.NodePhase.RUNNING),
        started_at=NOW,
    ),
    ir.AttemptRecord(
        execution=ir.ExecutionId(name="e"),
        node=ir.NodeKey(path=("n0",)),
        number=0,
        token="t",
        error=ir.ExecutionError(kind=ir.ErrorKind.USER, message="boom"),
    ),
    ir.ExecutionRecord(id=ir.ExecutionId(name="e"), phase=ir.ExecutionPhase.SUCCEEDED),
    ir.OutputsDocument(outputs={"o0": LITERALS[9]}),
    ir.TaskAttemptSpec(
        execution=ir.ExecutionId(name="e"),
        node=ir.NodeKey(path=("n0",)),
        attempt=0,
        token="t",
        task=TASK,
        inputs={},
        output_prefix="file:///tmp/x",
        deadline=12.5,
    ),
    ir.TaskAttemptResult(
        execution=ir.ExecutionId(name="e"),
        node=ir.NodeKey(path=("n0",)),
        attempt=0,
        token="t",
        outputs_uri="file:///tmp/x/outputs.json",
    ),
]


@pytest.mark.parametrize("literal", LITERALS, ids=lambda v: type(v).__name__)
def test_literals_round_trip(literal: ir.Literal) -> None:
    data = ir.to_json(literal)
    assert ir.from_json(data, ir.Literal) == literal  # type: ignore[arg-type]
    assert ir.to_json(ir.from_json(data, ir.Literal)) == data  # type: ignore[arg-type]


@pytest.mark.parametrize("literal_type", TYPES, ids=ir.describe)
def test_literal_types_round_trip(literal_type: ir.LiteralType) -> None:
    data = ir.to_json(literal_type)
    assert ir.from_json(data, ir.LiteralType) == literal_type  # type: ignore[arg-type]


@pytest.mark.parametrize("document", OTHERS, ids=lambda v: type(v).__name__)
def test_documents_round_trip_byte_for_byte(document: object) -> None:
    data = ir.to_json(document)
    decoded = ir.from_json(data, type(document))
    assert decoded == document
    assert ir.to_json(decoded) == data


def test_types_are_described_as_python_users_write_them() -> None:
    assert [ir.describe(t) for t in TYPES] == [
        "int",
        "list[dict[str, int]]",
        "Color",
        "Optional[int]",
        "P",
        "FlyteFile[csv]",
        "StructuredDataset",
    ]


def test_unknown_fields_are_rejected() -> None:
    data = json.loads(ir.to_json(TASK))
    data["surprise"] = 1
    with pytest.raises(msgspec.ValidationError, match="surprise"):
        ir.from_json(json.dumps(data), ir.TaskTemplate)


def test_ir_models_are_frozen() -> None:
    with pytest.raises(AttributeError):
        TASK.type = "other"  # type: ignore[misc]


def test_the_schema_describes_every_document_type() -> None:
    schema = ir.json_schema(*ir.DOCUMENT_TYPES)
    assert schema["x-aloft-schema-version"] == ir.SCHEMA_VERSION
    for name in ("WorkflowClosure", "TaskTemplate", "LaunchPlanSpec", "ExecutionSpec"):
        assert name in schema["$defs"]


def test_a_float_literal_is_a_number_or_one_of_the_non_finite_names() -> None:
    with pytest.raises(msgspec.ValidationError, match="a float literal is a number, 'nan'"):
        ir.from_json(b'{"kind": "float", "value": "lots"}', ir.FloatValue)
    assert ir.FloatValue.of(float("inf")).number == float("inf")
