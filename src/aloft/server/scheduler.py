"""The scheduler: launches the executions of active launch plans' cron and fixed-rate
schedules, once per scheduled time, across restarts and servers.

Each scheduled time gets an execution named after the launch plan and the time itself, so
a second attempt to launch it (after a crash between launching and recording the firing,
or from another server on the same database) finds the name taken and launches nothing.
A server that was down fires the times it missed when it comes back, up to ``MAX_CATCH_UP``
of the latest.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import threading
from collections.abc import Iterator

from croniter import croniter

from aloft.ir import (
    ExecutionId,
    FixedRateSchedule,
    Identifier,
    LaunchPlanSpec,
    ResourceType,
    Schedule,
    from_json,
)
from aloft.server.control_plane import Conflict, ControlPlane, Launch

_log = logging.getLogger("aloft.scheduler")

MAX_CATCH_UP = 50
"""The most scheduled times of one launch plan fired at once after the server was down."""
_OFFSET = re.compile(r"^(-?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def fire_times(schedule: Schedule, after: float, until: float) -> list[float]:
    """The scheduled times of ``schedule`` later than ``after`` and no later than ``until``
    (seconds since the epoch), the latest ``MAX_CATCH_UP`` of them."""
    times = list(_bounded(_times(schedule, after), until)) if after < until else []
    return times[-MAX_CATCH_UP:]


def _times(schedule: Schedule, after: float) -> Iterator[float]:
    """The scheduled times after ``after``, in order, without end."""
    if isinstance(schedule, FixedRateSchedule):
        every = schedule.every.total_seconds()
        tick = after + every
        while True:
            yield tick
            tick += every
    offset = offset_seconds(schedule.offset)
    start = datetime.datetime.fromtimestamp(after - offset, datetime.UTC)
    times = croniter(schedule.expression, start)
    while True:
        yield float(times.get_next(float)) + offset


def _bounded(times: Iterator[float], until: float) -> Iterator[float]:
    for tick in times:
        if tick > until:
            return
        yield tick


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


def execution_name(plan: Identifier, at: float) -> str:
    """The name of the execution a launch plan's schedule starts for time ``at``: the
    plan's short name, a digest of its full name, and the time."""
    short = re.sub(r"[^A-Za-z0-9_-]", "-", plan.name.rpartition(".")[2])[:30] or "plan"
    digest = hashlib.sha256(plan.name.encode()).hexdigest()[:6]
    return f"{short}-{digest}-{int(at)}"


class Scheduler:
    """Fires the schedules of ``control``'s active launch plans every ``interval`` seconds,
    in a thread of its own."""

    def __init__(self, control: ControlPlane, interval: float = 1.0) -> None:
        self.control = control
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start firing."""
        self._thread = threading.Thread(target=self._run, name="aloft-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop firing."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.fire(datetime.datetime.now(datetime.UTC).timestamp())
            except Exception:  # a database hiccup: the next turn tries again
                _log.exception("firing schedules failed")

    def fire(self, now: float) -> list[ExecutionId]:
        """Launch every scheduled execution due by ``now``; the ones launched."""
        launched: list[ExecutionId] = []
        registry = self.control.registry
        for plan_id, last_fired in registry.active():
            entity = registry.get(plan_id)
            plan = from_json(entity.template, LaunchPlanSpec)
            if plan.schedule is None:
                continue
            for at in fire_times(plan.schedule, last_fired or now, now):
                execution = self._launch(plan, plan.schedule, at)
                if execution is not None:
                    launched.append(execution)
                registry.fired(plan_id, at)
        return launched

    def _launch(self, plan: LaunchPlanSpec, schedule: Schedule, at: float) -> ExecutionId | None:
        values = {}
        if schedule.kickoff_time_input:
            moment = datetime.datetime.fromtimestamp(at, datetime.UTC)
            values[schedule.kickoff_time_input] = moment.isoformat()
        id = plan.id
        try:
            record = self.control.launch(
                Launch(
                    ResourceType.LAUNCH_PLAN,
                    id.name,
                    id.project,
                    id.domain,
                    id.version,
                    values,
                    execution_name=execution_name(id, at),
                    labels={"aloft.scheduled": "true"},
                )
            )
        except Conflict:  # launched before (a crash came before the firing was recorded)
            return None
        except Exception:  # a plan that cannot launch must not stop the others
            _log.exception("launching %s for %s failed", id, at)
            return None
        _log.info("launched %s, scheduled for %s", record.id, at)
        return record.id
