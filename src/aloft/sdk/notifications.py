"""Notifications of launch plans: tell people (or a webhook) when an execution ends.

``Email``, ``Slack`` and ``PagerDuty`` take the phases to notify on and the recipients'
addresses, as flytekit's do; ``Webhook`` takes URLs. They are checked when created and
stored with the launch plan; the server sends them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum

from aloft.errors import DecoratorError
from aloft.ir import ExecutionOutcome, Notification, NotificationChannel
from aloft.sdk.location import caller_location

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+$")
_URL = re.compile(r"^https?://[^\s/]+\S*$")


class WorkflowExecutionPhase(Enum):
    """The phases of an execution, by flytekit's names; notifications are sent for its ends
    (SUCCEEDED, FAILED, ABORTED, TIMED_OUT)."""

    UNDEFINED = "undefined"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDING = "succeeding"
    SUCCEEDED = ExecutionOutcome.SUCCEEDED
    FAILING = "failing"
    FAILED = ExecutionOutcome.FAILED
    ABORTING = "aborting"
    ABORTED = ExecutionOutcome.ABORTED
    TIMED_OUT = ExecutionOutcome.TIMED_OUT


class _Notification:
    channel: NotificationChannel
    _pattern = _ADDRESS
    _what = "an e-mail address"

    def __init__(self, phases: Iterable[WorkflowExecutionPhase], recipients: Iterable[str]) -> None:
        what = f"{caller_location()}: {type(self).__name__}"
        if isinstance(phases, WorkflowExecutionPhase | str) or isinstance(recipients, str):
            raise DecoratorError(f"{what}: phases and recipients are lists, not single values")
        phases = list(phases)
        if not phases or not all(isinstance(p, WorkflowExecutionPhase) for p in phases):
            raise DecoratorError(
                f"{what}: phases must be one or more WorkflowExecutionPhase values "
                "(SUCCEEDED, FAILED, ABORTED, TIMED_OUT)"
            )
        for phase in phases:
            if not isinstance(phase.value, ExecutionOutcome):
                raise DecoratorError(
                    f"{what}: phase {phase.name} is not an end of an execution; notify on "
                    "SUCCEEDED, FAILED, ABORTED or TIMED_OUT"
                )
        recipients = list(recipients)
        if not recipients:
            raise DecoratorError(f"{what}: give at least one recipient")
        for recipient in recipients:
            if not isinstance(recipient, str) or not self._pattern.fullmatch(recipient):
                raise DecoratorError(f"{what}: {recipient!r} is not {self._what}")
        self.spec = Notification(
            channel=self.channel,
            phases=tuple(dict.fromkeys(ExecutionOutcome(p.value) for p in phases)),
            recipients=tuple(recipients),
        )


class Email(_Notification):
    """An e-mail to ``recipients_email`` when an execution ends in one of ``phases``."""

    channel = NotificationChannel.EMAIL

    def __init__(
        self, phases: Iterable[WorkflowExecutionPhase], recipients_email: Iterable[str]
    ) -> None:
        super().__init__(phases, recipients_email)


class Slack(_Notification):
    """A Slack message to ``recipients_email`` (channel addresses)."""

    channel = NotificationChannel.SLACK

    def __init__(
        self, phases: Iterable[WorkflowExecutionPhase], recipients_email: Iterable[str]
    ) -> None:
        super().__init__(phases, recipients_email)


class PagerDuty(_Notification):
    """A PagerDuty alert to ``recipients_email`` (integration addresses)."""

    channel = NotificationChannel.PAGER_DUTY

    def __init__(
        self, phases: Iterable[WorkflowExecutionPhase], recipients_email: Iterable[str]
    ) -> None:
        super().__init__(phases, recipients_email)


class Webhook(_Notification):
    """An HTTP POST of the execution's summary to each of ``urls``."""

    channel = NotificationChannel.WEBHOOK
    _pattern = _URL
    _what = "an http(s) URL"

    def __init__(self, phases: Iterable[WorkflowExecutionPhase], urls: Iterable[str]) -> None:
        super().__init__(phases, urls)


Notifications = Email | Slack | PagerDuty | Webhook


def notification_spec(notification: object) -> Notification:
    """The IR of ``notification``."""
    if isinstance(notification, _Notification):
        return notification.spec
    raise DecoratorError(
        "notifications must be a list of Email, Slack, PagerDuty or Webhook objects, "
        f"not {type(notification).__name__}"
    )
