"""Parsing command-line strings into Python values."""

# The typing forms (Optional, Union, List, Dict) are what flytekit users write: test them.
# ruff: noqa: UP007, UP045

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Optional, Union

import pytest

from aloft.errors import TypeTransformerError
from aloft.types import parse_cli_value

pydantic = pytest.importorskip("pydantic")

UTC = datetime.UTC


class Color(Enum):
    RED = "red"
    DARK_BLUE = "dark-blue"


@dataclass
class Point:
    x: int
    y: int = 0


@dataclass
class Route:
    name: str
    stops: list[Point] = field(default_factory=list)
    when: Optional[datetime.date] = None
    color: Color = Color.RED


class Config(pydantic.BaseModel):
    name: str
    origin: Point
    retries: int = 3


@pytest.mark.parametrize(
    ("text", "py_type", "expected"),
    [
        ("42", int, 42),
        (" -7 ", int, -7),
        ("1.5", float, 1.5),
        ("3", float, 3.0),
        ("hello world", str, "hello world"),
        ("", str, ""),
        ("true", bool, True),
        ("TRUE", bool, True),
        ("Yes", bool, True),
        ("1", bool, True),
        ("false", bool, False),
        ("No", bool, False),
        ("0", bool, False),
        ("héllo", bytes, "héllo".encode()),
        ("None", None, None),
        ("2024-01-31", datetime.date, datetime.date(2024, 1, 31)),
        ("2024-01-31T12:30:00", datetime.datetime, datetime.datetime(2024, 1, 31, 12, 30)),
        (
            "2024-01-31T12:30:00Z",
            datetime.datetime,
            datetime.datetime(2024, 1, 31, 12, 30, tzinfo=UTC),
        ),
        ("90", datetime.timedelta, datetime.timedelta(seconds=90)),
        ("1.5", datetime.timedelta, datetime.timedelta(seconds=1.5)),
        ("PT1H", datetime.timedelta, datetime.timedelta(hours=1)),
        ("P1DT2H3M4.5S", datetime.timedelta, datetime.timedelta(1, 7384.5)),
        ("P2W", datetime.timedelta, datetime.timedelta(weeks=2)),
        ("-PT5M", datetime.timedelta, -datetime.timedelta(minutes=5)),
        ("1h30m", datetime.timedelta, datetime.timedelta(hours=1, minutes=30)),
        ("2d 4h", datetime.timedelta, datetime.timedelta(days=2, hours=4)),
        ("250ms", datetime.timedelta, datetime.timedelta(milliseconds=250)),
        ("RED", Color, Color.RED),
        ("DARK_BLUE", Color, Color.DARK_BLUE),
        ("dark-blue", Color, Color.DARK_BLUE),
        ("None", Optional[int], None),
        ("null", Optional[int], None),
        ("5", Optional[int], 5),
        ("none", Optional[str], "none"),
        ("5", Union[int, str], 5),
        ("5", Union[str, int], 5),  # str is tried last, as in flytekit
        ("five", Union[int, str], "five"),
        ("[1, 2, 3]", list[int], [1, 2, 3]),
        ("[]", list[str], []),
        ('{"a": [1], "b": []}', dict[str, list[int]], {"a": [1], "b": []}),
        ('["2024-01-31"]', list[datetime.date], [datetime.date(2024, 1, 31)]),
        ('["RED", "dark-blue"]', list[Color], [Color.RED, Color.DARK_BLUE]),
        ("[1, null]", list[Optional[int]], [1, None]),
        ('{"x": 1}', Point, Point(1)),
        (
            '{"name": "r", "stops": [{"x": 1, "y": 2}], "when": "2024-01-31", "color": "red"}',
            Route,
            Route("r", [Point(1, 2)], datetime.date(2024, 1, 31), Color.RED),
        ),
        ('[{"x": 1}]', list[Point], [Point(1)]),
        (
            '{"name": "c", "origin": {"x": 2}}',
            Config,
            Config(name="c", origin=Point(2)),
        ),
    ],
)
def test_parse(text: str, py_type: Any, expected: Any) -> None:
    value = parse_cli_value(text, py_type)
    assert value == expected
    assert type(value) is type(expected)


def parse_error(text: str, py_type: Any) -> str:
    with pytest.raises(TypeTransformerError) as info:
        parse_cli_value(text, py_type)
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "py_type", "message"),
    [
        ("abc", int, "expected int, got 'abc'"),
        ("1.5", int, "expected int, got '1.5'"),
        ("abc", float, "expected float, got 'abc'"),
        ("maybe", bool, "expected bool, got 'maybe'"),
        ("2024-13-01", datetime.date, "expected date, got '2024-13-01'"),
        ("yesterday", datetime.datetime, "expected datetime, got 'yesterday'"),
        ("soon", datetime.timedelta, "expected timedelta, got 'soon'"),
        ("P1Y", datetime.timedelta, "expected timedelta, got 'P1Y'"),
        ("BLUE", Color, "expected Color, got 'BLUE'"),
        ("abc", Optional[int], "expected int, got 'abc'"),
        ("x", None, "expected None, got 'x'"),
        ("1.5", Union[int, bool], "expected Union[int, bool], got '1.5'"),
        ("1,2", list[int], "expected list[int], got '1,2'"),
        ('{"a": 1}', list[int], "expected list[int], got dict"),
        ('[1, "x"]', list[int], "item 1: expected int, got str 'x'"),
        ('{"a": true}', dict[str, int], "key 'a': expected int, got bool True"),
        ('{"x": "1"}', Point, "field 'x' of Point: expected int, got str '1'"),
        ('{"y": 1}', Point, "field 'x' of Point is missing and has no default"),
        ('{"x": 1, "z": 2}', Point, "Point has no field 'z'; its fields are x, y"),
        (
            '{"name": "r", "stops": [{"x": "a"}]}',
            Route,
            "field 'stops' of Route: item 0: field 'x' of Point: expected int, got str 'a'",
        ),
    ],
)
def test_parse_errors(text: str, py_type: Any, message: str) -> None:
    assert parse_error(text, py_type).startswith(message)


def test_bad_json_says_so() -> None:
    message = parse_error("[1, 2", list[int])
    assert message.startswith("expected list[int], got '[1, 2' (not valid JSON")


def test_enum_error_lists_the_members() -> None:
    assert "RED ('red'), DARK_BLUE ('dark-blue')" in parse_error("BLUE", Color)


def test_pydantic_errors_name_the_model_and_the_field() -> None:
    message = parse_error('{"name": "c", "origin": {"x": "a"}}', Config)
    assert message.startswith("expected Config, got ")
    assert "origin.x" in message


def test_optional_items_keep_the_error_path() -> None:
    message = parse_error('[{"x": 1}, {"x": "a"}]', list[Optional[Point]])
    assert message == "item 1: field 'x' of Point: expected int, got str 'a'"


def test_wrapped_types_parse_as_their_inner_type() -> None:
    from typing import Annotated, NewType

    assert parse_cli_value("5", Annotated[int, "meta"]) == 5
    assert parse_cli_value("5", NewType("Count", int)) == 5
