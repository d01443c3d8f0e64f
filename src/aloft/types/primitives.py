"""Scalars: int, float, str, bool, bytes and None.

These sit on the task dispatch hot path, so each conversion checks the exact type first and
builds the literal with one constructor call; the slower checks run only when that fails.
"""

from __future__ import annotations

from typing import Any

from aloft.ir import (
    NONE_TYPE,
    BinaryValue,
    BooleanValue,
    FloatValue,
    IntegerValue,
    Literal,
    LiteralType,
    NoneValue,
    SimpleKind,
    SimpleType,
    StringValue,
)
from aloft.types.messages import literal_mismatch, mismatch, text_mismatch
from aloft.types.transformer import TypeTransformer

_NoneType = type(None)
_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


class IntTransformer(TypeTransformer[int]):
    """``int`` ↔ ``IntegerValue``; ``bool`` values are rejected although bool subclasses int."""

    name = "int"
    _type = SimpleType(simple=SimpleKind.INTEGER)

    def handles(self, py_type: Any) -> bool:
        return py_type is int

    def literal_type(self, py_type: Any) -> LiteralType:
        return self._type

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        number = value if type(value) is int else self.from_json_value(value, py_type)
        if not -(2**63) <= number < 2**63:  # as Flyte's integers, and JSON inputs
            raise mismatch(int, number, "outside the 64-bit range")
        return IntegerValue(value=number)

    def to_python(self, literal: Literal, py_type: Any) -> int:
        if type(literal) is IntegerValue:
            return literal.value
        raise literal_mismatch(int, literal)

    def from_json_value(self, data: Any, py_type: Any) -> int:
        if isinstance(data, bool):
            raise mismatch(int, data, "bool is not accepted where int is expected")
        if isinstance(data, int):
            return int(data)
        raise mismatch(int, data)

    def parse_text(self, text: str, py_type: Any) -> int:
        try:
            return int(text.strip())
        except ValueError:
            raise text_mismatch(int, text) from None


class FloatTransformer(TypeTransformer[float]):
    """``float`` ↔ ``FloatValue``; an int (not a bool) is accepted and converted."""

    name = "float"
    _type = SimpleType(simple=SimpleKind.FLOAT)

    def handles(self, py_type: Any) -> bool:
        return py_type is float

    def literal_type(self, py_type: Any) -> LiteralType:
        return self._type

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if type(value) is float:
            return FloatValue.of(value)
        return FloatValue.of(self.from_json_value(value, py_type))

    def to_python(self, literal: Literal, py_type: Any) -> float:
        if type(literal) is FloatValue:
            return literal.number
        if type(literal) is IntegerValue:
            return float(literal.value)
        raise literal_mismatch(float, literal)

    def from_json_value(self, data: Any, py_type: Any) -> float:
        if isinstance(data, bool):
            raise mismatch(float, data, "bool is not accepted where float is expected")
        if isinstance(data, int | float):
            return float(data)
        raise mismatch(float, data)

    def parse_text(self, text: str, py_type: Any) -> float:
        try:
            return float(text.strip())
        except ValueError:
            raise text_mismatch(float, text) from None


class StrTransformer(TypeTransformer[str]):
    """``str`` ↔ ``StringValue``; a command-line string is taken as it is."""

    name = "str"
    _type = SimpleType(simple=SimpleKind.STRING)

    def handles(self, py_type: Any) -> bool:
        return py_type is str

    def literal_type(self, py_type: Any) -> LiteralType:
        return self._type

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if type(value) is str:
            return StringValue(value=value)
        return StringValue(value=self.from_json_value(value, py_type))

    def to_python(self, literal: Literal, py_type: Any) -> str:
        if type(literal) is StringValue:
            return literal.value
        raise literal_mismatch(str, literal)

    def from_json_value(self, data: Any, py_type: Any) -> str:
        if isinstance(data, str):
            return str.__str__(data)  # a plain str, also for str subclasses and str enums
        raise mismatch(str, data)

    def parse_text(self, text: str, py_type: Any) -> str:
        return text


class BoolTransformer(TypeTransformer[bool]):
    """``bool`` ↔ ``BooleanValue``; on the command line true/false, 1/0 or yes/no."""

    name = "bool"
    _type = SimpleType(simple=SimpleKind.BOOLEAN)

    def handles(self, py_type: Any) -> bool:
        return py_type is bool

    def literal_type(self, py_type: Any) -> LiteralType:
        return self._type

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if type(value) is bool:
            return BooleanValue(value=value)
        raise mismatch(bool, value)

    def to_python(self, literal: Literal, py_type: Any) -> bool:
        if type(literal) is BooleanValue:
            return literal.value
        raise literal_mismatch(bool, literal)

    def from_json_value(self, data: Any, py_type: Any) -> bool:
        if type(data) is bool:
            return data
        raise mismatch(bool, data)

    def parse_text(self, text: str, py_type: Any) -> bool:
        word = text.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise text_mismatch(bool, text, "use true/false, 1/0 or yes/no")


class BytesTransformer(TypeTransformer[bytes]):
    """``bytes`` ↔ ``BinaryValue`` (base64 in JSON); a command-line string is UTF-8 encoded."""

    name = "bytes"
    _type = SimpleType(simple=SimpleKind.BINARY)

    def handles(self, py_type: Any) -> bool:
        return py_type is bytes

    def literal_type(self, py_type: Any) -> LiteralType:
        return self._type

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if type(value) is bytes:
            return BinaryValue(value=value)
        if isinstance(value, bytes | bytearray):
            return BinaryValue(value=bytes(value))
        raise mismatch(bytes, value)

    def to_python(self, literal: Literal, py_type: Any) -> bytes:
        if type(literal) is BinaryValue:
            return literal.value
        raise literal_mismatch(bytes, literal)

    def from_json_value(self, data: Any, py_type: Any) -> bytes:
        if isinstance(data, str):
            return data.encode("utf-8")
        raise mismatch(bytes, data, "bytes are given as a UTF-8 string")

    def parse_text(self, text: str, py_type: Any) -> bytes:
        return text.encode("utf-8")


class NoneTransformer(TypeTransformer[None]):
    """``None`` (or ``type(None)``) ↔ ``NoneValue``; on the command line ``None`` or ``null``."""

    name = "None"
    _literal = NoneValue()

    def handles(self, py_type: Any) -> bool:
        return py_type is None or py_type is _NoneType

    def literal_type(self, py_type: Any) -> LiteralType:
        return NONE_TYPE

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if value is None:
            return self._literal
        raise mismatch(None, value)

    def to_python(self, literal: Literal, py_type: Any) -> None:
        if type(literal) is not NoneValue:
            raise literal_mismatch(None, literal)

    def from_json_value(self, data: Any, py_type: Any) -> None:
        if data is not None:
            raise mismatch(None, data)

    def parse_text(self, text: str, py_type: Any) -> None:
        if text.strip() not in ("None", "null"):
            raise text_mismatch(None, text, "use None or null")


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (
    NoneTransformer(),
    BoolTransformer(),
    IntTransformer(),
    FloatTransformer(),
    StrTransformer(),
    BytesTransformer(),
)
