"""Schedules of launch plans: ``CronSchedule`` and ``FixedRate``, checked when created.

The server's scheduler fires them; here they are validated and compiled to IR.
"""

from __future__ import annotations

import datetime
import re

from aloft.errors import DecoratorError
from aloft.ir import CronSchedule as CronScheduleSpec
from aloft.ir import FixedRateSchedule, Schedule
from aloft.sdk.location import caller_location

_ALIASES = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
_FIELDS: tuple[tuple[str, int, int, list[str]], ...] = (  # name, lowest, highest, names
    ("minute", 0, 59, []),
    ("hour", 0, 23, []),
    ("day of month", 1, 31, []),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 6, _DAYS),
)
_ITEM = re.compile(r"^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:/(\d+))?$")
_OFFSET = re.compile(r"^-?P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$")


class CronSchedule:
    """Fire on a cron schedule: ``schedule`` is five fields (minute, hour, day of month,
    month, day of week) or an alias such as ``@daily``; ``cron_expression`` is the older
    name for it. ``offset`` (ISO 8601, ``PT1H``) shifts each firing; the scheduled time is
    given to the workflow input ``kickoff_time_input_arg``."""

    def __init__(
        self,
        cron_expression: str | None = None,
        schedule: str | None = None,
        offset: str | None = None,
        kickoff_time_input_arg: str | None = None,
    ) -> None:
        where = caller_location()
        if (cron_expression is None) == (schedule is None):
            raise DecoratorError(
                f"{where}: CronSchedule: give exactly one of schedule= or cron_expression="
            )
        expression = schedule if schedule is not None else cron_expression
        if not isinstance(expression, str):
            raise DecoratorError(f"{where}: CronSchedule: the schedule must be a string")
        expression = expression.strip()
        try:
            check_cron(expression)
        except DecoratorError as exc:
            raise DecoratorError(f"{where}: {exc}") from None
        if offset is not None and (not isinstance(offset, str) or not _OFFSET.fullmatch(offset)):
            raise DecoratorError(
                f"{where}: CronSchedule: offset {offset!r} is not an ISO 8601 duration such "
                "as 'PT1H'"
            )
        self.spec = CronScheduleSpec(
            expression=expression,
            offset=offset or "",
            kickoff_time_input=kickoff_time_input_arg or "",
        )

    @property
    def kickoff_time_input_arg(self) -> str:
        """The workflow input that receives the scheduled time ('' for none)."""
        return self.spec.kickoff_time_input


class FixedRate:
    """Fire every ``duration`` (whole minutes, at least one); the scheduled time is given to
    the workflow input ``kickoff_time_input_arg``."""

    def __init__(
        self, duration: datetime.timedelta, kickoff_time_input_arg: str | None = None
    ) -> None:
        where = caller_location()
        if not isinstance(duration, datetime.timedelta):
            raise DecoratorError(
                f"{where}: FixedRate: duration must be a datetime.timedelta, not {duration!r}"
            )
        seconds = duration.total_seconds()
        if seconds < 60 or seconds % 60:
            raise DecoratorError(
                f"{where}: FixedRate: duration must be a whole number of minutes, at least "
                f"one; got {duration}"
            )
        self.spec = FixedRateSchedule(
            every=duration, kickoff_time_input=kickoff_time_input_arg or ""
        )

    @property
    def kickoff_time_input_arg(self) -> str:
        """The workflow input that receives the scheduled time ('' for none)."""
        return self.spec.kickoff_time_input


def schedule_spec(schedule: object) -> Schedule:
    """The IR of ``schedule``, a ``CronSchedule`` or ``FixedRate``."""
    if isinstance(schedule, CronSchedule | FixedRate):
        return schedule.spec
    raise DecoratorError(
        f"schedule must be a CronSchedule or a FixedRate, not {type(schedule).__name__}"
    )


def check_cron(expression: str) -> None:
    """Refuse a cron expression that is not five valid fields or a known alias."""
    if expression.startswith("@"):
        if expression.lower() not in _ALIASES:
            raise DecoratorError(
                f"cron schedule {expression!r}: unknown alias; "
                f"use one of {', '.join(sorted(_ALIASES))}"
            )
        return
    fields = expression.split()
    if len(fields) != len(_FIELDS):
        raise DecoratorError(
            f"cron schedule {expression!r} has {len(fields)} fields; it needs five: "
            "minute, hour, day of month, month, day of week"
        )
    for text, (name, low, high, names) in zip(fields, _FIELDS, strict=True):
        for item in text.split(","):
            _check_item(expression, item, name, low, high, names)


def _check_item(
    expression: str, item: str, name: str, low: int, high: int, names: list[str]
) -> None:
    match = _ITEM.fullmatch(item)
    problem = "" if match else "is not a number, a range, a list or a step"
    if match and match.group(1) != "*":
        values = [_value(bound, low, names) for bound in match.group(1).split("-")]
        if any(value is None for value in values):
            problem = "is not a number" + (" or a name" if names else "")
        elif not all(low <= value <= high for value in values if value is not None):
            problem = f"is out of range ({low}-{high})"
        elif len(values) == 2 and (values[0] or 0) > (values[1] or 0):
            problem = "is a range that runs backwards"
    if match and match.group(2) is not None and int(match.group(2)) == 0:
        problem = "has a step of 0"
    if problem:
        raise DecoratorError(f"cron schedule {expression!r}: {name} {item!r} {problem}")


def _value(bound: str, low: int, names: list[str]) -> int | None:
    if bound.isdigit():
        return int(bound)
    upper = bound.upper()
    return names.index(upper) + low if upper in names else None
