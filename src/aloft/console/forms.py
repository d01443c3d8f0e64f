"""Typed input forms: one field per input of an interface, and what a submitted form means.

A field's widget follows the input's literal type: a text box for numbers, strings, dates and
durations, a choice for booleans and enums, a JSON text area for anything structured. A
submitted field is read as the JSON value the server's input validation takes
(``aloft.ir.literal_from_json``, what ``aloft.server.inputs`` uses), and every field that
does not fit gets its own message, so the form can show each at its field.

An empty field is not given: the input's default (or the launch plan's) applies, and every
required input left empty is named at its field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aloft.errors import InputError
from aloft.ir import (
    Literal,
    TypedInterface,
    describe,
    literal_from_json,
    literal_to_json,
)
from aloft.ir.types import (
    NONE_TYPE,
    EnumType,
    LiteralType,
    SimpleKind,
    SimpleType,
    UnionType,
)

_TEXT_KINDS = {
    SimpleKind.INTEGER: "integer",
    SimpleKind.FLOAT: "number",
    SimpleKind.STRING: "text",
    SimpleKind.DATETIME: "datetime",
    SimpleKind.DATE: "date",
    SimpleKind.DURATION: "duration",
    SimpleKind.BINARY: "base64",
}
_HINTS = {
    "integer": "a whole number",
    "number": "a number",
    "datetime": "ISO 8601, e.g. 2024-05-01T12:00:00+00:00",
    "date": "YYYY-MM-DD",
    "duration": "seconds, or H:MM:SS",
    "base64": "base64",
    "json": "JSON",
}


@dataclass(frozen=True)
class FormField:
    """One input of a form: its name, type, widget (``text`` kinds, ``boolean``, ``choice``
    or ``json``), the choices of a choice, the text shown in it, and a hint."""

    name: str
    type: str
    widget: str
    value: str
    required: bool
    choices: tuple[str, ...] = ()
    hint: str = ""
    fixed: bool = False
    description: str = ""


@dataclass
class FormOutcome:
    """A submitted form read: the JSON values given by input name, the literals they convert
    to, and a message per field that does not fit (empty if every field does)."""

    values: dict[str, Any] = field(default_factory=dict)
    literals: dict[str, Literal] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def form_fields(
    interface: TypedInterface,
    defaults: Mapping[str, Literal] | None = None,
    fixed: Mapping[str, Literal] | None = None,
    given: Mapping[str, str] | None = None,
) -> list[FormField]:
    """The fields of a form for ``interface``'s inputs: filled with what was ``given`` (a
    form shown again), else the launch plan's ``defaults`` or the input's own default.
    ``fixed`` inputs are shown and cannot be changed."""
    defaults, fixed, given = defaults or {}, fixed or {}, given or {}
    fields = []
    for name, variable in interface.inputs.items():
        widget, choices = _widget(variable.type)
        default = next(
            (d for d in (fixed.get(name), defaults.get(name), variable.default) if d is not None),
            None,
        )
        text = given[name] if name in given else _text(default) if default is not None else ""
        fields.append(
            FormField(
                name=name,
                type=describe(variable.type),
                widget=widget,
                value=text,
                required=default is None,
                choices=choices,
                hint=_HINTS.get(widget, ""),
                fixed=name in fixed,
                description=variable.description,
            )
        )
    return fields


EXECUTION_NAME = "_execution_name"
"""The launch form's field for the new execution's name (inputs never start with ``_``)."""
REQUIRED = "required: give a value (there is no default)"
"""The message at a required field left empty."""


def read_form(
    interface: TypedInterface,
    form: Mapping[str, str],
    defaults: Mapping[str, Literal] | None = None,
    fixed: Mapping[str, Literal] | None = None,
) -> FormOutcome:
    """What a submitted ``form`` gives for ``interface``'s inputs: each non-empty field read
    as its type's JSON value and checked to fit it; an empty one left to its default (the
    launch plan's ``defaults`` or the input's own), or named if it has none; fixed inputs
    are left to the launch."""
    outcome = FormOutcome()
    for name, variable in interface.inputs.items():
        text = form.get(name, "")
        if name in (fixed or {}):
            continue
        if text.strip() == "":
            if variable.default is None and name not in (defaults or {}):
                outcome.errors[name] = REQUIRED
            continue
        where = f"input {name!r}"
        try:
            value = _json_value(text, variable.type)
            literal = literal_from_json(value, variable.type, where)
        except InputError as exc:
            outcome.errors[name] = field_message(str(exc), name)
            continue
        outcome.values[name] = value
        outcome.literals[name] = literal
    return outcome


def field_message(message: str, name: str) -> str:
    """``message`` without the ``input 'name':`` it starts with, since the field it is shown
    at names the input already."""
    for prefix in (f"input {name!r}: ", f"input {name!r} "):
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message


def _widget(literal_type: LiteralType) -> tuple[str, tuple[str, ...]]:
    inner = _optional(literal_type) or literal_type
    match inner:
        case SimpleType(simple=SimpleKind.BOOLEAN):
            return "boolean", ("true", "false")
        case SimpleType(simple=kind) if kind in _TEXT_KINDS:
            return _TEXT_KINDS[kind], ()
        case EnumType(values=values):
            return "choice", values
    return "json", ()


def _optional(literal_type: LiteralType) -> LiteralType | None:
    """The type an ``Optional[T]`` holds (T), else None."""
    if isinstance(literal_type, UnionType) and len(literal_type.variants) == 2:
        others = [v for v in literal_type.variants if v != NONE_TYPE]
        if len(others) == 1:
            return others[0]
    return None


def _json_value(text: str, literal_type: LiteralType) -> Any:
    """The JSON value typed ``text`` stands for, for ``literal_type``."""
    widget, _ = _widget(literal_type)
    if widget == "json":
        try:
            return json.loads(text)
        except ValueError as exc:
            raise InputError(f"not valid JSON: {exc.args[0] if exc.args else exc}") from None
    stripped = text.strip()
    if widget == "boolean":
        lowered = stripped.lower()
        return {"true": True, "false": False}.get(lowered, stripped)
    if widget in ("integer", "number", "duration"):
        for parse in (int, float) if widget != "integer" else (int,):
            try:
                return parse(stripped)
            except ValueError:
                continue
        return stripped  # refused by the type's own check, naming what was given
    return text if widget == "text" else stripped


def _text(literal: Literal) -> str:
    """How a default value is written in its field."""
    value = literal_to_json(literal)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False)
