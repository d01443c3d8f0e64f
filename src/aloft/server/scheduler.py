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

from aloft.errors import UserError
from aloft.ir import (
    ExecutionId,
    Identifier,
    LaunchPlanSpec,
    ResourceType,
    Schedule,
    from_json,
)
from aloft.server.control_plane import Conflict, ControlPlane, Launch
from aloft.server.schedules import fire_times

_log = logging.getLogger("aloft.scheduler")


def execution_name(plan: Identifier, at: float) -> str:
    """The name of the execution a launch plan's schedule starts for time ``at``: the
    plan's short name, a digest of its full name, and the time."""
    short = re.sub(r"[^A-Za-z0-9_-]", "-", plan.name.rpartition(".")[2])[:30].lstrip("_-")
    digest = hashlib.sha256(plan.name.encode()).hexdigest()[:6]
    return f"{short or 'plan'}-{digest}-{int(at)}"


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
        """Launch every scheduled execution due by ``now``; the ones launched. A plan that
        fails to launch (the database failing, say) is tried again at the next look."""
        launched: list[ExecutionId] = []
        registry = self.control.registry
        for plan_id, last_fired in registry.active():
            try:
                plan = from_json(registry.get(plan_id).template, LaunchPlanSpec)
                if plan.schedule is None:
                    continue
                for at in fire_times(plan.schedule, last_fired or now, now):
                    execution = self._launch(plan, plan.schedule, at)
                    if execution is not None:
                        launched.append(execution)
                    registry.fired(plan_id, at)
            except Exception:
                _log.exception("firing the schedule of %s failed; trying again later", plan_id)
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
        except UserError as exc:  # the plan cannot launch (a required input without default)
            _log.error("launch plan %s cannot launch its run for %s: %s", id, at, exc)
            return None
        _log.info("launched %s, scheduled for %s", record.id, at)
        return record.id
