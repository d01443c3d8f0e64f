"""Value → literal → JSON → literal → value, for every supported type."""

# The typing forms (Optional, Union, List, Dict) are what flytekit users write: test them.
# ruff: noqa: UP006, UP007, UP035, UP045

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Dict, List, Optional, Union

import pytest

from aloft.ir import Literal, StructValue, UnionValue, from_json, to_json
from aloft.types import to_literal, to_python

pydantic = pytest.importorskip("pydantic")


class Color(Enum):
    RED = "red"
    GREEN = "green"


@dataclass
class Address:
    street: str
    zip_code: str = "00000"


@dataclass
class Pet:
    name: str
    age: int = 1


@dataclass
class Person:
    name: str
    address: Address
    pets: list[Pet] = field(default_factory=list)
    nickname: Optional[str] = None
    favourite: Color = Color.GREEN
    scores: dict[str, list[int]] = field(default_factory=dict)


class Dimensions(pydantic.BaseModel):
    width: float
    height: float = 1.0


class Item(pydantic.BaseModel):
    sku: str
    size: Dimensions
    tags: list[str] = []
    color: Optional[Color] = None


def round_trip(value: Any, py_type: Any) -> Any:
    """Encode, go through JSON bytes like every stored value does, and decode."""
    literal = to_literal(value, py_type)
    decoded_literal = from_json(to_json(literal), Literal)
    assert decoded_literal == literal
    return to_python(decoded_literal, py_type)


TZ = datetime.timezone(datetime.timedelta(hours=2))

CASES = [
    (0, int),
    (-(2**62), int),
    (1.5, float),
    ("héllo", str),
    ("", str),
    (True, bool),
    (False, bool),
    (b"\x00\xffbytes", bytes),
    (None, None),
    (None, type(None)),
    (datetime.datetime(2024, 1, 31, 12, 30, 5, 123456, tzinfo=TZ), datetime.datetime),
    (datetime.datetime(2024, 1, 31, 12, 30, tzinfo=datetime.UTC), datetime.datetime),
    (datetime.datetime(2024, 1, 31, 12, 30), datetime.datetime),
    (datetime.date(2024, 2, 29), datetime.date),
    (datetime.timedelta(days=1, seconds=5, microseconds=7), datetime.timedelta),
    (-datetime.timedelta(minutes=5), datetime.timedelta),
    ([1, 2, 3], list[int]),
    ([], list[str]),
    ([[1], [2, 3]], List[List[int]]),
    ({"a": [1, 2], "b": []}, dict[str, list[int]]),
    ({"x": 1.5}, Dict[str, float]),
    (None, Optional[int]),
    (7, Optional[int]),
    (3, Union[int, str]),
    ("three", Union[int, str]),
    ("three", int | str),
    (None, int | None),
    ([1, None], list[Optional[int]]),
    (Color.RED, Color),
    ([Color.GREEN], list[Color]),
    (Pet("rex"), Pet),
    ([Pet("rex", 3), Pet("tom")], list[Pet]),
    (
        Person(
            name="ada",
            address=Address("main st"),
            pets=[Pet("rex")],
            nickname="a",
            favourite=Color.RED,
            scores={"maths": [1, 2]},
        ),
        Person,
    ),
    (Person(name="bob", address=Address("x", "123")), Person),
    (Pet("rex"), Optional[Pet]),
    (Dimensions(width=2.0), Dimensions),
    (Item(sku="a1", size=Dimensions(width=1.0, height=2.0), tags=["x"], color=Color.RED), Item),
    ([Item(sku="b", size=Dimensions(width=3.0))], list[Item]),
]


@pytest.mark.parametrize(("value", "py_type"), CASES, ids=[repr(c[1]) for c in CASES])
def test_round_trip(value: Any, py_type: Any) -> None:
    result = round_trip(value, py_type)
    assert result == value
    assert type(result) is type(value)


def test_datetime_keeps_its_offset() -> None:
    value = datetime.datetime(2024, 1, 31, 12, 0, tzinfo=TZ)
    assert round_trip(value, datetime.datetime).utcoffset() == datetime.timedelta(hours=2)


def test_naive_datetime_stays_naive() -> None:
    assert round_trip(datetime.datetime(2024, 1, 31), datetime.datetime).tzinfo is None


def test_float_accepts_an_int() -> None:
    assert to_literal(3, float) == to_literal(3.0, float)
    result = round_trip(3, float)
    assert result == 3.0
    assert type(result) is float


def variant_of(value: Any, py_type: Any) -> str:
    literal = to_literal(value, py_type)
    assert isinstance(literal, UnionValue)
    return literal.variant


def test_union_records_the_variant() -> None:
    assert to_literal(3, Union[int, str]) == UnionValue(variant="int", value=to_literal(3, int))
    assert variant_of("x", Union[int, str]) == "str"
    assert variant_of(None, Optional[int]) == "None"
    assert variant_of([1], Optional[list[int]]) == "list[int]"
    assert variant_of(Pet("rex"), Union[Pet, Address]) == "Pet"


def test_union_prefers_the_exact_type() -> None:
    assert variant_of(1, Union[float, int]) == "int"
    assert type(round_trip(1, Union[float, int])) is int
    assert type(round_trip(1.0, Union[int, float])) is float
    assert type(round_trip(True, Union[int, bool])) is bool


def test_union_of_containers_prefers_the_variant_their_items_are_exactly() -> None:
    for py_type, value in (
        (Union[list[float], list[int]], [1]),
        (Union[dict[str, float], dict[str, int]], {"a": 1}),
        (Union[list[list[float]], list[list[int]]], [[1, 2]]),
    ):
        back = to_python(to_literal(value, py_type), py_type)
        assert back == value and type(next(iter(_leaves(back)))) is int
    union = Union[list[float], list[int]]
    mixed = to_python(to_literal([1, 2.5], union), union)
    assert mixed == [1.0, 2.5]


def _leaves(value: object) -> list[object]:
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value]


def test_union_falls_back_to_the_first_accepting_variant() -> None:
    assert variant_of(1, Optional[float]) == "float"
    assert to_python(to_literal(1, Optional[float]), Optional[float]) == 1.0


def test_union_decodes_an_untagged_literal_by_kind() -> None:
    assert to_python(to_literal(5, int), Optional[int]) == 5
    assert to_python(to_literal(None, None), Optional[int]) is None
    assert to_python(to_literal("x", str), Union[int, str]) == "x"
    # An int literal fits the int variant exactly even though float would accept it too.
    result = to_python(to_literal(5, int), Union[float, int])
    assert type(result) is int


def test_union_variant_order_is_kept_per_annotation() -> None:
    # typing says Union[int, str] == Union[str, int]; the literal types must still differ.
    from aloft.ir import describe
    from aloft.types import literal_type_of

    assert describe(literal_type_of(Union[int, str])) == "Union[int, str]"
    assert describe(literal_type_of(Union[str, int])) == "Union[str, int]"
    assert describe(literal_type_of(str | int)) == "Union[str, int]"


def test_dataclass_fields_missing_from_a_literal_take_their_defaults() -> None:
    literal = to_literal(Person(name="ada", address=Address("s")), Person)
    assert isinstance(literal, StructValue)
    fields = dict(literal.fields)
    del fields["pets"], fields["nickname"], fields["scores"]
    person = to_python(StructValue(fields=fields), Person)
    assert person == Person(name="ada", address=Address("s"))


def test_dataclass_ignores_unknown_fields_in_a_literal() -> None:
    literal = to_literal(Pet("rex", 2), Pet)
    assert isinstance(literal, StructValue)
    fields = {**literal.fields, "species": to_literal("dog", str)}
    assert to_python(StructValue(fields=fields), Pet) == Pet("rex", 2)


def test_pydantic_model_defaults_apply() -> None:
    literal = to_literal(Dimensions(width=2.0), Dimensions)
    assert isinstance(literal, StructValue)
    only_width = StructValue(fields={"width": literal.fields["width"]})
    assert to_python(only_width, Dimensions) == Dimensions(width=2.0, height=1.0)


def test_annotated_and_newtype_are_their_inner_type() -> None:
    from typing import Annotated, NewType

    user_id = NewType("user_id", int)
    assert round_trip(5, Annotated[int, "meta"]) == 5
    assert round_trip(5, user_id) == 5
    assert to_literal(5, Annotated[int, {"unhashable": []}]) == to_literal(5, int)


@dataclass
class Rectangle:
    width: int
    height: int
    area: int = field(init=False)

    def __post_init__(self) -> None:
        self.area = self.width * self.height


def test_dataclass_init_false_field_is_encoded_but_not_passed_back() -> None:
    literal = to_literal(Rectangle(2, 3), Rectangle)
    assert isinstance(literal, StructValue)
    assert literal.fields["area"] == to_literal(6, int)
    assert round_trip(Rectangle(2, 3), Rectangle) == Rectangle(2, 3)


class Aliased(pydantic.BaseModel):
    full_name: str = pydantic.Field(alias="fullName")
    corner: Address


@dataclass
class Order:
    item: Item
    quantity: int = 1


def test_pydantic_with_aliases_and_dataclass_fields() -> None:
    value = Aliased(fullName="ada", corner=Address("x"))
    assert round_trip(value, Aliased) == value


def test_pydantic_model_inside_a_dataclass() -> None:
    order = Order(Item(sku="z", size=Dimensions(width=1.0)), 3)
    assert round_trip(order, Order) == order
