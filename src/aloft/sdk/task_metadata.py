"""``TaskMetadata``: flytekit's runtime policy object for tasks that are classes, not functions.

``@task`` takes these settings as keyword arguments; a ``PythonTask`` subclass (``ShellTask``,
``SQLite3Task``, a user's own task type) takes them as ``metadata=TaskMetadata(...)``. Bad
values are refused where the object is built, naming the user's file and line.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from aloft.errors import DecoratorError
from aloft.ir import TaskMetadata as TaskMetadataSpec
from aloft.sdk.location import caller_location
from aloft.sdk.settings import cache_config_of, interruptible_of, retries_of, timeout_of


@dataclass
class TaskMetadata:
    """Retries, timeout, caching and the other policy of one task, with flytekit's fields.

    Attributes:
        cache: Whether outputs are memoised by inputs (needs ``cache_version``).
        cache_serialize: Identical attempts running at once compute once.
        cache_version: The version outputs are cached under.
        cache_ignore_input_vars: Inputs left out of the cache key.
        interruptible: Whether the task may run on capacity that can be taken away.
        deprecated: A warning message for a deprecated task (empty: not deprecated).
        retries: Retries after the first attempt, for recoverable failures and timeouts.
        timeout: Seconds or a ``timedelta`` after which an attempt is stopped.
        pod_template_name: Recorded for compatibility.
        generates_deck: Recorded for compatibility.
        is_eager: Recorded for compatibility.
        labels: Labels recorded with the task.
        annotations: Annotations recorded with the task.
    """

    cache: bool = False
    cache_serialize: bool = False
    cache_version: str = ""
    cache_ignore_input_vars: tuple[str, ...] = ()
    interruptible: bool | None = None
    deprecated: str = ""
    retries: int = 0
    timeout: datetime.timedelta | int | None = None
    pod_template_name: str | None = None
    generates_deck: bool = False
    is_eager: bool = False
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None

    def __post_init__(self) -> None:
        what = f"{caller_location()}: TaskMetadata"
        if isinstance(self.timeout, int) and not isinstance(self.timeout, bool):
            self.timeout = datetime.timedelta(seconds=self.timeout)
        timeout_of(self.timeout, what)
        retries_of(self.retries, what)
        if not isinstance(self.cache, bool):
            raise DecoratorError(f"{what}: cache must be True or False, got {self.cache!r}")
        if self.cache and not self.cache_version:
            raise DecoratorError(f"{what}: cache=True needs a cache_version")
        if (self.cache_serialize or self.cache_ignore_input_vars) and not self.cache:
            raise DecoratorError(
                f"{what}: cache_serialize and cache_ignore_input_vars need cache=True"
            )
        interruptible_of(self.interruptible, what)
        if not isinstance(self.deprecated, str):
            raise DecoratorError(f"{what}: deprecated must be a message string")

    @property
    def retry_strategy(self) -> int:
        """The number of retries (flytekit's name for it)."""
        return self.retries

    def to_spec(self, inputs: Iterable[str], what: str) -> TaskMetadataSpec:
        """The IR form, for a task with ``inputs``; ``what`` names the task in errors."""
        cache = cache_config_of(
            self.cache,
            self.cache_version,
            self.cache_serialize,
            self.cache_ignore_input_vars,
            inputs=inputs,
            function=None,
            what=what,
        )
        return TaskMetadataSpec(
            retries=retries_of(self.retries, what),
            timeout=timeout_of(self.timeout, what),
            cache=cache,
            interruptible=self.interruptible,
            deprecated=self.deprecated,
        )
