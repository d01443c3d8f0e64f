"""JSON values ↔ literals by literal type alone: the same literals as the type engine makes."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
from typing import Annotated, Any

import pytest

from aloft import ir
from aloft.errors import InputError
from aloft.types import literal_type_of, to_literal
from aloft.types.directories import FlyteDirectory
from aloft.types.files import FlyteFile
from aloft.types.hash_method import HashMethod, user_hash_scope
from aloft.types.structured import StructuredDataset

PLUS_TWO = datetime.timezone(datetime.timedelta(hours=2))


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


@dataclasses.dataclass
class Inner:
    a: int
    b: str | None = None


@dataclasses.dataclass
class Outer:
    inner: Inner
    items: list[Inner]
    color: Color = Color.RED


# (Python type, Python value, the same value as JSON)
CASES: list[tuple[Any, Any, Any]] = [
    (int, 5, 5),
    (int, -(2**63), -(2**63)),
    (float, 2.5, 2.5),
    (float, 3, 3),
    (float, float("nan"), "nan"),
    (float, float("-inf"), "-inf"),
    (float, float("inf"), json.loads("Infinity")),
    (str, "héllo", "héllo"),
    (bool, False, False),
    (
        datetime.datetime,
        datetime.datetime(2024, 1, 31, 12, 0, 0, 250, tzinfo=PLUS_TWO),
        "2024-01-31T12:00:00.000250+02:00",
    ),
    (
        datetime.datetime,
        datetime.datetime(2024, 1, 31, 12, tzinfo=datetime.UTC),
        "2024-01-31T12:00:00Z",
    ),
    (datetime.datetime, datetime.datetime(2024, 1, 31, 12), "2024-01-31T12:00:00"),
    (datetime.date, datetime.date(2024, 1, 31), "2024-01-31"),
    (datetime.timedelta, datetime.timedelta(hours=1, microseconds=5), 3600.000005),
    (datetime.timedelta, datetime.timedelta(seconds=90), 90),
    (datetime.timedelta, datetime.timedelta(hours=1, minutes=30), "1:30:00"),
    (
        datetime.timedelta,
        datetime.timedelta(days=2, seconds=1, microseconds=5),
        "2 days, 0:00:01.000005",
    ),
    (datetime.timedelta, datetime.timedelta(seconds=-1), "-1 day, 23:59:59"),
    (datetime.timedelta, datetime.timedelta(minutes=-5), "-0:05:00"),
    (bytes, b"\x00\xffab", "AP9hYg=="),
    (list[int], [1, 2, 3], [1, 2, 3]),
    (list[list[str]], [["a"], []], [["a"], []]),
    (dict[str, float], {"b": 1.5, "a": 2}, {"b": 1.5, "a": 2}),
    (int | None, None, None),
    (int | None, 3, 3),
    (float | None, 1, 1),
    (int | str, 3, 3),
    (int | str, "3", "3"),
    (float | int, 1, 1),
    (int | float, 1.5, 1.5),
    (list[float] | list[int], [1], [1]),
    (str | list[int], [1], [1]),
    (list[int | None] | None, [1, None], [1, None]),
    (Color, Color.GREEN, "green"),
    (list[Color], [Color.RED], ["red"]),
    (
        Outer,
        Outer(Inner(1), [Inner(2, "x"), Inner(3)], Color.GREEN),
        {
            "inner": {"a": 1, "b": None},
            "items": [{"a": 2, "b": "x"}, {"a": 3, "b": None}],
            "color": "green",
        },
    ),
    (Inner | None, Inner(1, "y"), {"a": 1, "b": "y"}),
    (Annotated[int, "metadata"], 4, 4),
]

# Values passed by reference: the engine would fingerprint them; the server cannot.
REFERENCES: list[tuple[Any, Any, Any]] = [
    (FlyteFile, FlyteFile("s3://bucket/key"), "s3://bucket/key"),
    (FlyteFile["csv"], FlyteFile["csv"]("s3://bucket/a.csv"), "s3://bucket/a.csv"),
    (FlyteFile, FlyteFile("s3://bucket/key"), {"uri": "s3://bucket/key"}),
    (FlyteDirectory, FlyteDirectory("gs://bucket/dir"), "gs://bucket/dir"),
    (StructuredDataset, StructuredDataset(uri="s3://b/t.csv"), "s3://b/t.csv"),
    (StructuredDataset, StructuredDataset(uri="s3://b/t"), "s3://b/t"),
    (
        Annotated[StructuredDataset, "csv"],
        StructuredDataset(uri="s3://b/t"),
        {"uri": "s3://b/t", "format": "csv"},
    ),
]


def _engine(py_type: Any, value: Any) -> tuple[ir.Literal, ir.LiteralType]:
    with user_hash_scope():  # no fingerprint of remote data, as the server gives none
        return to_literal(value, py_type), literal_type_of(py_type)


ALL = CASES + REFERENCES


@pytest.mark.parametrize(("py_type", "value", "data"), ALL)
def test_gives_the_literal_the_type_engine_gives(py_type: Any, value: Any, data: Any) -> None:
    expected, literal_type = _engine(py_type, value)
    assert ir.literal_from_json(data, literal_type, "input 'x'") == expected


@pytest.mark.parametrize(("py_type", "value", "data"), ALL)
def test_to_json_round_trips_through_from_json(py_type: Any, value: Any, data: Any) -> None:
    literal, literal_type = _engine(py_type, value)
    shown = json.loads(json.dumps(ir.literal_to_json(literal), allow_nan=False))
    assert ir.literal_from_json(shown, literal_type, "output 'o0'") == literal


@pytest.mark.parametrize(("py_type", "value", "data"), ALL)
def test_the_engines_literals_fit_their_types(py_type: Any, value: Any, data: Any) -> None:
    literal, literal_type = _engine(py_type, value)
    assert ir.literal_fits(literal, literal_type) is None


def test_a_union_of_lists_takes_the_variant_its_items_are_like_the_engine() -> None:
    literal_type = literal_type_of(list[float] | list[int])
    literal = ir.literal_from_json([1], literal_type, "input 'x'")
    assert literal == ir.UnionValue(
        variant="list[int]", value=ir.CollectionValue(items=(ir.IntegerValue(value=1),))
    )
    mixed = ir.literal_from_json([1, 2.5], literal_type, "input 'x'")
    assert isinstance(mixed, ir.UnionValue) and mixed.variant == "list[float]"
    strings = ir.literal_from_json(["a"], literal_type_of(list[int] | list[str]), "input 'x'")
    assert isinstance(strings, ir.UnionValue) and strings.variant == "list[str]"


def test_a_datetime_keeps_its_moment_and_offset() -> None:
    literal = ir.literal_from_json(
        "2024-01-31T23:30:00-05:00", literal_type_of(datetime.datetime), "input 't'"
    )
    assert isinstance(literal, ir.DatetimeValue)
    assert literal.value.utcoffset() == datetime.timedelta(hours=-5)
    assert literal.value == datetime.datetime(2024, 2, 1, 4, 30, tzinfo=datetime.UTC)


def test_a_local_absolute_path_is_a_file_uri() -> None:
    blob_type = literal_type_of(FlyteFile)
    literal = ir.literal_from_json("/data/x.csv", blob_type, "input 'f'")
    assert literal == ir.BlobValue(uri="file:///data/x.csv")
    table = ir.literal_from_json("/data/t.csv", literal_type_of(StructuredDataset), "input 't'")
    assert table == ir.StructuredDatasetValue(uri="file:///data/t.csv", format="csv")


def test_null_for_a_pickled_type_is_none_as_the_engine_makes_it() -> None:
    pickled = ir.PickleType(name="typing.Any")
    assert ir.literal_from_json(None, pickled, "input 'x'") == ir.NoneValue()


def test_literal_to_json_forms() -> None:
    assert ir.literal_to_json(ir.FloatValue.of(float("inf"))) == "inf"
    assert ir.literal_to_json(ir.DurationValue(value=datetime.timedelta(minutes=2))) == 120.0
    assert ir.literal_to_json(ir.BinaryValue(value=b"\x00")) == "AA=="
    assert ir.literal_to_json(ir.HashedValue(value=ir.IntegerValue(value=1), hash="h")) == 1
    assert ir.literal_to_json(ir.BlobValue(uri="s3://b/k", format="csv")) == {
        "uri": "s3://b/k",
        "format": "csv",
    }
    assert ir.literal_to_json(ir.StructuredDatasetValue(uri="s3://b/t")) == {
        "uri": "s3://b/t",
        "format": "parquet",
    }
    assert ir.literal_to_json(ir.OffloadedValue(uri="s3://b/o", hash="h", size=9)) == {
        "uri": "s3://b/o"
    }
    assert ir.literal_to_json(ir.PickleValue(hash="h", data=b"abc")) == {"pickle": 3}
    assert ir.literal_to_json(ir.PickleValue(hash="h", uri="s3://b/p")) == {"pickle": "s3://b/p"}


# (Python type or literal type, JSON value, where, the whole message)
BAD: list[tuple[Any, Any, str, str]] = [
    (int, "abc", "input 'n'", "input 'n': expected int, got \"abc\""),
    (int, True, "input 'n'", "input 'n': expected int, got true"),
    (int, 3.0, "input 'n'", "input 'n': expected int, got 3.0"),
    (
        int,
        2**63,
        "input 'n'",
        "input 'n': expected int, got 9223372036854775808 (outside the 64-bit range)",
    ),
    (
        float,
        "1.5",
        "input 'f'",
        'input \'f\': expected float, got "1.5" (a number, "nan", "inf" or "-inf")',
    ),
    (float, False, "input 'f'", "input 'f': expected float, got false"),
    (str, 1, "input 's'", "input 's': expected str, got 1"),
    (bool, "true", "input 'b'", "input 'b': expected bool, got \"true\""),
    (None, 0, "input 'z'", "input 'z': expected None, got 0"),
    (
        list[int],
        [1, 2, "x"],
        "input 'xs'",
        "input 'xs' item 2: expected int, got \"x\"",
    ),
    (
        list[int],
        {"a": 1},
        "input 'xs'",
        "input 'xs': expected list[int], got {\"a\": 1} (give a JSON array)",
    ),
    (
        dict[str, list[float]],
        {"a": [1.0, "x"]},
        "input 'm'",
        'input \'m\' key \'a\' item 1: expected float, got "x" (a number, "nan", "inf" or "-inf")',
    ),
    (
        Color,
        "blue",
        "input 'c'",
        'input \'c\': expected Color, got "blue" (one of "red", "green")',
    ),
    (Color, "RED", "input 'c'", 'input \'c\': expected Color, got "RED" (one of "red", "green")'),
    (
        datetime.datetime,
        "31/01/2024",
        "input 't'",
        "input 't': expected datetime, got \"31/01/2024\" "
        "(use ISO 8601, e.g. 2024-01-31T12:00:00Z)",
    ),
    (
        datetime.date,
        "2024-01-31T12:00:00",
        "input 'd'",
        "input 'd': expected date, got \"2024-01-31T12:00:00\" (use ISO 8601, e.g. 2024-01-31)",
    ),
    (
        datetime.timedelta,
        float("nan"),
        "input 'w'",
        "input 'w': expected timedelta, got NaN (give seconds, or H:MM:SS text)",
    ),
    (
        datetime.timedelta,
        "1:75:00",
        "input 'w'",
        "input 'w': expected timedelta, got \"1:75:00\" (give seconds, or H:MM:SS text)",
    ),
    (
        bytes,
        "not base64!",
        "input 'raw'",
        "input 'raw': expected bytes, got \"not base64!\" (give the bytes in base64)",
    ),
    (
        int | None,
        "abc",
        "input 'o'",
        "input 'o': expected Optional[int], got \"abc\"",
    ),
    (
        int | list[int],
        [1, None],
        "input 'u'",
        "input 'u' item 1: expected int, got null",
    ),
    (
        Outer,
        {"inner": {"b": None}, "items": [], "color": "red"},
        "input 'p'",
        "input 'p' field 'inner': expected Inner, got {\"b\": null} (missing field 'a')",
    ),
    (
        Outer,
        {"inner": {"a": 1, "b": None}, "items": []},
        "input 'p'",
        'input \'p\': expected Outer, got {"inner": {"a": 1, "b": null}, "items... '
        "(missing field 'color')",
    ),
    (
        Outer,
        {"inner": {"a": "1", "b": None}, "items": [], "color": "red"},
        "input 'p'",
        "input 'p' field 'inner.a': expected int, got \"1\"",
    ),
    (
        Outer,
        {"inner": {"a": 1, "b": None}, "items": [{"a": 1, "b": 2}], "color": "red"},
        "input 'p'",
        "input 'p' field 'items' item 0 field 'b': expected Optional[str], got 2",
    ),
    (
        Inner,
        {"a": 1, "b": None, "c": 2, "d": 3},
        "input 'i'",
        'input \'i\': expected Inner, got {"a": 1, "b": null, "c": 2, "d": 3} '
        "(unknown fields 'c', 'd'; its fields are a, b)",
    ),
    (
        FlyteFile,
        "data/x.csv",
        "input 'f'",
        "input 'f': expected FlyteFile, got \"data/x.csv\" "
        "(give a URL or an absolute path, not a relative one)",
    ),
    (
        FlyteFile["csv"],
        {"uri": "s3://b/k", "format": "json"},
        "input 'f'",
        'input \'f\': expected FlyteFile[csv], got {"uri": "s3://b/k", "format": "json"} '
        "(it is json, not csv)",
    ),
    (
        FlyteFile,
        {"url": "s3://b/k"},
        "input 'f'",
        'input \'f\': expected FlyteFile, got {"url": "s3://b/k"} '
        '(give a URL, an absolute path or {"uri": ..., "format": ...})',
    ),
    (
        ir.PickleType(name="m.Thing"),
        {"a": 1},
        "input 'x'",
        "input 'x': expected Pickle[m.Thing], got {\"a\": 1} "
        "(a pickled type cannot be given as JSON)",
    ),
]


@pytest.mark.parametrize(("py_type", "data", "where", "message"), BAD)
def test_a_bad_value_gives_one_clear_error(
    py_type: Any, data: Any, where: str, message: str
) -> None:
    literal_type = py_type if isinstance(py_type, ir.PickleType) else literal_type_of(py_type)
    with pytest.raises(InputError) as raised:
        ir.literal_from_json(data, literal_type, where)
    assert str(raised.value) == message


INT = ir.SimpleType(simple=ir.SimpleKind.INTEGER)
STR = ir.SimpleType(simple=ir.SimpleKind.STRING)

MISFITS: list[tuple[ir.Literal, ir.LiteralType, str]] = [
    (ir.StringValue(value="a"), INT, "expected int, got a str literal"),
    (
        ir.IntegerValue(value=1),
        ir.SimpleType(simple=ir.SimpleKind.FLOAT),
        "expected float, got an int literal",
    ),
    (
        ir.CollectionValue(items=(ir.IntegerValue(value=1), ir.StringValue(value="a"))),
        ir.CollectionType(element=INT),
        "item 1: expected int, got a str literal",
    ),
    (
        ir.MapValue(entries={"k": ir.NoneValue()}),
        ir.MapType(value=INT),
        "key 'k': expected int, got a none literal",
    ),
    (
        ir.IntegerValue(value=1),
        ir.UnionType(variants=(INT, ir.NONE_TYPE)),
        "expected Optional[int], got an int literal",
    ),
    (
        ir.UnionValue(variant="str", value=ir.StringValue(value="a")),
        ir.UnionType(variants=(INT, ir.NONE_TYPE)),
        "expected Optional[int], got a union literal of variant 'str'",
    ),
    (
        ir.UnionValue(variant="int", value=ir.StringValue(value="a")),
        ir.UnionType(variants=(INT, ir.NONE_TYPE)),
        "expected int, got a str literal",
    ),
    (
        ir.StringValue(value="blue"),
        ir.EnumType(name="Color", values=("red", "green")),
        "expected Color, got str literal 'blue' (one of 'red', 'green')",
    ),
    (
        ir.StructValue(fields={"a": ir.IntegerValue(value=1)}),
        ir.StructType(
            name="P",
            fields=(ir.StructField(name="a", type=INT), ir.StructField(name="b", type=STR)),
        ),
        "expected P, got a struct literal without field 'b'",
    ),
    (
        ir.StructValue(fields={"a": ir.IntegerValue(value=1), "z": ir.NoneValue()}),
        ir.StructType(name="P", fields=(ir.StructField(name="a", type=INT),)),
        "expected P, got a struct literal with unknown field 'z'",
    ),
    (
        ir.StructValue(fields={"q": ir.StructValue(fields={"a": ir.StringValue(value="x")})}),
        ir.StructType(
            name="P",
            fields=(
                ir.StructField(
                    name="q",
                    type=ir.StructType(name="Q", fields=(ir.StructField(name="a", type=INT),)),
                ),
            ),
        ),
        "field 'q.a': expected int, got a str literal",
    ),
    (
        ir.BlobValue(uri="s3://b/k"),
        ir.BlobType(dimensionality=ir.BlobDimensionality.MULTIPART),
        "expected FlyteDirectory, got a file",
    ),
    (
        ir.BlobValue(uri="s3://b/k", format="json"),
        ir.BlobType(format="csv"),
        "expected FlyteFile[csv], got a json file",
    ),
    (
        ir.StructuredDatasetValue(uri="s3://b/t"),
        ir.StructuredDatasetType(format="csv"),
        "expected StructuredDataset stored as csv, got a table stored as parquet",
    ),
    (ir.PickleValue(hash="h"), INT, "expected int, got a pickle literal"),
]


@pytest.mark.parametrize(("literal", "literal_type", "reason"), MISFITS)
def test_literal_fits_refuses_mismatches(
    literal: ir.Literal, literal_type: ir.LiteralType, reason: str
) -> None:
    assert ir.literal_fits(literal, literal_type) == reason


def test_literal_fits_looks_through_one_hash_and_refuses_what_a_receiver_must_not_take() -> None:
    hashed, literal_type = _engine(Annotated[int, HashMethod(lambda v: v * 2)], 3)
    assert isinstance(hashed, ir.HashedValue)
    assert ir.literal_fits(hashed, literal_type) is None
    assert ir.literal_fits(ir.HashedValue(value=ir.StringValue(value="a"), hash="h"), INT) == (
        "expected int, got a str literal"
    )
    twice = ir.HashedValue(value=hashed, hash="h2")
    assert ir.literal_fits(twice, INT) == "a hashed literal cannot wrap another hashed literal"
    offloaded = ir.OffloadedValue(uri="file:///etc/passwd", hash="h", size=10)
    assert ir.literal_fits(offloaded, ir.CollectionType(element=INT)) == (
        "an offloaded literal cannot be given here; give the value itself"
    )
    assert ir.literal_fits(ir.IntegerValue(value=2**64), INT) == (
        "integer 18446744073709551616 is outside the 64-bit range"
    )


def test_literal_fits_accepts_pickles_and_none_for_a_pickled_type() -> None:
    pickled = ir.PickleType(name="m.Thing")
    assert ir.literal_fits(ir.PickleValue(hash="h", data=b"x"), pickled) is None
    assert ir.literal_fits(ir.NoneValue(), pickled) is None
    assert ir.literal_fits(ir.IntegerValue(value=1), pickled) == (
        "expected Pickle[m.Thing], got an int literal"
    )
