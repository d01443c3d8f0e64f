"""Schedule arithmetic: when a cron or fixed-rate schedule fires, and whether a schedule a
client sent is one that can fire."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator

from croniter import croniter

from aloft.ir import FixedRateSchedule, Schedule

MAX_CATCH_UP = 50
"""The most scheduled times of one launch plan fired at once after the server was down."""
_OFFSET = re.compile(r"^(-?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def fire_times(schedule: Schedule, after: float, until: float) -> list[float]:
    """The scheduled times of ``schedule`` later than ``after`` and no later than ``until``
    (seconds since the epoch), the latest ``MAX_CATCH_UP`` of them, oldest first."""
    times: list[float] = []
    for tick in _times_back(schedule, after, until):
        if tick <= after or len(times) == MAX_CATCH_UP:
            break
        times.append(tick)
    return times[::-1]


def _times_back(schedule: Schedule, after: float, until: float) -> Iterator[float]:
    """The scheduled times no later than ``until``, latest first, without end (fixed rates
    count from ``after``, the firing before)."""
    if isinstance(schedule, FixedRateSchedule):
        every = schedule.every.total_seconds()
        tick = after + math.floor((until - after) / every) * every
        while True:
            yield tick
            tick -= every
    offset = offset_seconds(schedule.offset)
    start = datetime.datetime.fromtimestamp(until - offset, datetime.UTC)
    times = croniter(schedule.expression, start)
    if times.match(schedule.expression, start):  # ``until`` itself is a scheduled time
        yield until
    while True:
        yield float(times.get_prev(float)) + offset


def schedule_problem(schedule: Schedule) -> str | None:
    """What is wrong with ``schedule`` (one a client sent), or None."""
    if isinstance(schedule, FixedRateSchedule):
        seconds = schedule.every.total_seconds()
        if seconds < 60 or seconds % 60:
            return f"a fixed rate must be a whole number of minutes, at least one, not {seconds} s"
        return None
    if not croniter.is_valid(schedule.expression):
        return f"cron expression {schedule.expression!r} is not valid"
    if schedule.offset and _OFFSET.fullmatch(schedule.offset) is None:
        return f"offset {schedule.offset!r} is not an ISO 8601 duration such as 'PT1H'"
    return None


def offset_seconds(offset: str) -> float:
    """An ISO 8601 duration such as ``PT1H`` or ``-P1DT30M`` in seconds (0 for '')."""
    if not offset:
        return 0.0
    match = _OFFSET.fullmatch(offset)
    if match is None:
        raise ValueError(f"not an ISO 8601 duration: {offset!r}")
    sign, days, hours, minutes, seconds = match.groups()
    total = int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60
    total += int(seconds or 0)
    return float(-total if sign else total)
