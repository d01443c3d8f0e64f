"""Error messages are a public API: they name what was expected, what was found, and where."""

# The typing forms (Optional, Union, List, Dict) are what flytekit users write: test them.
# ruff: noqa: UP006, UP007, UP045

from __future__ import annotations

import datetime
import socket
import typing
from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import Any, Optional, Union

import pytest

from aloft.errors import TypeTransformerError, UserError
from aloft.ir import IntegerValue, StringValue, StructValue, UnionValue
from aloft.types import literal_type_of, to_literal, to_python
from aloft.types.engine import transformer_for
from aloft.types.pickles import PickleTransformer


class Level(IntEnum):
    LOW = 1
    HIGH = 2


class Color(Enum):
    RED = "red"


@dataclass
class Pet:
    name: str


@dataclass
class Person:
    name: str
    age: int
    pets: list[Pet]


@dataclass
class Node:
    value: int
    children: list[Node]


@dataclass
class Broken:
    thing: set[int]


def error_of(call: Any, *args: Any) -> str:
    with pytest.raises(TypeTransformerError) as info:
        call(*args)
    return str(info.value)


def test_type_errors_are_user_errors() -> None:
    assert issubclass(TypeTransformerError, UserError)


@pytest.mark.parametrize(
    ("py_type", "named"),
    [
        (tuple[int, str], "tuple[int, str]"),
        (set[int], "set[int]"),
        (frozenset[str], "frozenset[str]"),
        (tuple, "<class 'tuple'>"),
    ],
)
def test_unsupported_type_is_named(py_type: Any, named: str) -> None:
    message = error_of(literal_type_of, py_type)
    assert message.startswith(f"type {named} is not supported; supported: ")
    assert "int" in message and "dataclass" in message
    assert error_of(to_literal, 1, py_type).startswith(f"type {named} is not supported")


@pytest.mark.parametrize("py_type", [socket.socket, object, Any, complex])
def test_classes_without_a_transformer_are_pickled_not_refused(py_type: Any) -> None:
    # As in flytekit: see test_types_pickle.py for the warning and the values.
    assert isinstance(transformer_for(py_type), PickleTransformer)


def test_unsupported_type_inside_a_container_is_named() -> None:
    assert "set[int]" in error_of(literal_type_of, list[set[int]])
    message = error_of(literal_type_of, Broken)
    assert message.startswith("field 'thing' of Broken: type set[int] is not supported")


@pytest.mark.parametrize("py_type", [list, typing.List])
def test_bare_list_asks_for_an_item_type(py_type: Any) -> None:
    assert "list[int]" in error_of(literal_type_of, py_type)
    assert "bare list" in error_of(to_literal, [1], py_type)


def test_dict_keys_must_be_str_or_int() -> None:
    message = error_of(literal_type_of, dict[float, str])
    assert message.startswith("dict keys must be str or int, got dict[float, str]")
    message = error_of(to_literal, {1: 2}, dict[str, int])
    assert message == "expected dict[str, int], got dict (key 1 is not a str)"
    message = error_of(to_literal, {"a": 2}, dict[int, int])
    assert message == "expected dict[int, int], got dict (key 'a' is not an int)"


def test_an_untyped_dict_must_hold_json() -> None:
    message = error_of(to_literal, {"when": datetime.date(2024, 1, 2)}, dict)
    assert "key 'when': a date is not a JSON value" in message
    assert "declare its types" in message
    assert "key 1 is not a str" in error_of(to_literal, {1: "a"}, dict)


def test_enum_values_must_be_str() -> None:
    message = error_of(literal_type_of, Level)
    assert message == "enum Level must have str values, got int 1 for LOW"
    assert "must have str values" in error_of(to_literal, Level.LOW, Level)


def test_recursive_dataclass_is_refused() -> None:
    message = error_of(literal_type_of, Node)
    assert "recursive type Node is not supported" in message
    assert message.startswith("field 'children' of Node")


def test_bool_is_not_an_int() -> None:
    message = error_of(to_literal, True, int)
    assert message.startswith("expected int, got bool True")
    assert error_of(to_literal, False, float).startswith("expected float, got bool False")
    assert error_of(to_literal, True, Optional[int]) == "expected Optional[int], got bool True"


@pytest.mark.parametrize(
    ("value", "py_type", "message"),
    [
        ("abc", int, "expected int, got str 'abc'"),
        (1.5, int, "expected int, got float 1.5"),
        ("1.5", float, "expected float, got str '1.5'"),
        (1, str, "expected str, got int 1"),
        (1, bool, "expected bool, got int 1"),
        ("x", bytes, "expected bytes, got str 'x'"),
        (0, None, "expected None, got int 0"),
        ({"a": 1}, list[int], "expected list[int], got dict"),
        ([1], dict[str, int], "expected dict[str, int], got list"),
        ("red", Color, "expected Color, got str 'red'"),
        ({"name": "x"}, Pet, "expected Pet, got dict"),
        (1.5, Union[int, str], "expected Union[int, str], got float 1.5"),
        ("2024-01-01", datetime.date, "expected date, got str '2024-01-01'"),
        (5, datetime.timedelta, "expected timedelta, got int 5"),
        ("x" * 100, int, "expected int, got str '" + "x" * 36 + "..."),
    ],
)
def test_wrong_value_says_expected_and_got(value: Any, py_type: Any, message: str) -> None:
    assert error_of(to_literal, value, py_type) == message


def test_datetime_is_not_a_date() -> None:
    message = error_of(to_literal, datetime.datetime(2024, 1, 1, 12), datetime.date)
    assert message.startswith("expected date, got datetime 2024-01-01T12:00:00")
    assert ".date()" in message


def test_errors_inside_containers_say_where() -> None:
    assert error_of(to_literal, [1, 2, "x"], list[int]) == "item 2: expected int, got str 'x'"
    assert error_of(to_literal, {"a": [1, "b"]}, dict[str, list[int]]) == (
        "key 'a': item 1: expected int, got str 'b'"
    )
    person = Person(name="ada", age="old", pets=[])  # type: ignore[arg-type]
    assert error_of(to_literal, person, Person) == (
        "field 'age' of Person: expected int, got str 'old'"
    )
    person = Person(name="ada", age=3, pets=[Pet("rex"), Pet(7)])  # type: ignore[arg-type]
    assert error_of(to_literal, person, Person) == (
        "field 'pets' of Person: item 1: field 'name' of Pet: expected str, got int 7"
    )


def test_optional_error_keeps_the_inner_path() -> None:
    message = error_of(to_literal, [1, "x"], Optional[list[int]])
    assert message == "item 1: expected int, got str 'x'"


def test_decoding_a_literal_of_the_wrong_kind() -> None:
    assert error_of(to_python, StringValue(value="abc"), int) == (
        "expected int, got str literal 'abc'"
    )
    assert error_of(to_python, IntegerValue(value=1), list[int]) == (
        "expected list[int], got int literal 1"
    )
    assert "expected Color, got str literal 'blue'" in error_of(
        to_python, StringValue(value="blue"), Color
    )


def test_decoding_errors_say_where() -> None:
    literal = StructValue(fields={"name": IntegerValue(value=1)})
    assert error_of(to_python, literal, Pet) == (
        "field 'name' of Pet: expected str, got int literal 1"
    )
    assert error_of(to_python, StructValue(fields={}), Pet) == (
        "field 'name' of Pet is missing and has no default"
    )


def test_union_literal_with_an_unknown_variant() -> None:
    literal = UnionValue(variant="bytes", value=StringValue(value="x"))
    assert to_python(literal, Optional[str]) == "x"  # decoded by kind
    bad = UnionValue(variant="bytes", value=IntegerValue(value=1))
    message = error_of(to_python, bad, Optional[str])
    assert message.startswith("expected Optional[str], got union literal")
    assert "'bytes'" in message


def test_union_with_two_variants_of_the_same_literal_type() -> None:
    message = error_of(literal_type_of, Union[list[int], typing.List[int]])
    assert "two variants of the same type list[int]" in message


def test_unresolvable_annotation_is_reported() -> None:
    @dataclass
    class Local:
        other: Missing  # type: ignore[name-defined]  # noqa: F821

    message = error_of(literal_type_of, Local)
    assert "cannot resolve the annotations of" in message
    assert "Missing" in message
