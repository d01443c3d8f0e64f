"""The scheduler: each scheduled time of an active launch plan launches one execution,
however often it looks and across restarts."""

from __future__ import annotations

import datetime
import sys
import time
from pathlib import Path

import pytest

from aloft.ir import CronSchedule, FixedRateSchedule, Identifier, ResourceType
from aloft.remote.registration import bundle_of, draft_of
from aloft.server.control_plane import ControlPlane
from aloft.server.registration import EntityDraft
from aloft.server.scheduler import Scheduler
from aloft.server.schedules import MAX_CATCH_UP, fire_times, offset_seconds, schedule_problem
from aloft.storage import BlobStore
from aloft.storage.executions import ExecutionQuery
from aloft.storage.executions.sql import SqlStore

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
T0 = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC).timestamp()


def test_fixed_rates_fire_every_interval_after_the_last_firing() -> None:
    every = FixedRateSchedule(every=datetime.timedelta(minutes=5))
    assert fire_times(every, T0, T0 + 299) == []
    assert fire_times(every, T0, T0 + 900) == [T0 + 300, T0 + 600, T0 + 900]


def test_cron_schedules_fire_on_their_times_shifted_by_their_offset() -> None:
    hourly = CronSchedule(expression="0 * * * *")
    assert fire_times(hourly, T0, T0 + 7200) == [T0 + 3600, T0 + 7200]
    assert fire_times(CronSchedule(expression="@daily"), T0, T0 + 86400) == [T0 + 12 * 3600]
    shifted = CronSchedule(expression="0 * * * *", offset="PT15M")
    assert fire_times(shifted, T0, T0 + 3600) == [T0 + 900]
    assert offset_seconds("-P1DT2H3M4S") == -(86400 + 7200 + 180 + 4)


def test_schedules_that_cannot_fire_are_named() -> None:
    assert "whole number of minutes" in str(
        schedule_problem(FixedRateSchedule(every=datetime.timedelta(0)))
    )
    assert schedule_problem(CronSchedule(expression="* * *")) is not None
    assert schedule_problem(CronSchedule(expression="0 * * * *", offset="1h")) is not None
    assert schedule_problem(CronSchedule(expression="@hourly", offset="PT5M")) is None


def test_a_long_outage_fires_only_the_latest_times() -> None:
    every = FixedRateSchedule(every=datetime.timedelta(minutes=1))
    times = fire_times(every, T0, T0 + 60 * 1000)
    assert len(times) == MAX_CATCH_UP and times[-1] == T0 + 60 * 1000


@pytest.fixture
def control(tmp_path: Path) -> ControlPlane:
    sys.path.insert(0, str(FIXTURES))
    try:
        import scheduled
    finally:
        sys.path.remove(str(FIXTURES))
    plane = ControlPlane(SqlStore(f"sqlite:///{tmp_path / 'db'}"), BlobStore(str(tmp_path / "s")))
    bundle = bundle_of(FIXTURES)
    plane.put_bundle(bundle.digest, bundle.data)
    body = draft_of(scheduled.every_minute)
    assert body is not None
    draft = EntityDraft(ResourceType.LAUNCH_PLAN, body["template"], body["closure"])
    plane.register("default", "development", "v1", bundle.digest, [draft])
    return plane


def test_each_scheduled_time_launches_once_across_looks_and_restarts(control: ControlPlane) -> None:
    plan = Identifier(ResourceType.LAUNCH_PLAN, "every_minute", "default", "development", "v1")
    assert Scheduler(control).fire(time.time() + 600) == []  # not active: nothing fires
    control.activate(plan, True)
    ((_, activated),) = control.registry.active()
    assert activated is not None
    now = time.time()
    first = Scheduler(control).fire(now + 185)
    assert len(first) == 3
    assert Scheduler(control).fire(now + 185) == []  # a restarted scheduler: nothing again
    control.registry.fired(plan, activated)  # as if a crash came before the firings were kept
    assert Scheduler(control).fire(now + 185) == []  # the runs' names are taken: none twice
    assert control.executions(ExecutionQuery(launch_plan="every_minute")).records[3:] == []
    later = Scheduler(control).fire(now + 245)
    assert len(later) == 1
    spec = control.spec(later[0])
    assert spec.launch_plan == plan
    given = spec.inputs["at"]
    assert abs(given.value.timestamp() - (now + 240)) < 2
    control.activate(plan, False)
    assert Scheduler(control).fire(now + 3600) == []
