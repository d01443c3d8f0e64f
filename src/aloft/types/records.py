"""What dataclasses and pydantic models share: a record of named, typed fields ↔ ``StructValue``.

A record's literal type is ``StructType(name=cls.__qualname__, fields=...)`` and its value a
``StructValue`` holding one literal per field. Decoding ignores fields the class no longer
has and leaves fields missing from the literal to the class's defaults, so a record can gain
a defaulted field without breaking values stored before.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from aloft.errors import TypeTransformerError
from aloft.ir import Literal, StructField, StructType, StructValue
from aloft.types import engine
from aloft.types.messages import at, literal_mismatch, mismatch, python_type_name


@dataclass(frozen=True)
class RecordField:
    """One field of a record class.

    Attributes:
        name: The attribute name.
        py_type: The resolved annotation.
        required: Whether a value must be given (no default).
        init: Whether the constructor takes it (a dataclass ``field(init=False)`` does not).
    """

    name: str
    py_type: Any
    required: bool
    init: bool = True


def type_hints(cls: type[Any]) -> dict[str, Any]:
    """``typing.get_type_hints(cls, include_extras=True)``, with a clear error if it fails."""
    try:
        return typing.get_type_hints(cls, include_extras=True)
    except Exception as error:  # NameError for a forward reference, or anything the eval raises
        raise TypeTransformerError(
            f"cannot resolve the annotations of {python_type_name(cls)}: {error}"
        ) from error


def struct_type(cls: type[Any], fields: tuple[RecordField, ...]) -> StructType:
    """The literal type of a record class."""
    struct_fields = []
    for record_field in fields:
        try:
            field_type = engine.literal_type_of(record_field.py_type)
        except TypeTransformerError as error:
            raise _at_field(record_field, cls, error) from None
        struct_fields.append(StructField(name=record_field.name, type=field_type))
    return StructType(name=cls.__qualname__, fields=tuple(struct_fields))


def encode(value: Any, cls: type[Any], fields: tuple[RecordField, ...]) -> StructValue:
    """Encode a record instance field by field."""
    if not isinstance(value, cls):
        raise mismatch(cls, value)
    literals: dict[str, Literal] = {}
    for record_field in fields:
        try:
            literals[record_field.name] = engine.to_literal(
                getattr(value, record_field.name), record_field.py_type
            )
        except TypeTransformerError as error:
            raise _at_field(record_field, cls, error) from None
    return StructValue(fields=literals)


def decode(literal: Literal, cls: type[Any], fields: tuple[RecordField, ...]) -> dict[str, Any]:
    """Decode a ``StructValue`` into constructor keyword arguments (missing ones left out)."""
    if type(literal) is not StructValue:
        raise literal_mismatch(cls, literal)
    kwargs: dict[str, Any] = {}
    for record_field in fields:
        field_literal = literal.fields.get(record_field.name)
        if field_literal is None:
            if record_field.required:
                raise _missing(record_field, cls)
            continue
        if not record_field.init:
            continue
        try:
            kwargs[record_field.name] = engine.to_python(field_literal, record_field.py_type)
        except TypeTransformerError as error:
            raise _at_field(record_field, cls, error) from None
    return kwargs


def decode_json(data: Any, cls: type[Any], fields: tuple[RecordField, ...]) -> dict[str, Any]:
    """Check a JSON object against the fields and convert each; unknown keys are an error."""
    if not isinstance(data, dict):
        raise mismatch(cls, data, "give a JSON object")
    by_name = {f.name: f for f in fields if f.init}
    unknown = [key for key in data if key not in by_name]
    if unknown:
        raise TypeTransformerError(
            f"{python_type_name(cls)} has no field {unknown[0]!r}; "
            f"its fields are {', '.join(by_name) or '(none)'}"
        )
    kwargs: dict[str, Any] = {}
    for name, record_field in by_name.items():
        if name not in data:
            if record_field.required:
                raise _missing(record_field, cls)
            continue
        try:
            kwargs[name] = engine.from_json_value(data[name], record_field.py_type)
        except TypeTransformerError as error:
            raise _at_field(record_field, cls, error) from None
    return kwargs


def construct(cls: type[Any], kwargs: dict[str, Any]) -> Any:
    """Call the class with decoded fields; a failing constructor is reported as a type error."""
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as error:
        raise TypeTransformerError(f"cannot construct {python_type_name(cls)}: {error}") from error


def _at_field(
    record_field: RecordField, cls: type[Any], error: TypeTransformerError
) -> TypeTransformerError:
    return at(f"field {record_field.name!r} of {python_type_name(cls)}", error)


def _missing(record_field: RecordField, cls: type[Any]) -> TypeTransformerError:
    return TypeTransformerError(
        f"field {record_field.name!r} of {python_type_name(cls)} is missing and has no default"
    )
