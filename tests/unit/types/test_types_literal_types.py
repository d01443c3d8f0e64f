"""The literal type of each supported Python type, and readable type names."""

# The typing forms (Optional, Union, List, Dict) are what flytekit users write: test them.
# ruff: noqa: UP006, UP007, UP035, UP045

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum
from typing import Annotated, Any, Dict, List, NewType, Optional, Union

import pytest

from aloft.ir import (
    NONE_TYPE,
    CollectionType,
    EnumType,
    MapType,
    SimpleKind,
    SimpleType,
    StructField,
    StructType,
    UnionType,
    describe,
)
from aloft.types import literal_type_of, python_type_name, struct_fields

pydantic = pytest.importorskip("pydantic")

INT = SimpleType(simple=SimpleKind.INTEGER)
STR = SimpleType(simple=SimpleKind.STRING)


class Color(Enum):
    RED = "red"
    GREEN = "green"


@dataclass
class Point:
    x: int
    y: int = 0


@dataclass
class Shape:
    name: str
    points: list[Point] = field(default_factory=list)
    color: Optional[Color] = None


class Outer:
    @dataclass
    class Inner:
        flag: bool


class Model(pydantic.BaseModel):
    label: Annotated[str, "doc"]
    origin: Point
    weights: dict[str, float] = {}


UserId = NewType("UserId", int)


@pytest.mark.parametrize(
    ("py_type", "described"),
    [
        (int, "int"),
        (float, "float"),
        (str, "str"),
        (bool, "bool"),
        (bytes, "bytes"),
        (None, "None"),
        (type(None), "None"),
        (datetime.datetime, "datetime"),
        (datetime.date, "date"),
        (datetime.timedelta, "timedelta"),
        (list[int], "list[int]"),
        (List[str], "list[str]"),
        (dict[str, list[int]], "dict[str, list[int]]"),
        (Dict[str, float], "dict[str, float]"),
        (Optional[int], "Optional[int]"),
        (int | None, "Optional[int]"),
        (Union[None, int], "Optional[int]"),
        (Union[int, str], "Union[int, str]"),
        (Union[int, str, None], "Union[int, str, None]"),
        (list[Optional[Point]], "list[Optional[Point]]"),
        (Color, "Color"),
        (Point, "Point"),
        (Outer.Inner, "Outer.Inner"),
        (Model, "Model"),
        (Annotated[int, "meta"], "int"),
        (UserId, "int"),
    ],
)
def test_describe_matches_python_type_name(py_type: Any, described: str) -> None:
    assert describe(literal_type_of(py_type)) == described
    assert python_type_name(py_type) == described


def test_simple_kinds() -> None:
    assert literal_type_of(int) == INT
    assert literal_type_of(None) == NONE_TYPE
    assert literal_type_of(datetime.timedelta) == SimpleType(simple=SimpleKind.DURATION)
    assert literal_type_of(bytes) == SimpleType(simple=SimpleKind.BINARY)


def test_containers() -> None:
    assert literal_type_of(list[int]) == CollectionType(element=INT)
    assert literal_type_of(dict[str, list[int]]) == MapType(value=CollectionType(element=INT))


def test_union_keeps_declaration_order() -> None:
    assert literal_type_of(Optional[int]) == UnionType(variants=(INT, NONE_TYPE))
    assert literal_type_of(Union[str, int]) == UnionType(variants=(STR, INT))
    assert literal_type_of(Union[int, str]) == UnionType(variants=(INT, STR))


def test_enum() -> None:
    assert literal_type_of(Color) == EnumType(name="Color", values=("red", "green"))


def test_nested_dataclass() -> None:
    point = StructType(
        name="Point",
        fields=(StructField(name="x", type=INT), StructField(name="y", type=INT)),
    )
    assert literal_type_of(Point) == point
    assert literal_type_of(Shape) == StructType(
        name="Shape",
        fields=(
            StructField(name="name", type=STR),
            StructField(name="points", type=CollectionType(element=point)),
            StructField(
                name="color",
                type=UnionType(variants=(literal_type_of(Color), NONE_TYPE)),
            ),
        ),
    )


def test_pydantic_model() -> None:
    literal_type = literal_type_of(Model)
    assert isinstance(literal_type, StructType)
    assert literal_type.name == "Model"
    assert [f.name for f in literal_type.fields] == ["label", "origin", "weights"]
    assert literal_type.fields[1].type == literal_type_of(Point)


def test_literal_types_are_cached() -> None:
    assert literal_type_of(Shape) is literal_type_of(Shape)
    assert literal_type_of(list[int]) is literal_type_of(list[int])


def test_struct_fields() -> None:
    assert struct_fields(Point) == {"x": int, "y": int}
    assert struct_fields(Shape) == {
        "name": str,
        "points": list[Point],
        "color": Optional[Color],
    }
    assert struct_fields(Model) == {
        "label": Annotated[str, "doc"],
        "origin": Point,
        "weights": dict[str, float],
    }
    assert struct_fields(Annotated[Point, "x"]) == {"x": int, "y": int}
    assert struct_fields(int) is None
    assert struct_fields(list[Point]) is None
    assert struct_fields(object) is None
