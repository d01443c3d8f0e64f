"""Untyped ``dict`` (a JSON object) and ``dict[int, T]``, as flytekit stores them."""

# flytekit users write typing.Dict: test it.
# ruff: noqa: UP006

from __future__ import annotations

import typing

import pytest

from aloft import task, workflow
from aloft.errors import CompileError, InputError
from aloft.ir import JsonType, MapType, SimpleKind, describe, literal_from_json, to_json
from aloft.types import literal_type_of, parse_cli_value, to_literal, to_python


@task
def summarize(config: dict) -> dict:
    return {"keys": sorted(config), "nested": config.get("nested"), "count": len(config)}


@task
def invert(names: dict[int, str]) -> dict[str, int]:
    return {name: number for number, name in names.items()}


@task
def number_names(n: int) -> typing.Dict[int, str]:
    return {i: f"item-{i}" for i in range(n)}


@workflow
def dict_wf(n: int) -> dict[str, int]:
    return invert(names=number_names(n=n))


def test_an_untyped_dict_round_trips_through_a_task_as_json() -> None:
    config = {"b": 1, "a": [1.5, None, True], "nested": {"x": "y"}}
    assert summarize(config=config) == {
        "keys": ["a", "b", "nested"],
        "nested": {"x": "y"},
        "count": 3,
    }


def test_int_keys_come_back_as_ints_through_a_workflow() -> None:
    assert dict_wf(n=3) == {"item-0": 0, "item-1": 1, "item-2": 2}
    assert number_names(n=2) == {0: "item-0", 1: "item-1"}


def test_the_literal_types_say_what_the_keys_are() -> None:
    assert literal_type_of(dict) == JsonType()
    assert literal_type_of(typing.Dict) == JsonType()
    int_keyed = literal_type_of(dict[int, str])
    assert int_keyed == MapType(value=literal_type_of(str), key=SimpleKind.INTEGER)
    assert describe(int_keyed) == "dict[int, str]"
    assert describe(JsonType()) == "dict"


def test_the_stored_form_is_json_keys_as_text() -> None:
    literal = to_literal({10: "ten", -1: "minus one"}, dict[int, str])
    assert b'"10"' in to_json(literal) and b'"-1"' in to_json(literal)
    assert to_python(literal, dict[int, str]) == {10: "ten", -1: "minus one"}


def test_a_str_keyed_dict_does_not_bind_to_an_int_keyed_input() -> None:
    @task
    def named() -> dict[str, str]:
        return {}

    with pytest.raises(CompileError, match=r"expected dict\[int, str\], found dict\[str, str\]"):

        @workflow
        def mismatched() -> dict[str, int]:
            return invert(names=named())


def test_command_line_and_api_values_parse_as_json_objects() -> None:
    assert parse_cli_value('{"2": "b"}', dict[int, str]) == {2: "b"}
    assert parse_cli_value('{"a": {"b": [1, 2]}}', dict) == {"a": {"b": [1, 2]}}
    assert to_python(
        literal_from_json({"7": "x"}, literal_type_of(dict[int, str]), "x"), dict[int, str]
    ) == {7: "x"}
    with pytest.raises(
        InputError, match=r"input 'n': expected dict\[int, str\].*key 'x' is not an integer"
    ):
        literal_from_json({"x": "y"}, literal_type_of(dict[int, str]), "input 'n'")
    with pytest.raises(InputError, match=r"expected dict, got \[1\]"):
        literal_from_json([1], JsonType(), "input 'c'")
