"""Points and spans of time: datetime, date and timedelta.

A ``datetime`` is also a ``date`` in Python; where a ``date`` is expected a ``datetime`` is
refused rather than silently truncated. Command-line forms are ISO 8601; a timedelta is also
accepted as a number of seconds (``90``) or in the short form ``1h30m``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from aloft.errors import TypeTransformerError
from aloft.ir import (
    DatetimeValue,
    DateValue,
    DurationValue,
    Literal,
    LiteralType,
    SimpleKind,
    SimpleType,
)
from aloft.types.messages import literal_mismatch, mismatch, text_mismatch
from aloft.types.transformer import TypeTransformer

_NUMBER = r"\d+(?:\.\d*)?|\.\d+"
_ISO_DURATION = re.compile(
    rf"(?P<sign>[-+])?P(?!$)(?:(?P<weeks>{_NUMBER})W)?(?:(?P<days>{_NUMBER})D)?"
    rf"(?:T(?=.)(?:(?P<hours>{_NUMBER})H)?(?:(?P<minutes>{_NUMBER})M)?(?:(?P<seconds>{_NUMBER})S)?)?",
    re.IGNORECASE,
)
_SHORT_PART = re.compile(rf"\s*({_NUMBER})\s*(w|d|h|ms|m|s|us)", re.IGNORECASE)
_SHORT_UNITS = {
    "w": "weeks",
    "d": "days",
    "h": "hours",
    "m": "minutes",
    "s": "seconds",
    "ms": "milliseconds",
    "us": "microseconds",
}


class DatetimeTransformer(TypeTransformer[datetime.datetime]):
    """``datetime`` ↔ ``DatetimeValue``, timezone-aware or naive as given."""

    name = "datetime"
    _type = SimpleType(simple=SimpleKind.DATETIME)

    def handles(self, py_type: Any) -> bool:
        return py_type is datetime.datetime

    def literal_type(self, py_type: Any) -> LiteralType:
        return self._type

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if isinstance(value, datetime.datetime):
            try:
                return DatetimeValue.of(value)
            except ValueError as exc:
                raise TypeTransformerError(f"cannot store the datetime {exc}") from None
        raise mismatch(datetime.datetime, value)

    def to_python(self, literal: Literal, py_type: Any) -> datetime.datetime:
        if type(literal) is DatetimeValue:
            return literal.value
        raise literal_mismatch(datetime.datetime, literal)

    def from_json_value(self, data: Any, py_type: Any) -> datetime.datetime:
        if isinstance(data, str):
            return self.parse_text(data, py_type)
        raise mismatch(datetime.datetime, data, "give an ISO 8601 string")

    def parse_text(self, text: str, py_type: Any) -> datetime.datetime:
        try:
            return datetime.datetime.fromisoformat(text.strip())
        except ValueError:
            raise text_mismatch(
                datetime.datetime, text, "use ISO 8601, e.g. 2024-01-31T12:00:00"
            ) from None


class DateTransformer(TypeTransformer[datetime.date]):
    """``date`` ↔ ``DateValue``; a ``datetime`` value is refused (call ``.date()`` on it)."""

    name = "date"
    _type = SimpleType(simple=SimpleKind.DATE)

    def handles(self, py_type: Any) -> bool:
        return py_type is datetime.date

    def literal_type(self, py_type: Any) -> LiteralType:
        return self._type

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if type(value) is datetime.date:
            return DateValue(value=value)
        if isinstance(value, datetime.datetime):
            raise mismatch(datetime.date, value, "call .date() to keep only the date")
        if isinstance(value, datetime.date):
            return DateValue(value=datetime.date(value.year, value.month, value.day))
        raise mismatch(datetime.date, value)

    def to_python(self, literal: Literal, py_type: Any) -> datetime.date:
        if type(literal) is DateValue:
            return literal.value
        raise literal_mismatch(datetime.date, literal)

    def from_json_value(self, data: Any, py_type: Any) -> datetime.date:
        if isinstance(data, str):
            return self.parse_text(data, py_type)
        raise mismatch(datetime.date, data, "give an ISO 8601 string")

    def parse_text(self, text: str, py_type: Any) -> datetime.date:
        try:
            return datetime.date.fromisoformat(text.strip())
        except ValueError:
            raise text_mismatch(datetime.date, text, "use ISO 8601, e.g. 2024-01-31") from None


class TimedeltaTransformer(TypeTransformer[datetime.timedelta]):
    """``timedelta`` ↔ ``DurationValue``; text as seconds, ISO 8601 (``PT1H``) or ``1h30m``."""

    name = "timedelta"
    _type = SimpleType(simple=SimpleKind.DURATION)

    def handles(self, py_type: Any) -> bool:
        return py_type is datetime.timedelta

    def literal_type(self, py_type: Any) -> LiteralType:
        return self._type

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if isinstance(value, datetime.timedelta):
            return DurationValue(value=value)
        raise mismatch(datetime.timedelta, value)

    def to_python(self, literal: Literal, py_type: Any) -> datetime.timedelta:
        if type(literal) is DurationValue:
            return literal.value
        raise literal_mismatch(datetime.timedelta, literal)

    def from_json_value(self, data: Any, py_type: Any) -> datetime.timedelta:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return datetime.timedelta(seconds=data)
        if isinstance(data, str):
            return self.parse_text(data, py_type)
        raise mismatch(datetime.timedelta, data, "give seconds or an ISO 8601 duration")

    def parse_text(self, text: str, py_type: Any) -> datetime.timedelta:
        try:
            duration = parse_duration(text)
        except OverflowError:
            raise text_mismatch(
                datetime.timedelta,
                text,
                f"too long: a timedelta is at most {datetime.timedelta.max}",
            ) from None
        if duration is None:
            raise text_mismatch(
                datetime.timedelta, text, "use seconds (90), ISO 8601 (PT1H30M) or 1h30m"
            )
        return duration


def parse_duration(text: str) -> datetime.timedelta | None:
    """Parse seconds (``90.5``), ISO 8601 (``P1DT2H``, ``-PT5M``) or ``1h30m``; None if none fits.

    ISO years and months are not accepted: their length in days depends on the calendar.
    """
    text = text.strip()
    try:
        return datetime.timedelta(seconds=float(text))
    except (ValueError, OverflowError):
        pass
    iso = _ISO_DURATION.fullmatch(text)
    if iso is not None:
        parts = {k: float(v) for k, v in iso.groupdict().items() if k != "sign" and v}
        duration = datetime.timedelta(**parts)
        return -duration if iso.group("sign") == "-" else duration
    sign, body = (-1, text[1:]) if text.startswith("-") else (1, text)
    position, total = 0, datetime.timedelta()
    while position < len(body):
        part = _SHORT_PART.match(body, position)
        if part is None:
            return None
        total += datetime.timedelta(**{_SHORT_UNITS[part.group(2).lower()]: float(part.group(1))})
        position = part.end()
    return sign * total if body.strip() else None


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (
    DatetimeTransformer(),
    DateTransformer(),
    TimedeltaTransformer(),
)
