"""Launch plans: a workflow with default and fixed inputs, and how it is started.

A launch plan's schedule and notifications are stored with it and checked when it is
created; the server's scheduler fires the schedules and sends the notifications.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

import msgspec

from aloft.ir.base import IRModel
from aloft.ir.identifiers import Identifier
from aloft.ir.literals import Literal


class _ScheduleBase(IRModel, frozen=True, tag_field="kind"):
    pass


class CronSchedule(_ScheduleBase, frozen=True, tag="cron"):
    """Fire on a cron expression (five fields, or an alias such as ``@hourly``), shifted by
    ``offset`` (an ISO 8601 duration); ``kickoff_time_input`` receives the scheduled time."""

    expression: str
    offset: str = ""
    kickoff_time_input: str = ""


class FixedRateSchedule(_ScheduleBase, frozen=True, tag="fixed_rate"):
    """Fire every ``every`` (whole minutes)."""

    every: datetime.timedelta
    kickoff_time_input: str = ""


Schedule = CronSchedule | FixedRateSchedule


class ExecutionOutcome(StrEnum):
    """The end of an execution a notification can be sent for."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ABORTED = "aborted"
    TIMED_OUT = "timed_out"


class NotificationChannel(StrEnum):
    """Where a notification goes."""

    EMAIL = "email"
    SLACK = "slack"
    PAGER_DUTY = "pager_duty"
    WEBHOOK = "webhook"


class Notification(IRModel, frozen=True):
    """Tell ``recipients`` (addresses, or the URL of a webhook) when an execution ends in one
    of ``phases``."""

    channel: NotificationChannel
    phases: tuple[ExecutionOutcome, ...]
    recipients: tuple[str, ...]


class SecurityContextSpec(IRModel, frozen=True):
    """Who an execution runs as, and the secrets it may read."""

    iam_role: str = ""
    service_account: str = ""
    secrets: tuple[tuple[str, str], ...] = ()
    """(group, key) pairs."""


class LaunchPlanSpec(IRModel, frozen=True):
    """How a workflow is launched: inputs it defaults or fixes, schedule, notifications,
    labels and annotations given to its executions, and how many tasks may run at once."""

    id: Identifier
    workflow: Identifier
    default_inputs: dict[str, Literal] = msgspec.field(default_factory=dict)
    fixed_inputs: dict[str, Literal] = msgspec.field(default_factory=dict)
    schedule: Schedule | None = None
    notifications: tuple[Notification, ...] = ()
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)
    max_parallelism: int | None = None
    security_context: SecurityContextSpec | None = None
    overwrite_cache: bool = False
    auto_activate: bool = False
