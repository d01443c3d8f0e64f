"""Datetimes whose UTC offset has seconds (historic zones) keep their moment once written."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from aloft.errors import TypeTransformerError
from aloft.ir import DatetimeValue, Literal, from_json, literal_from_json, to_json
from aloft.ir.types import SimpleKind, SimpleType
from aloft.types import to_literal, to_python

ODD = datetime.timezone(datetime.timedelta(hours=5, minutes=30, seconds=15))


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(1930, 1, 1, 12, 0, tzinfo=ODD),
        datetime.datetime(1930, 6, 1, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam")),
        datetime.datetime(
            2026, 3, 1, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-3))
        ),
    ],
)
def test_the_moment_survives_json(moment: datetime.datetime) -> None:
    literal = to_literal(moment, datetime.datetime)
    back = to_python(from_json(to_json(literal), Literal), datetime.datetime)  # type: ignore[arg-type]
    assert back == moment
    assert back.utcoffset() is not None


def test_a_json_input_with_a_seconds_offset_keeps_its_moment() -> None:
    literal = literal_from_json(
        "1930-01-01T12:00:00+05:30:15", SimpleType(simple=SimpleKind.DATETIME), "input 'd'"
    )
    assert isinstance(literal, DatetimeValue)
    written = from_json(to_json(literal), DatetimeValue).value
    assert written == datetime.datetime(1930, 1, 1, 12, 0, tzinfo=ODD)


def test_a_seconds_offset_moment_outside_the_utc_years_is_refused_clearly() -> None:
    """Found by the round-trip fuzzing: kept in UTC, 0001-01-01T00:00 one microsecond ahead
    of UTC lies in year 0, which no datetime holds; it is refused, naming the value."""
    tiny = datetime.timezone(datetime.timedelta(microseconds=1))
    with pytest.raises(TypeTransformerError, match=r"cannot store the datetime 0001-01-01T00:00"):
        to_literal(datetime.datetime(1, 1, 1, tzinfo=tiny), datetime.datetime)
    late = datetime.timezone(-datetime.timedelta(seconds=1))
    with pytest.raises(TypeTransformerError, match="falls outside the years 1 to 9999"):
        to_literal(datetime.datetime.max.replace(tzinfo=late), datetime.datetime)
