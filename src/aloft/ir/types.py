"""Literal types: the type system every value crossing a boundary is described in.

A Python type maps to exactly one ``LiteralType`` (``aloft.types`` does the mapping). The
compiler checks bindings with these, the engine never needs the Python types.
"""

from __future__ import annotations

from enum import StrEnum

from aloft.ir.base import IRModel


class SimpleKind(StrEnum):
    """The scalar kinds."""

    NONE = "none"
    INTEGER = "integer"
    FLOAT = "float"
    STRING = "string"
    BOOLEAN = "boolean"
    DATETIME = "datetime"
    DATE = "date"
    DURATION = "duration"
    BINARY = "binary"


class BlobDimensionality(StrEnum):
    """A blob is one file or a folder of files."""

    SINGLE = "single"
    MULTIPART = "multipart"


class _LiteralTypeBase(IRModel, frozen=True, tag_field="kind"):
    pass


class SimpleType(_LiteralTypeBase, frozen=True, tag="simple"):
    """A scalar: int, float, str, bool, None, datetime, date, timedelta or bytes."""

    simple: SimpleKind


class CollectionType(_LiteralTypeBase, frozen=True, tag="collection"):
    """A list whose items all have ``element`` type."""

    element: LiteralType


class MapType(_LiteralTypeBase, frozen=True, tag="map"):
    """A dict whose values all have ``value`` type, keyed by strings, or by integers
    (``key=INTEGER``, a ``dict[int, T]``: its literal holds each key as its decimal text,
    as JSON does)."""

    value: LiteralType
    key: SimpleKind = SimpleKind.STRING


class EnumType(_LiteralTypeBase, frozen=True, tag="enum"):
    """A string restricted to ``values``; ``name`` is the Python Enum's name."""

    name: str
    values: tuple[str, ...]


class UnionType(_LiteralTypeBase, frozen=True, tag="union"):
    """A tagged union; each value records which variant it holds (``describe`` of it)."""

    variants: tuple[LiteralType, ...]


class StructField(IRModel, frozen=True):
    """One named field of a struct or one column of a dataset."""

    name: str
    type: LiteralType


class StructType(_LiteralTypeBase, frozen=True, tag="struct"):
    """A record with named, typed fields (a dataclass or a pydantic model)."""

    name: str
    fields: tuple[StructField, ...]


class BlobType(_LiteralTypeBase, frozen=True, tag="blob"):
    """A file (``SINGLE``) or a directory (``MULTIPART``) in the blob store."""

    format: str = ""
    dimensionality: BlobDimensionality = BlobDimensionality.SINGLE


class StructuredDatasetType(_LiteralTypeBase, frozen=True, tag="structured_dataset"):
    """A table in the blob store; empty ``columns`` means any columns."""

    columns: tuple[StructField, ...] = ()
    format: str = ""


class JsonType(_LiteralTypeBase, frozen=True, tag="json"):
    """An untyped ``dict``: any JSON object, as flytekit stores one. Its literal is a map of
    JSON-like literals (str, int, float, bool, None, lists and maps of them)."""


class PickleType(_LiteralTypeBase, frozen=True, tag="pickle"):
    """A Python type with no transformer, passed as a pickle; ``name`` is its qualified name."""

    name: str


LiteralType = (
    SimpleType
    | CollectionType
    | MapType
    | EnumType
    | UnionType
    | StructType
    | BlobType
    | StructuredDatasetType
    | PickleType
    | JsonType
)

_SIMPLE_NAMES = {
    SimpleKind.NONE: "None",
    SimpleKind.INTEGER: "int",
    SimpleKind.FLOAT: "float",
    SimpleKind.STRING: "str",
    SimpleKind.BOOLEAN: "bool",
    SimpleKind.DATETIME: "datetime",
    SimpleKind.DATE: "date",
    SimpleKind.DURATION: "timedelta",
    SimpleKind.BINARY: "bytes",
}

NONE_TYPE = SimpleType(simple=SimpleKind.NONE)
BOOLEAN_TYPE = SimpleType(simple=SimpleKind.BOOLEAN)
"""What an approval is given as."""


def describe(literal_type: LiteralType) -> str:
    """Render a literal type the way a Python user writes it: ``list[int]``, ``Optional[str]``.

    The result also serves as a union variant's tag, so it must stay stable.
    """
    match literal_type:
        case SimpleType(simple=kind):
            return _SIMPLE_NAMES[kind]
        case CollectionType(element=element):
            return f"list[{describe(element)}]"
        case MapType(value=value, key=key):
            return f"dict[{_SIMPLE_NAMES[key]}, {describe(value)}]"
        case JsonType():
            return "dict"
        case EnumType(name=name) | StructType(name=name):
            return name
        case UnionType(variants=variants):
            others = [v for v in variants if v != NONE_TYPE]
            if len(others) == 1 and len(variants) == 2:
                return f"Optional[{describe(others[0])}]"
            return "Union[" + ", ".join(describe(v) for v in variants) + "]"
        case BlobType(format=fmt, dimensionality=dim):
            base = "FlyteFile" if dim is BlobDimensionality.SINGLE else "FlyteDirectory"
            return f"{base}[{fmt}]" if fmt else base
        case StructuredDatasetType():
            return "StructuredDataset"
        case PickleType(name=name):
            return f"Pickle[{name}]"
    raise TypeError(f"not a literal type: {literal_type!r}")  # pragma: no cover
