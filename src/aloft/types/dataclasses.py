"""Dataclasses ↔ ``StructType``/``StructValue``: nested, with defaults, Optional fields and lists.

Field annotations are resolved with ``typing.get_type_hints``, so classes in modules using
``from __future__ import annotations`` work. Every field is encoded (``init=False`` ones too,
so the engine can read them); only constructor fields are passed back when decoding, and a
field missing from a stored value takes its default.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from aloft.ir import Literal, LiteralType
from aloft.types import records
from aloft.types.records import RecordField
from aloft.types.transformer import TypeTransformer

_fields: dict[type[Any], tuple[RecordField, ...]] = {}


class DataclassTransformer(TypeTransformer[Any]):
    """Dataclass types; the struct's name is the class's ``__qualname__``."""

    name = "dataclass"

    def handles(self, py_type: Any) -> bool:
        return isinstance(py_type, type) and dataclasses.is_dataclass(py_type)

    def literal_type(self, py_type: Any) -> LiteralType:
        return records.struct_type(py_type, record_fields(py_type))

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        return records.encode(value, py_type, record_fields(py_type))

    def to_python(self, literal: Literal, py_type: Any) -> Any:
        kwargs = records.decode(literal, py_type, record_fields(py_type))
        return records.construct(py_type, kwargs)

    def from_json_value(self, data: Any, py_type: Any) -> Any:
        kwargs = records.decode_json(data, py_type, record_fields(py_type))
        return records.construct(py_type, kwargs)

    def struct_fields(self, py_type: Any) -> dict[str, Any] | None:
        return {f.name: f.py_type for f in record_fields(py_type)}


def record_fields(cls: type[Any]) -> tuple[RecordField, ...]:
    """The fields of a dataclass with their resolved annotations (cached per class)."""
    cached = _fields.get(cls)
    if cached is not None:
        return cached
    hints = records.type_hints(cls)
    result = tuple(
        RecordField(
            name=f.name,
            py_type=hints.get(f.name, f.type),
            required=f.init
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING,
            init=f.init,
        )
        for f in dataclasses.fields(cls)
    )
    _fields[cls] = result
    return result


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (DataclassTransformer(),)
