"""Plain JSON values ↔ literals, guided by a literal type alone.

The server validates API inputs with these and clients print outputs with them; neither
imports user code, so only the ``LiteralType`` is known. :func:`literal_from_json` builds the
literal the type engine (``aloft.types``) builds for the corresponding Python value, so a run
launched through the API hashes and caches like one launched from Python.

The JSON forms are those :func:`literal_to_json` writes: numbers, strings, arrays and objects;
datetimes and dates in ISO 8601, durations in seconds, bytes in base64, files and tables by
URI. A JSON value is stricter than a command-line one: an enum is given by value (the type
records no member names), every struct field must be given (the type records no defaults),
and a duration is a number of seconds or ``str(timedelta)`` text (``1 day, 1:30:00``).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from aloft.errors import InputError
from aloft.ir.json_documents import (
    JsonDocumentError,
    json_literal,
    json_misfit,
    map_key_text,
    map_key_value,
)
from aloft.ir.literals import (
    BinaryValue,
    BlobValue,
    BooleanValue,
    CollectionValue,
    DatetimeValue,
    DateValue,
    DurationValue,
    FloatValue,
    HashedValue,
    IntegerValue,
    Literal,
    MapValue,
    NoneValue,
    OffloadedValue,
    PickleValue,
    StringValue,
    StructuredDatasetValue,
    StructValue,
    UnionValue,
)
from aloft.ir.types import (
    BlobDimensionality,
    BlobType,
    CollectionType,
    EnumType,
    JsonType,
    LiteralType,
    MapType,
    PickleType,
    SimpleKind,
    SimpleType,
    StructType,
    StructuredDatasetType,
    UnionType,
    describe,
)

_MAX_SHOWN = 40
_NON_FINITE = frozenset({"nan", "inf", "-inf"})
_CLOCK = re.compile(
    r"(?:(?P<days>-?\d+) days?, |(?P<sign>-))?"
    r"(?P<hours>\d+):(?P<minutes>[0-5]\d):(?P<seconds>[0-5]\d)(?:\.(?P<fraction>\d{1,6}))?"
)
SIMPLE_LITERALS: dict[SimpleKind, type[Literal]] = {
    SimpleKind.NONE: NoneValue,
    SimpleKind.INTEGER: IntegerValue,
    SimpleKind.FLOAT: FloatValue,
    SimpleKind.STRING: StringValue,
    SimpleKind.BOOLEAN: BooleanValue,
    SimpleKind.DATETIME: DatetimeValue,
    SimpleKind.DATE: DateValue,
    SimpleKind.DURATION: DurationValue,
    SimpleKind.BINARY: BinaryValue,
}
"""The literal class each simple type's values are."""


def literal_from_json(value: Any, literal_type: LiteralType, where: str) -> Literal:
    """The literal of JSON value ``value`` (as ``json.loads`` returns it) of ``literal_type``.

    Args:
        value: None, a bool, int, float, str, or a list or dict of these.
        literal_type: The type the value must have.
        where: What the value is, for messages: ``"input 'x'"``.

    Raises:
        InputError: the value does not fit; the message names where in it, what was given
            and the type expected: ``input 'n' item 2: expected int, got "abc"``.
    """
    return _from_json(value, literal_type, _Where(None, "", where))


def literal_to_json(literal: Literal) -> Any:
    """``literal`` as a plain JSON value, the form :func:`literal_from_json` reads back.

    A union gives the value it holds and a hashed value the value it wraps; files, tables and
    offloaded literals give ``{"uri": ...}`` (with ``"format"`` when they have one), and a
    pickle ``{"pickle": uri}`` or, kept inline, ``{"pickle": size in bytes}``.
    """
    match literal:
        case NoneValue():
            return None
        case IntegerValue() | StringValue() | BooleanValue():
            return literal.value
        case FloatValue(value=number):
            return number if isinstance(number, str) else float(number)
        case DatetimeValue() | DateValue():
            return literal.value.isoformat()
        case DurationValue():
            return literal.value.total_seconds()
        case BinaryValue():
            return base64.b64encode(literal.value).decode("ascii")
        case CollectionValue():
            return [literal_to_json(item) for item in literal.items]
        case MapValue():
            return {key: literal_to_json(item) for key, item in literal.entries.items()}
        case StructValue():
            return {name: literal_to_json(item) for name, item in literal.fields.items()}
        case UnionValue() | HashedValue():
            return literal_to_json(literal.value)
        case BlobValue() | StructuredDatasetValue():
            shown = {"uri": literal.uri}
            if literal.format:
                shown["format"] = literal.format
            return shown
        case PickleValue():
            return {"pickle": literal.uri or len(literal.data)}
        case OffloadedValue():
            return {"uri": literal.uri}
    raise TypeError(f"not a literal: {literal!r}")  # pragma: no cover


def literal_fits(literal: Literal, literal_type: LiteralType) -> str | None:
    """None if ``literal`` is a value of ``literal_type`` as the type engine makes one, else
    a short reason: ``item 2: expected int, got a str literal``.

    A hashed value fits if the value it wraps (not itself hashed) does. An offloaded literal
    never fits: it names a blob of the sender's, which a receiver must not be made to read;
    nor does an integer outside 64 bits.
    """
    return _misfit(literal, literal_type, _Where(None, "", ""))


@dataclass(frozen=True, slots=True)
class _Where:
    """A place inside a value, rendered only when a message names it.

    ``kind`` is ``"field"``, ``"item"`` or ``"key"``; the root has kind ``""`` and holds the
    caller's text (``input 'x'``) as its name.
    """

    parent: _Where | None
    kind: str
    name: str | int

    def field(self, name: str) -> _Where:
        return _Where(self, "field", name)

    def item(self, index: int) -> _Where:
        return _Where(self, "item", index)

    def key(self, key: str) -> _Where:
        return _Where(self, "key", key)

    def __str__(self) -> str:
        chain: list[_Where] = []
        node: _Where | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        words: list[str] = []
        fields: list[str] = []
        for step in reversed(chain):
            if step.kind == "field":
                fields.append(str(step.name))
                continue
            if fields:
                words.append(f"field {'.'.join(fields)!r}")
                fields = []
            if step.kind == "item":
                words.append(f"item {step.name}")
            elif step.kind == "key":
                words.append(f"key {step.name!r}")
            elif step.name:
                words.append(str(step.name))
        if fields:
            words.append(f"field {'.'.join(fields)!r}")
        return " ".join(words)


def _at(where: _Where, message: str) -> str:
    place = str(where)
    return f"{place}: {message}" if place else message


def _refuse(value: Any, literal_type: LiteralType, where: _Where, hint: str = "") -> InputError:
    message = f"expected {describe(literal_type)}, got {_shown(value)}"
    return InputError(_at(where, f"{message} ({hint})" if hint else message))


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):  # not JSON after all: a caller's object
        text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


# -- JSON to literals ---------------------------------------------------------------------------


def _from_json(value: Any, literal_type: LiteralType, where: _Where) -> Literal:
    match literal_type:
        case SimpleType(simple=kind):
            return _simple_from_json(value, kind, literal_type, where)
        case CollectionType(element=element):
            if not isinstance(value, list):
                raise _refuse(value, literal_type, where, "give a JSON array")
            return CollectionValue(
                items=tuple(
                    _from_json(item, element, where.item(index)) for index, item in enumerate(value)
                )
            )
        case MapType(value=value_type, key=key_kind):
            if not isinstance(value, dict):
                raise _refuse(value, literal_type, where, "give a JSON object")
            entries: dict[str, Literal] = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    raise _refuse(value, literal_type, where, f"key {key!r} is not a str")
                try:
                    text = map_key_text(map_key_value(key, key_kind), key_kind)
                except JsonDocumentError as exc:
                    raise _refuse(value, literal_type, where, str(exc)) from None
                entries[text] = _from_json(item, value_type, where.key(key))
            return MapValue(entries=entries)
        case JsonType():
            if not isinstance(value, dict):
                raise _refuse(value, literal_type, where, "give a JSON object")
            try:
                return json_literal(value, str(where))
            except JsonDocumentError as exc:
                raise InputError(str(exc)) from None
        case EnumType(values=values):
            if isinstance(value, str) and value in values:
                return StringValue(value=str.__str__(value))
            choices = ", ".join(json.dumps(choice, ensure_ascii=False) for choice in values)
            raise _refuse(value, literal_type, where, f"one of {choices}")
        case UnionType():
            return _union_from_json(value, literal_type, where)
        case StructType():
            return _struct_from_json(value, literal_type, where)
        case BlobType(format=fmt, dimensionality=dimensionality):
            uri, given = _reference(value, literal_type, where, ("uri", "format"))
            if fmt and given and given != fmt:
                raise _refuse(value, literal_type, where, f"it is {given}, not {fmt}")
            return BlobValue(uri=uri, format=fmt or given, dimensionality=dimensionality)
        case StructuredDatasetType(format=fmt):
            uri, given = _reference(value, literal_type, where, ("uri", "format", "file_format"))
            if fmt and given and given.lower() != fmt.lower():
                raise _refuse(value, literal_type, where, f"it is stored as {given}, not {fmt}")
            return StructuredDatasetValue(uri=uri, format=fmt or given or _guess_format(uri))
        case PickleType():
            if value is None:  # the engine does not pickle None either
                return NoneValue()
            raise _refuse(value, literal_type, where, "a pickled type cannot be given as JSON")
    raise TypeError(f"not a literal type: {literal_type!r}")  # pragma: no cover


def _simple_from_json(
    value: Any, kind: SimpleKind, literal_type: LiteralType, where: _Where
) -> Literal:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    match kind:
        case SimpleKind.NONE:
            if value is None:
                return NoneValue()
        case SimpleKind.INTEGER:
            if isinstance(value, int) and not isinstance(value, bool):
                if not -(2**63) <= value < 2**63:
                    raise _refuse(value, literal_type, where, "outside the 64-bit range")
                return IntegerValue(value=int(value))
        case SimpleKind.FLOAT:
            if number:
                try:
                    return FloatValue.of(float(value))
                except OverflowError:
                    raise _refuse(value, literal_type, where, "too large for a float") from None
            if isinstance(value, str) and value in _NON_FINITE:
                return FloatValue(value=value)
            if isinstance(value, str):
                raise _refuse(value, literal_type, where, 'a number, "nan", "inf" or "-inf"')
        case SimpleKind.STRING:
            if isinstance(value, str):
                return StringValue(value=str.__str__(value))
        case SimpleKind.BOOLEAN:
            if isinstance(value, bool):
                return BooleanValue(value=value)
        case SimpleKind.DATETIME:
            if isinstance(value, str):
                try:
                    return DatetimeValue.of(datetime.datetime.fromisoformat(value.strip()))
                except ValueError:
                    pass
            raise _refuse(value, literal_type, where, "use ISO 8601, e.g. 2024-01-31T12:00:00Z")
        case SimpleKind.DATE:
            if isinstance(value, str):
                try:
                    return DateValue(value=datetime.date.fromisoformat(value.strip()))
                except ValueError:
                    pass
            raise _refuse(value, literal_type, where, "use ISO 8601, e.g. 2024-01-31")
        case SimpleKind.DURATION:
            duration = _duration(value) if number or isinstance(value, str) else None
            if duration is not None:
                return DurationValue(value=duration)
            raise _refuse(value, literal_type, where, "give seconds, or H:MM:SS text")
        case SimpleKind.BINARY:
            if isinstance(value, str):
                try:
                    return BinaryValue(value=base64.b64decode(value, validate=True))
                except (binascii.Error, ValueError):
                    pass
            raise _refuse(value, literal_type, where, "give the bytes in base64")
    raise _refuse(value, literal_type, where)


def _duration(value: float | str) -> datetime.timedelta | None:
    """Seconds, or ``str(timedelta)`` text (``-1 day, 23:59:59.5``, ``-0:05:00``)."""
    if not isinstance(value, str):
        try:
            return datetime.timedelta(seconds=value) if math.isfinite(value) else None
        except OverflowError:
            return None
    clock = _CLOCK.fullmatch(value.strip())
    if clock is None:
        return None
    try:
        duration = datetime.timedelta(
            days=int(clock["days"] or 0),
            hours=int(clock["hours"]),
            minutes=int(clock["minutes"]),
            seconds=int(clock["seconds"]),
            microseconds=int((clock["fraction"] or "0").ljust(6, "0")),
        )
    except OverflowError:
        return None
    return -duration if clock["sign"] else duration


def _union_from_json(value: Any, literal_type: UnionType, where: _Where) -> Literal:
    """The union value of the variant of the value's own JSON type (looking into arrays and
    objects), else of the first variant (in declaration order) that accepts it, as the engine
    picks for a Python value."""
    kind = _json_kind(value)
    exact = [v for v in literal_type.variants if _exact_kind(v) == kind]
    if len(exact) > 1:  # list[float] and list[int] both take arrays: look inside
        exact.sort(key=lambda variant: not _holds_exactly(value, variant))
    first_error: InputError | None = None
    for variant in exact:
        try:
            return UnionValue(variant=describe(variant), value=_from_json(value, variant, where))
        except InputError as error:
            first_error = first_error or error
    for variant in literal_type.variants:
        if variant in exact:
            continue
        try:
            return UnionValue(variant=describe(variant), value=_from_json(value, variant, where))
        except InputError:
            continue
    # The variant of the value's own type explains the failure best (a bad item, say).
    raise first_error or _refuse(value, literal_type, where)


def _holds_exactly(value: Any, literal_type: LiteralType, depth: int = 0) -> bool:
    """Whether ``value`` is of ``literal_type`` all the way down without conversion (as the
    engine judges a Python value: ``[1]`` is a list of ints, not of floats)."""
    if depth > 32:
        return True
    match literal_type:
        case CollectionType(element=element):
            return isinstance(value, list) and all(
                _holds_exactly(item, element, depth + 1) for item in value
            )
        case MapType(value=value_type):
            return isinstance(value, dict) and all(
                _holds_exactly(item, value_type, depth + 1) for item in value.values()
            )
        case UnionType(variants=variants):
            return any(_holds_exactly(value, variant, depth + 1) for variant in variants)
    kind = _exact_kind(literal_type)
    return kind is None or _json_kind(value) is kind


def _json_kind(value: Any) -> type[Any]:
    return type(None) if value is None else type(value)


def _exact_kind(variant: LiteralType) -> type[Any] | None:
    """The JSON type a Python value of this variant would have, where there is one."""
    match variant:
        case SimpleType(simple=SimpleKind.NONE):
            return type(None)
        case SimpleType(simple=SimpleKind.INTEGER):
            return int
        case SimpleType(simple=SimpleKind.FLOAT):
            return float
        case SimpleType(simple=SimpleKind.STRING):
            return str
        case SimpleType(simple=SimpleKind.BOOLEAN):
            return bool
        case CollectionType():
            return list
        case MapType():
            return dict
    return None


def _struct_from_json(value: Any, literal_type: StructType, where: _Where) -> Literal:
    if not isinstance(value, dict):
        raise _refuse(value, literal_type, where, "give a JSON object")
    names = [field.name for field in literal_type.fields]
    unknown = [key for key in value if key not in names]
    if unknown:
        listed = ", ".join(repr(key) for key in unknown)
        known = ", ".join(names) or "(none)"
        hint = f"unknown {_fields_word(unknown)} {listed}; its fields are {known}"
        raise _refuse(value, literal_type, where, hint)
    missing = [name for name in names if name not in value]
    if missing:
        listed = ", ".join(repr(name) for name in missing)
        raise _refuse(value, literal_type, where, f"missing {_fields_word(missing)} {listed}")
    return StructValue(
        fields={
            field.name: _from_json(value[field.name], field.type, where.field(field.name))
            for field in literal_type.fields
        }
    )


def _fields_word(names: list[str]) -> str:
    return "fields" if len(names) > 1 else "field"


def _reference(
    value: Any, literal_type: LiteralType, where: _Where, keys: tuple[str, ...]
) -> tuple[str, str]:
    """The URI and the format (``""`` if not given) of a file or table given by reference:
    a URL, an absolute path, or ``{"uri": ..., "format": ...}``."""
    hint = "give a URL, an absolute path or {" + ", ".join(f'"{key}": ...' for key in keys) + "}"
    given = ""
    if isinstance(value, dict):
        unknown = [key for key in value if key not in keys]
        formats = [value[key] for key in keys[1:] if key in value]
        if unknown or not all(isinstance(fmt, str) for fmt in formats):
            raise _refuse(value, literal_type, where, hint)
        given = next((fmt for fmt in formats if fmt), "")
        text = value.get("uri")
    else:
        text = value
    if not isinstance(text, str) or not text.strip():
        raise _refuse(value, literal_type, where, hint)
    if "://" in text:
        return text, given
    if text.startswith("/"):  # as the engine names a local file it passes without uploading
        return "file://" + text, given
    raise _refuse(value, literal_type, where, "give a URL or an absolute path, not a relative one")


def _guess_format(uri: str) -> str:
    """As the engine guesses a table's format from its name: csv, else parquet."""
    return "csv" if uri.rstrip("/").lower().endswith(".csv") else "parquet"


# -- checking literals --------------------------------------------------------------------------


def _misfit(literal: Literal, literal_type: LiteralType, where: _Where) -> str | None:
    if isinstance(literal, HashedValue):
        literal = literal.value
        if isinstance(literal, HashedValue):
            return _at(where, "a hashed literal cannot wrap another hashed literal")
    if isinstance(literal, OffloadedValue):
        return _at(where, "an offloaded literal cannot be given here; give the value itself")
    if isinstance(literal, IntegerValue) and not -(2**63) <= literal.value < 2**63:
        return _at(where, f"integer {literal.value} is outside the 64-bit range")
    match literal_type:
        case SimpleType(simple=kind):
            if type(literal) is SIMPLE_LITERALS[kind]:
                return None
        case CollectionType(element=element) if isinstance(literal, CollectionValue):
            for index, item in enumerate(literal.items):
                reason = _misfit(item, element, where.item(index))
                if reason is not None:
                    return reason
            return None
        case MapType(value=value_type, key=key_kind) if isinstance(literal, MapValue):
            for key, item in literal.entries.items():
                try:
                    map_key_value(key, key_kind)
                except JsonDocumentError as exc:
                    return _at(where, f"expected {describe(literal_type)}: {exc}")
                reason = _misfit(item, value_type, where.key(key))
                if reason is not None:
                    return reason
            return None
        case EnumType(values=values) if isinstance(literal, StringValue):
            if literal.value in values:
                return None
            choices = ", ".join(repr(choice) for choice in values)
            got = f"str literal {literal.value!r}"
            return _at(where, f"expected {describe(literal_type)}, got {got} (one of {choices})")
        case UnionType(variants=variants) if isinstance(literal, UnionValue):
            for variant in variants:
                if describe(variant) == literal.variant:
                    return _misfit(literal.value, variant, where)
            got = f"a union literal of variant {literal.variant!r}"
            return _at(where, f"expected {describe(literal_type)}, got {got}")
        case StructType() if isinstance(literal, StructValue):
            return _struct_misfit(literal, literal_type, where)
        case BlobType(format=fmt, dimensionality=dimensionality) if isinstance(literal, BlobValue):
            if literal.dimensionality != dimensionality:
                got = (
                    "a file" if literal.dimensionality == BlobDimensionality.SINGLE else "a folder"
                )
                return _at(where, f"expected {describe(literal_type)}, got {got}")
            if fmt and literal.format and literal.format != fmt:
                return _at(where, f"expected {describe(literal_type)}, got a {literal.format} file")
            return None
        case StructuredDatasetType(format=fmt) if isinstance(literal, StructuredDatasetValue):
            if fmt and literal.format and literal.format.lower() != fmt.lower():
                got = f"a table stored as {literal.format}"
                return _at(where, f"expected {describe(literal_type)} stored as {fmt}, got {got}")
            return None
        case PickleType() if isinstance(literal, PickleValue | NoneValue):
            return None
        case JsonType() if isinstance(literal, MapValue):
            return json_misfit(literal, str(where))
    return _at(where, f"expected {describe(literal_type)}, got {_kind_of(literal)}")


def _struct_misfit(literal: StructValue, literal_type: StructType, where: _Where) -> str | None:
    names = [field.name for field in literal_type.fields]
    expected = f"expected {describe(literal_type)}"
    unknown = [name for name in literal.fields if name not in names]
    if unknown:
        return _at(where, f"{expected}, got a struct literal with unknown field {unknown[0]!r}")
    for field in literal_type.fields:
        item = literal.fields.get(field.name)
        if item is None:
            return _at(where, f"{expected}, got a struct literal without field {field.name!r}")
        reason = _misfit(item, field.type, where.field(field.name))
        if reason is not None:
            return reason
    return None


def _kind_of(literal: Literal) -> str:
    """``an int literal``, ``a str literal``: the literal's tag with its article."""
    tag = str(type(literal).__struct_config__.tag)
    return f"{'an' if tag[0] in 'aeiou' else 'a'} {tag} literal"
