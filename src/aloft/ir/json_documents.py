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


class _Misfit(Exception):
    """A part that is not JSON, raised from deep in a document: the steps to it are added
    as it rises, so a document that fits builds no location text at all."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.steps: list[str] = []

    def at(self, step: str) -> _Misfit:
        self.steps.append(step)
        return self

    def message(self, where: str) -> str:
        place = " ".join([where, *reversed(self.steps)]).strip()
        return _at(place, self.problem)


def json_literal(value: Any, where: str = "") -> Literal:
    """The literal of a JSON value: None, a bool, an int (64-bit), a float, a str, or a list
    (or tuple) or dict (str keys) of these.

    Raises:
        JsonDocumentError: a part is none of these, naming where it is.
    """
    try:
        return _literal(value)
    except _Misfit as misfit:
        raise JsonDocumentError(misfit.message(where)) from None


def _literal(value: Any) -> Literal:
    if value is None:
        return NoneValue()
    if isinstance(value, bool):
        return BooleanValue(value=value)
    if isinstance(value, int):
        if value not in _INT64:
            raise _Misfit(f"integer {value} is outside the 64-bit range")
        return IntegerValue(value=int(value))
    if isinstance(value, float):
        return FloatValue.of(float(value))
    if isinstance(value, str):
        return StringValue(value=str.__str__(value))
    if isinstance(value, list | tuple):
        items = []
        for i, item in enumerate(value):
            try:
                items.append(_literal(item))
            except _Misfit as misfit:
                raise misfit.at(f"item {i}") from None
        return CollectionValue(items=tuple(items))
    if isinstance(value, dict):
        entries = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Misfit(f"key {key!r} is not a str (JSON object keys are strings)")
            try:
                entries[str.__str__(key)] = _literal(item)
            except _Misfit as misfit:
                raise misfit.at(f"key {key!r}") from None
        return MapValue(entries=entries)
    kind = type(value).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    raise _Misfit(f"{article} {kind} is not a JSON value")


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
    try:
        _check_part(literal)
    except _Misfit as misfit:
        return misfit.message(where)
    return None


def _check_part(literal: Literal) -> None:
    if isinstance(literal, NoneValue | BooleanValue | IntegerValue | FloatValue | StringValue):
        return
    if isinstance(literal, CollectionValue):
        for i, item in enumerate(literal.items):
            try:
                _check_part(item)
            except _Misfit as misfit:
                raise misfit.at(f"item {i}") from None
    elif isinstance(literal, MapValue):
        for key, entry in literal.entries.items():
            try:
                _check_part(entry)
            except _Misfit as misfit:
                raise misfit.at(f"key {key!r}") from None
    else:
        raise _Misfit(f"a {type(literal).__name__} cannot be part of a dict (JSON) value")


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


def _at(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message
