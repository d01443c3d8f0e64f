"""Untyped JSON documents as literals: what an untyped ``dict`` (``JsonType``) holds, and the
keys of a ``dict[int, T]``.

A JSON document is stored as the literals its parts are: a map of str keys, lists, strings,
integers, floats, booleans and None, so it hashes, prints and travels like any other value.
"""

from __future__ import annotations

from typing import Any

from aloft.ir.literals import (
    BooleanValue,
    CollectionValue,
    FloatValue,
    IntegerValue,
    Literal,
    MapValue,
    NoneValue,
    StringValue,
)
from aloft.ir.types import SimpleKind

_INT64 = range(-(2**63), 2**63)


class JsonDocumentError(ValueError):
    """A value is not a JSON document; the message says where in it (``key 'a' item 2: ...``)."""


def json_literal(value: Any, where: str = "") -> Literal:
    """The literal of a JSON value: None, a bool, an int (64-bit), a float, a str, or a list
    (or tuple) or dict (str keys) of these.

    Raises:
        JsonDocumentError: a part is none of these, naming where it is.
    """
    if value is None:
        return NoneValue()
    if isinstance(value, bool):
        return BooleanValue(value=value)
    if isinstance(value, int):
        if value not in _INT64:
            raise JsonDocumentError(_at(where, f"integer {value} is outside the 64-bit range"))
        return IntegerValue(value=int(value))
    if isinstance(value, float):
        return FloatValue.of(float(value))
    if isinstance(value, str):
        return StringValue(value=str.__str__(value))
    if isinstance(value, list | tuple):
        return CollectionValue(
            items=tuple(
                json_literal(item, _join(where, f"item {i}")) for i, item in enumerate(value)
            )
        )
    if isinstance(value, dict):
        entries = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise JsonDocumentError(
                    _at(where, f"key {key!r} is not a str (JSON object keys are strings)")
                )
            entries[str.__str__(key)] = json_literal(item, _join(where, f"key {key!r}"))
        return MapValue(entries=entries)
    kind = type(value).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    raise JsonDocumentError(_at(where, f"{article} {kind} is not a JSON value"))


def json_value(literal: Literal) -> Any:
    """The plain value a JSON literal holds (the inverse of :func:`json_literal`)."""
    match literal:
        case NoneValue():
            return None
        case BooleanValue() | IntegerValue() | StringValue():
            return literal.value
        case FloatValue():
            return literal.number
        case CollectionValue():
            return [json_value(item) for item in literal.items]
        case MapValue():
            return {key: json_value(item) for key, item in literal.entries.items()}
    raise JsonDocumentError(f"a {type(literal).__name__} is not part of a JSON document")


def json_misfit(literal: Literal, where: str = "") -> str | None:
    """None if ``literal`` is a JSON document's literal (a map at the top), else why not."""
    if not isinstance(literal, MapValue):
        return _at(where, "expected dict, got a literal that is not a map")
    return _part_misfit(literal, where)


def _part_misfit(literal: Literal, where: str) -> str | None:
    if isinstance(literal, CollectionValue):
        parts = [(f"item {i}", item) for i, item in enumerate(literal.items)]
    elif isinstance(literal, MapValue):
        parts = [(f"key {key!r}", item) for key, item in literal.entries.items()]
    elif isinstance(literal, NoneValue | BooleanValue | IntegerValue | FloatValue | StringValue):
        return None
    else:
        return _at(where, f"a {type(literal).__name__} cannot be part of a dict (JSON) value")
    for place, item in parts:
        reason = _part_misfit(item, _join(where, place))
        if reason is not None:
            return reason
    return None


def map_key_text(key: Any, kind: SimpleKind) -> str:
    """How a ``dict`` key of ``kind`` is held in a map literal: a str as it is, an int as its
    decimal text. Raises ``JsonDocumentError`` for a key of another type."""
    if kind is SimpleKind.INTEGER:
        if isinstance(key, int) and not isinstance(key, bool):
            return str(key)
        raise JsonDocumentError(f"key {key!r} is not an int")
    if isinstance(key, str):
        return str.__str__(key)
    raise JsonDocumentError(f"key {key!r} is not a str")


def map_key_value(text: str, kind: SimpleKind) -> str | int:
    """A map literal's key as the dict key it stands for (the inverse of
    :func:`map_key_text`); an int key's text must be an integer (``JsonDocumentError``)."""
    if kind is not SimpleKind.INTEGER:
        return text
    try:
        value = int(text.strip())
    except ValueError:
        raise JsonDocumentError(f"key {text!r} is not an integer") from None
    if value not in _INT64:
        raise JsonDocumentError(f"key {text!r} is outside the 64-bit range")
    return value


def _join(where: str, step: str) -> str:
    return f"{where} {step}" if where else step


def _at(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message
