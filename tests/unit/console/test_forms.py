"""Typed launch forms: the widget each input type gets, and how submitted text is read, with a
message for each field that does not fit."""

from __future__ import annotations

from aloft.console.forms import form_fields, read_form
from aloft.ir import (
    NONE_TYPE,
    CollectionType,
    EnumType,
    IntegerValue,
    SimpleKind,
    SimpleType,
    StringValue,
    StructField,
    StructType,
    TypedInterface,
    UnionType,
    Variable,
)

INT = SimpleType(simple=SimpleKind.INTEGER)
FLOAT = SimpleType(simple=SimpleKind.FLOAT)
STR = SimpleType(simple=SimpleKind.STRING)
BOOL = SimpleType(simple=SimpleKind.BOOLEAN)
DATE = SimpleType(simple=SimpleKind.DATE)
DURATION = SimpleType(simple=SimpleKind.DURATION)
COLOUR = EnumType(name="Colour", values=("red", "green"))
POINT = StructType(name="Point", fields=(StructField(name="x", type=INT),))

INTERFACE = TypedInterface(
    inputs={
        "count": Variable(type=INT),
        "ratio": Variable(type=FLOAT, default=IntegerValue(value=1)),
        "name": Variable(type=STR),
        "loud": Variable(type=BOOL),
        "colour": Variable(type=COLOUR, default=StringValue(value="red")),
        "day": Variable(type=DATE),
        "wait": Variable(type=DURATION),
        "items": Variable(type=CollectionType(element=INT)),
        "maybe": Variable(type=UnionType(variants=(INT, NONE_TYPE))),
        "point": Variable(type=POINT),
    }
)


def test_each_type_gets_its_widget_and_defaults_fill_the_fields() -> None:
    fields = {f.name: f for f in form_fields(INTERFACE)}
    assert {name: f.widget for name, f in fields.items()} == {
        "count": "integer",
        "ratio": "number",
        "name": "text",
        "loud": "boolean",
        "colour": "choice",
        "day": "date",
        "wait": "duration",
        "items": "json",
        "maybe": "integer",
        "point": "json",
    }
    assert fields["colour"].choices == ("red", "green")
    assert fields["colour"].value == "red" and not fields["colour"].required
    assert fields["count"].required and fields["count"].value == ""
    assert fields["items"].type == "list[int]" and fields["maybe"].type == "Optional[int]"


def test_a_launch_plan_default_wins_and_fixed_inputs_are_marked() -> None:
    fields = {
        f.name: f
        for f in form_fields(
            INTERFACE,
            defaults={"count": IntegerValue(value=7)},
            fixed={"name": StringValue(value="fixed")},
        )
    }
    assert (fields["count"].value, fields["count"].required) == ("7", False)
    assert (fields["name"].value, fields["name"].fixed) == ("fixed", True)


def test_what_was_given_is_shown_again() -> None:
    fields = {f.name: f for f in form_fields(INTERFACE, given={"count": "abc"})}
    assert fields["count"].value == "abc"


def test_submitted_text_becomes_the_json_value_of_each_type() -> None:
    outcome = read_form(
        INTERFACE,
        {
            "count": " 12 ",
            "ratio": "0.5",
            "name": "  spaced  ",
            "loud": "true",
            "colour": "green",
            "day": "2024-05-01",
            "wait": "90",
            "items": "[1, 2, 3]",
            "maybe": "4",
            "point": '{"x": 1}',
        },
    )
    assert outcome.errors == {}
    assert outcome.values == {
        "count": 12,
        "ratio": 0.5,
        "name": "  spaced  ",
        "loud": True,
        "colour": "green",
        "day": "2024-05-01",
        "wait": 90,
        "items": [1, 2, 3],
        "maybe": 4,
        "point": {"x": 1},
    }


def test_every_field_that_does_not_fit_gets_its_own_message() -> None:
    outcome = read_form(
        INTERFACE,
        {
            "count": "abc",
            "ratio": "fast",
            "loud": "perhaps",
            "colour": "blue",
            "day": "yesterday",
            "items": "[1, 'two']",
            "point": '{"y": 1}',
            "name": "ok",
            "wait": "5",
            "maybe": "1",
        },
    )
    assert set(outcome.errors) == {"count", "ratio", "loud", "colour", "day", "items", "point"}
    assert outcome.errors["count"] == 'expected int, got "abc"'
    assert outcome.errors["colour"].startswith('expected Colour, got "blue"')
    assert outcome.errors["items"].startswith("not valid JSON")
    assert "Traceback" not in "".join(outcome.errors.values())
    assert outcome.values == {"name": "ok", "wait": 5, "maybe": 1}


def test_empty_fields_with_a_default_and_fixed_fields_are_left_to_the_launch() -> None:
    outcome = read_form(
        INTERFACE,
        {"count": "", "ratio": " ", "name": "x", "colour": ""},
        defaults={"count": IntegerValue(value=7)},
        fixed={"name": StringValue(value="f")},
    )
    assert outcome.values == {}
    assert {"count", "ratio", "name", "colour"}.isdisjoint(outcome.errors)


def test_every_required_field_left_empty_is_named_at_once() -> None:
    outcome = read_form(INTERFACE, {"count": "", "name": "x", "loud": "true", "day": " "})
    assert sorted(outcome.errors) == ["count", "day", "items", "maybe", "point", "wait"]
    assert outcome.errors["count"] == "required: give a value (there is no default)"
    assert outcome.values == {"name": "x", "loud": True}
