"""aloft's literal types to flytekit's ``LiteralType`` models and back.

A model made here remembers the aloft type it came from, so a type that flytekit's models
describe less precisely (a date, which Flyte calls a datetime; an enum's name; a record's
fields) comes back exactly. A model a user built is read field by field.
"""

from __future__ import annotations

from typing import Any

from aloft import ir
from aloft.compat.literal_types import (
    BlobType,
    DatasetColumn,
    EnumType,
    LiteralType,
    SimpleType,
    StructuredDatasetType,
    TypeStructure,
    UnionType,
)
from aloft.errors import TypeTransformerError

PICKLE_FORMAT = "PythonPickle"
"""The blob format flytekit gives pickled values."""

_ORIGIN = "_aloft_origin"

_SIMPLE_TO_MODEL = {
    ir.SimpleKind.NONE: SimpleType.NONE,
    ir.SimpleKind.INTEGER: SimpleType.INTEGER,
    ir.SimpleKind.FLOAT: SimpleType.FLOAT,
    ir.SimpleKind.STRING: SimpleType.STRING,
    ir.SimpleKind.BOOLEAN: SimpleType.BOOLEAN,
    ir.SimpleKind.DATETIME: SimpleType.DATETIME,
    ir.SimpleKind.DATE: SimpleType.DATETIME,
    ir.SimpleKind.DURATION: SimpleType.DURATION,
    ir.SimpleKind.BINARY: SimpleType.BINARY,
}
_SIMPLE_FROM_MODEL = {
    model: kind for kind, model in _SIMPLE_TO_MODEL.items() if kind is not ir.SimpleKind.DATE
}
_DIMENSIONS = {
    ir.BlobDimensionality.SINGLE: BlobType.BlobDimensionality.SINGLE,
    ir.BlobDimensionality.MULTIPART: BlobType.BlobDimensionality.MULTIPART,
}


def to_model_type(literal_type: ir.LiteralType) -> LiteralType:
    """The flytekit model of ``literal_type``."""
    model = _model(literal_type)
    setattr(model, _ORIGIN, literal_type)
    return model


def from_model_type(model: Any) -> ir.LiteralType:
    """The aloft literal type a flytekit ``LiteralType`` model describes; raises
    ``TypeTransformerError`` for anything else, or a type aloft has no form of."""
    if not isinstance(model, LiteralType):
        raise TypeTransformerError(f"expected a LiteralType, got {_kind(model)}")
    origin = getattr(model, _ORIGIN, None)
    if origin is not None:
        return origin  # type: ignore[no-any-return]
    if model.simple is not None:
        return _simple(model.simple)
    if model.collection_type is not None:
        return ir.CollectionType(element=from_model_type(model.collection_type))
    if model.map_value_type is not None:
        return ir.MapType(value=from_model_type(model.map_value_type))
    if model.blob is not None:
        return _blob(model.blob, model.metadata)
    if model.enum_type is not None:
        return ir.EnumType(name="Enum", values=tuple(str(v) for v in model.enum_type.values))
    if model.union_type is not None:
        return ir.UnionType(variants=tuple(from_model_type(v) for v in model.union_type.variants))
    if model.structured_dataset_type is not None:
        return dataset_type(model.structured_dataset_type)
    raise TypeTransformerError("a LiteralType with no type set (simple, blob, collection, ...)")


def dataset_type(model: Any) -> ir.StructuredDatasetType:
    """The aloft table type of a flytekit ``StructuredDatasetType`` (or of aloft's own)."""
    if isinstance(model, ir.StructuredDatasetType):
        return model
    if not isinstance(model, StructuredDatasetType):
        raise TypeTransformerError(f"expected a StructuredDatasetType, got {_kind(model)}")
    columns = tuple(
        ir.StructField(name=c.name, type=from_model_type(c.literal_type)) for c in model.columns
    )
    return ir.StructuredDatasetType(columns=columns, format=model.format or "")


def model_dataset_type(literal_type: ir.StructuredDatasetType) -> StructuredDatasetType:
    """The flytekit model of an aloft table type."""
    columns = [
        DatasetColumn(name=c.name, literal_type=to_model_type(c.type)) for c in literal_type.columns
    ]
    return StructuredDatasetType(columns=columns, format=literal_type.format)


def _model(literal_type: ir.LiteralType) -> LiteralType:
    match literal_type:
        case ir.SimpleType(simple=kind):
            return LiteralType(simple=_SIMPLE_TO_MODEL[kind])
        case ir.CollectionType(element=element):
            return LiteralType(collection_type=to_model_type(element))
        case ir.MapType(value=value):
            return LiteralType(map_value_type=to_model_type(value))
        case ir.EnumType(values=values):
            return LiteralType(enum_type=EnumType(values=list(values)))
        case ir.UnionType(variants=variants):
            return LiteralType(union_type=UnionType(variants=[to_model_type(v) for v in variants]))
        case ir.StructType(name=name):
            return LiteralType(simple=SimpleType.STRUCT, structure=TypeStructure(tag=name))
        case ir.BlobType(format=fmt, dimensionality=dimensionality):
            blob = BlobType(format=fmt, dimensionality=_DIMENSIONS[dimensionality])
            return LiteralType(blob=blob)
        case ir.StructuredDatasetType():
            return LiteralType(structured_dataset_type=model_dataset_type(literal_type))
        case ir.PickleType(name=name):
            blob = BlobType(format=PICKLE_FORMAT, dimensionality=BlobType.BlobDimensionality.SINGLE)
            return LiteralType(blob=blob, metadata={"python_class_name": name})
        case ir.JsonType():  # flytekit types an untyped dict as a STRUCT with no structure
            return LiteralType(simple=SimpleType.STRUCT)
    raise TypeError(f"not a literal type: {literal_type!r}")  # pragma: no cover


def _simple(simple: Any) -> ir.LiteralType:
    if simple == SimpleType.STRUCT:
        return ir.JsonType()
    try:
        return ir.SimpleType(simple=_SIMPLE_FROM_MODEL[SimpleType(simple)])
    except (KeyError, ValueError):
        raise TypeTransformerError(f"SimpleType {simple!r} has no aloft form") from None


def _blob(blob: Any, metadata: dict[str, Any] | None) -> ir.LiteralType:
    if not isinstance(blob, BlobType):
        raise TypeTransformerError(f"LiteralType(blob=...) needs a BlobType, got {_kind(blob)}")
    if blob.format == PICKLE_FORMAT:
        return ir.PickleType(name=str((metadata or {}).get("python_class_name", "")))
    try:
        dimension = BlobType.BlobDimensionality(blob.dimensionality)
    except ValueError:
        raise TypeTransformerError(
            f"BlobType dimensionality must be SINGLE or MULTIPART, got {blob.dimensionality!r}"
        ) from None
    return ir.BlobType(
        format=blob.format or "",
        dimensionality=(
            ir.BlobDimensionality.MULTIPART
            if dimension is BlobType.BlobDimensionality.MULTIPART
            else ir.BlobDimensionality.SINGLE
        ),
    )


def _kind(value: Any) -> str:
    return f"{type(value).__module__}.{type(value).__qualname__}"
