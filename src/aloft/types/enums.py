"""Enums with string values ↔ ``StringValue`` of the member's value (as flytekit requires).

On the command line a member is given by its name (``RED``) or its value (``red``).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from aloft.errors import TypeTransformerError
from aloft.ir import EnumType, Literal, LiteralType, StringValue
from aloft.types.messages import (
    describe_value,
    literal_mismatch,
    mismatch,
    python_type_name,
    short_repr,
    text_mismatch,
)
from aloft.types.transformer import TypeTransformer


class EnumTransformer(TypeTransformer[Enum]):
    """``Enum`` subclasses whose values are all ``str``."""

    name = "Enum"

    def handles(self, py_type: Any) -> bool:
        return isinstance(py_type, type) and issubclass(py_type, Enum)

    def literal_type(self, py_type: Any) -> LiteralType:
        for member in py_type:
            _check_value(py_type, member)
        return EnumType(name=py_type.__name__, values=tuple(str.__str__(m.value) for m in py_type))

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if isinstance(value, py_type):
            return StringValue(value=_check_value(py_type, value))
        raise mismatch(py_type, value)

    def to_python(self, literal: Literal, py_type: Any) -> Enum:
        if type(literal) is StringValue:
            try:
                member: Enum = py_type(literal.value)
            except ValueError:
                raise literal_mismatch(py_type, literal, _choices(py_type)) from None
            return member
        raise literal_mismatch(py_type, literal)

    def from_json_value(self, data: Any, py_type: Any) -> Enum:
        if isinstance(data, str):
            member = _lookup(py_type, data, by_name_first=False)
            if member is not None:
                return member
        raise mismatch(py_type, data, _choices(py_type))

    def parse_text(self, text: str, py_type: Any) -> Enum:
        member = _lookup(py_type, text.strip(), by_name_first=True)
        if member is None:
            raise text_mismatch(py_type, text, _choices(py_type))
        return member


def _check_value(enum_type: Any, member: Enum) -> str:
    value = member.value
    if not isinstance(value, str):
        raise TypeTransformerError(
            f"enum {python_type_name(enum_type)} must have str values, "
            f"got {describe_value(value)} for {member.name}"
        )
    return str.__str__(value)


def _lookup(enum_type: Any, text: str, *, by_name_first: bool) -> Enum | None:
    by_name: Enum | None = enum_type.__members__.get(text)
    by_value: Enum | None = next((m for m in enum_type if m.value == text), None)
    first, second = (by_name, by_value) if by_name_first else (by_value, by_name)
    return first if first is not None else second  # members may be falsy (a "" value)


def _choices(enum_type: Any) -> str:
    names = ", ".join(f"{m.name} ({short_repr(m.value)})" for m in enum_type)
    return f"one of {names}"


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (EnumTransformer(),)
