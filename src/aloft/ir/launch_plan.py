"""Launch plans: a workflow with default and fixed inputs, and how it is started."""

from __future__ import annotations

import datetime

import msgspec

from aloft.ir.base import IRModel
from aloft.ir.identifiers import Identifier
from aloft.ir.literals import Literal


class _ScheduleBase(IRModel, frozen=True, tag_field="kind"):
    pass


class CronSchedule(_ScheduleBase, frozen=True, tag="cron"):
    """Fire on a cron expression; ``kickoff_time_input`` receives the scheduled time."""

    expression: str
    kickoff_time_input: str = ""


class FixedRateSchedule(_ScheduleBase, frozen=True, tag="fixed_rate"):
    """Fire every ``every``."""

    every: datetime.timedelta
    kickoff_time_input: str = ""


Schedule = CronSchedule | FixedRateSchedule


class LaunchPlanSpec(IRModel, frozen=True):
    """How a workflow is launched: inputs it defaults or fixes, schedule, labels."""

    id: Identifier
    workflow: Identifier
    default_inputs: dict[str, Literal] = msgspec.field(default_factory=dict)
    fixed_inputs: dict[str, Literal] = msgspec.field(default_factory=dict)
    schedule: Schedule | None = None
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)
    max_parallelism: int | None = None
