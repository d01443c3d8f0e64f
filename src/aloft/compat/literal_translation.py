"""aloft's literals to flytekit's ``Literal`` models and back.

Reading a model needs the aloft type it should have (a map may be a dict or a record, a
datetime may be a date, a blob a file or a folder): a model whose shape does not fit is a
``TypeTransformerError`` naming what was expected and what was found. A model's ``hash``
(flytekit's cache key) becomes a user-chosen hash; the content hash of a file, folder or
table comes from ``hash_of``, which the caller gives (it knows what was uploaded).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

from aloft import ir
from aloft.compat.literal_types import BlobType, LiteralType, StructuredDatasetType, TypeStructure
from aloft.compat.literals import (
    Binary,
    Blob,
    BlobMetadata,
    Literal,
    LiteralCollection,
    LiteralMap,
    Primitive,
    Scalar,
    StructuredDataset,
    StructuredDatasetMetadata,
    Union,
    Void,
)
from aloft.compat.type_translation import PICKLE_FORMAT, dataset_type, from_model_type
from aloft.errors import TypeTransformerError
from aloft.ir.json_documents import JsonDocumentError, json_literal
from aloft.storage import load_offloaded

PICKLE_TAG = "pickle"
"""The tag of a ``Binary`` holding a small pickle."""

HashOf = Callable[[str], str]


def to_model_literal(literal: ir.Literal) -> Literal:
    """The flytekit model of an aloft literal (an offloaded one is read back first)."""
    if isinstance(literal, ir.HashedValue):
        model = to_model_literal(literal.value)
        model.hash = literal.hash
        return model
    if isinstance(literal, ir.OffloadedValue):
        return to_model_literal(load_offloaded(literal))
    if isinstance(literal, ir.CollectionValue):
        return Literal(collection=LiteralCollection([to_model_literal(i) for i in literal.items]))
    if isinstance(literal, ir.MapValue | ir.StructValue):
        entries = literal.entries if isinstance(literal, ir.MapValue) else literal.fields
        return Literal(map=LiteralMap({k: to_model_literal(v) for k, v in entries.items()}))
    return Literal(scalar=_scalar(literal))


def from_model_literal(model: Any, expected: ir.LiteralType, hash_of: HashOf) -> ir.Literal:
    """The aloft literal of type ``expected`` that ``model`` holds."""
    if not isinstance(model, Literal):
        raise TypeTransformerError(f"expected a Literal, got {_kind(model)}")
    literal = _read(model, expected, hash_of)
    return ir.HashedValue(value=literal, hash=model.hash) if model.hash else literal


def _scalar(literal: ir.Literal) -> Scalar:
    match literal:
        case ir.NoneValue():
            return Scalar(none_type=Void())
        case ir.IntegerValue(value=value):
            return Scalar(primitive=Primitive(integer=value))
        case ir.FloatValue():
            return Scalar(primitive=Primitive(float_value=literal.number))
        case ir.StringValue(value=value):
            return Scalar(primitive=Primitive(string_value=value))
        case ir.BooleanValue(value=value):
            return Scalar(primitive=Primitive(boolean=value))
        case ir.DatetimeValue(value=value):
            return Scalar(primitive=Primitive(datetime=value))
        case ir.DateValue(value=value):  # Flyte has no date: midnight UTC, as flytekit does
            moment = datetime.datetime.combine(value, datetime.time(), datetime.UTC)
            return Scalar(primitive=Primitive(datetime=moment))
        case ir.DurationValue(value=value):
            return Scalar(primitive=Primitive(duration=value))
        case ir.BinaryValue(value=value):
            return Scalar(binary=Binary(value=value, tag=""))
        case ir.UnionValue(variant=variant, value=value):
            stored = ir_variant_model(variant)
            return Scalar(union=Union(value=to_model_literal(value), stored_type=stored))
        case ir.BlobValue(uri=uri, format=fmt, dimensionality=dimensionality):
            dimension = (
                BlobType.BlobDimensionality.MULTIPART
                if dimensionality is ir.BlobDimensionality.MULTIPART
                else BlobType.BlobDimensionality.SINGLE
            )
            blob_type = BlobType(format=fmt, dimensionality=dimension)
            return Scalar(blob=Blob(metadata=BlobMetadata(type=blob_type), uri=uri))
        case ir.StructuredDatasetValue(uri=uri, format=fmt):
            metadata = StructuredDatasetMetadata(StructuredDatasetType(format=fmt))
            return Scalar(structured_dataset=StructuredDataset(uri=uri, metadata=metadata))
        case ir.PickleValue(data=data, uri=uri):
            if not uri:
                return Scalar(binary=Binary(value=data, tag=PICKLE_TAG))
            pickled = BlobType(format=PICKLE_FORMAT)
            return Scalar(blob=Blob(metadata=BlobMetadata(type=pickled), uri=uri))
    raise TypeError(f"not a scalar literal: {literal!r}")  # pragma: no cover


def ir_variant_model(variant: str) -> Any:
    """The ``stored_type`` of a union value: flytekit matches variants by structure tag."""
    return LiteralType(structure=TypeStructure(tag=variant))


def _read(model: Literal, expected: ir.LiteralType, hash_of: HashOf) -> ir.Literal:
    match expected:
        case ir.CollectionType(element=element):
            items = _need(model.collection, "a collection", model, expected).literals
            return ir.CollectionValue(
                items=tuple(from_model_literal(i, element, hash_of) for i in items)
            )
        case ir.MapType(value=value):
            entries = _need(model.map, "a map", model, expected).literals
            return ir.MapValue(
                entries={str(k): from_model_literal(v, value, hash_of) for k, v in entries.items()}
            )
        case ir.StructType(fields=fields):
            entries = _need(model.map, "a map of the record's fields", model, expected).literals
            missing = [f.name for f in fields if f.name not in entries]
            if missing:
                raise TypeTransformerError(
                    f"expected {ir.describe(expected)}, got a map without {', '.join(missing)}"
                )
            values = {f.name: from_model_literal(entries[f.name], f.type, hash_of) for f in fields}
            return ir.StructValue(fields=values)
        case ir.UnionType(variants=variants):
            return _union(model, expected, variants, hash_of)
        case ir.JsonType():
            try:
                return json_literal(_json_of(model))
            except JsonDocumentError as exc:
                raise TypeTransformerError(f"expected a JSON object: {exc}") from None
    scalar = _need(model.scalar, "a scalar", model, expected)
    return _read_scalar(scalar, model, expected, hash_of)


def _read_scalar(
    scalar: Scalar, model: Literal, expected: ir.LiteralType, hash_of: HashOf
) -> ir.Literal:
    match expected:
        case ir.SimpleType(simple=kind):
            return _simple(scalar, kind, model, expected)
        case ir.EnumType(values=values):
            text = _primitive(scalar, "string_value", model, expected)
            if text not in values:
                raise TypeTransformerError(
                    f"expected one of {', '.join(map(repr, values))}, got {text!r}"
                )
            return ir.StringValue(value=text)
        case ir.BlobType(format=fmt, dimensionality=dimensionality):
            blob = _need(scalar.blob, "a blob", model, expected)
            found = BlobType.BlobDimensionality(blob.metadata.type.dimensionality)
            wanted = BlobType.BlobDimensionality[dimensionality.name]
            if found is not wanted:
                raise TypeTransformerError(
                    f"expected {ir.describe(expected)} (a {wanted.name} blob), "
                    f"got a {found.name} blob"
                )
            return ir.BlobValue(
                uri=blob.uri,
                format=blob.metadata.type.format or fmt,
                dimensionality=dimensionality,
                hash=hash_of(blob.uri),
            )
        case ir.StructuredDatasetType(format=fmt):
            table = _need(scalar.structured_dataset, "a structured dataset", model, expected)
            declared = table.metadata.structured_dataset_type if table.metadata else None
            stored = dataset_type(declared).format if declared is not None else ""
            return ir.StructuredDatasetValue(
                uri=table.uri, format=stored or fmt or "parquet", hash=hash_of(table.uri)
            )
        case ir.PickleType():
            if scalar.binary is not None:
                data = scalar.binary.value
                return ir.PickleValue(hash=hashlib.sha256(data).hexdigest(), data=data)
            blob = _need(scalar.blob, "a pickle (a Binary or a blob)", model, expected)
            return ir.PickleValue(hash=hash_of(blob.uri), uri=blob.uri)
    raise TypeTransformerError(f"expected {ir.describe(expected)}, got {_describe(model)}")


def _simple(
    scalar: Scalar, kind: ir.SimpleKind, model: Literal, expected: ir.LiteralType
) -> ir.Literal:
    if kind is ir.SimpleKind.NONE:
        _need(scalar.none_type, "no value (Void)", model, expected)
        return ir.NoneValue()
    if kind is ir.SimpleKind.BINARY:
        return ir.BinaryValue(value=_need(scalar.binary, "a Binary", model, expected).value)
    field, check, build = _PRIMITIVES[kind]
    value = _primitive(scalar, field, model, expected)
    if not check(value):
        raise TypeTransformerError(f"expected {ir.describe(expected)}, got {value!r}")
    return build(value)


_PRIMITIVES: dict[ir.SimpleKind, tuple[str, Callable[[Any], bool], Callable[[Any], ir.Literal]]] = {
    ir.SimpleKind.INTEGER: (
        "integer",
        lambda v: isinstance(v, int) and not isinstance(v, bool),
        lambda v: ir.IntegerValue(value=v),
    ),
    ir.SimpleKind.FLOAT: (
        "float_value",
        lambda v: isinstance(v, float | int) and not isinstance(v, bool),
        lambda v: ir.FloatValue.of(float(v)),
    ),
    ir.SimpleKind.STRING: (
        "string_value",
        lambda v: isinstance(v, str),
        lambda v: ir.StringValue(value=v),
    ),
    ir.SimpleKind.BOOLEAN: (
        "boolean",
        lambda v: isinstance(v, bool),
        lambda v: ir.BooleanValue(value=v),
    ),
    ir.SimpleKind.DATETIME: (
        "datetime",
        lambda v: isinstance(v, datetime.datetime),
        lambda v: ir.DatetimeValue.of(v),
    ),
    ir.SimpleKind.DATE: (
        "datetime",
        lambda v: isinstance(v, datetime.datetime | datetime.date),
        lambda v: ir.DateValue(value=v.date() if isinstance(v, datetime.datetime) else v),
    ),
    ir.SimpleKind.DURATION: (
        "duration",
        lambda v: isinstance(v, datetime.timedelta),
        lambda v: ir.DurationValue(value=v),
    ),
}


def _union(
    model: Literal, expected: ir.LiteralType, variants: tuple[ir.LiteralType, ...], hash_of: HashOf
) -> ir.Literal:
    union = _need(model.scalar and model.scalar.union, "a union value", model, expected)
    stored = union.stored_type
    tag = stored.structure.tag if getattr(stored, "structure", None) is not None else ""
    for variant in variants:
        name = ir.describe(variant)
        if name == tag or (not tag and from_model_type(stored) == variant):
            value = from_model_literal(union.value, variant, hash_of)
            return ir.UnionValue(variant=name, value=value)
    raise TypeTransformerError(
        f"expected a variant of {ir.describe(expected)}, got a union value of {tag or stored!r}"
    )


def _json_of(model: Literal) -> Any:
    """The JSON value a literal model holds: a ``Scalar(generic=...)`` (flytekit's form of an
    untyped dict: a dict, or a protobuf ``Struct``-like object with ``items()``), or maps,
    collections and primitives of such values."""
    if model.map is not None:
        return {str(k): _json_of(v) for k, v in model.map.literals.items()}
    if model.collection is not None:
        return [_json_of(item) for item in model.collection.literals]
    scalar = model.scalar
    if scalar is not None and scalar.generic is not None:
        return dict(scalar.generic.items())
    if scalar is not None and scalar.none_type is not None:
        return None
    if scalar is not None and scalar.primitive is not None:
        return scalar.primitive.value  # a datetime or duration is refused by json_literal
    raise JsonDocumentError(f"{_describe(model)} is not a JSON value")


def _primitive(scalar: Scalar, field: str, model: Literal, expected: ir.LiteralType) -> Any:
    primitive = _need(scalar.primitive, "a primitive", model, expected)
    value = getattr(primitive, field)
    if value is None:
        raise TypeTransformerError(
            f"expected {ir.describe(expected)} (Primitive({field}=...)), got {_describe(model)}"
        )
    return value


def _need(value: Any, what: str, model: Literal, expected: ir.LiteralType) -> Any:
    if value is None:
        raise TypeTransformerError(
            f"expected {ir.describe(expected)} ({what}), got {_describe(model)}"
        )
    return value


def _describe(model: Literal) -> str:
    """What a literal model holds, for messages: ``Primitive(integer=3)``, ``a blob``."""
    if model.collection is not None:
        return f"a collection of {len(model.collection.literals)}"
    if model.map is not None:
        return f"a map of {len(model.map.literals)}"
    scalar = model.scalar
    if scalar is None:
        return "an empty Literal"
    if scalar.primitive is not None:
        fields = {k: v for k, v in vars(scalar.primitive).items() if v is not None}
        shown = ", ".join(f"{k}={_short(v)}" for k, v in fields.items())
        return f"Primitive({shown})"
    for name in ("blob", "binary", "union", "none_type", "structured_dataset", "generic", "schema"):
        if getattr(scalar, name) is not None:
            return f"Scalar({name}=...)"
    return "an empty Scalar"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: Any) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"
