"""Sensors: tasks that wait until something is true. ``BaseSensor`` and ``FileSensor``.

A sensor's inputs are the parameters of its ``poke`` method (sync or ``async``), which says
whether the condition holds. The sensor pokes until it does, waiting longer between pokes
each time (from ``MIN_INTERVAL`` up to ``MAX_INTERVAL`` seconds); with a ``timeout``, it
gives up when that has passed, failing the attempt (recoverable, so ``retries`` apply, as
for a task timeout). A sensor holds a worker while it waits.
"""

from __future__ import annotations

import asyncio
import datetime
import inspect
import time
import typing
from abc import abstractmethod
from typing import Any

from aloft.errors import DecoratorError, FlyteRecoverableException
from aloft.sdk.interface import Interface, type_hints
from aloft.sdk.location import caller_location
from aloft.sdk.python_task import PythonTask
from aloft.storage import store_for
from aloft.types.structured.blobs import normalise_uri

MIN_INTERVAL = 0.05
"""Seconds before the second poke."""

MAX_INTERVAL = 5.0
"""The longest wait between two pokes, in seconds."""


class SensorTimeout(FlyteRecoverableException):
    """A sensor's condition did not hold within its timeout."""


class BaseSensor(PythonTask[Any]):
    """A task that pokes until its condition holds.

    Args:
        name: The task's name.
        timeout: Seconds or a ``timedelta`` after which the sensor gives up (none: never).
        sensor_config: The sensor's configuration, recorded with the task.
        task_type: The task type recorded in the IR.
        **kwargs: The other ``PythonTask`` settings (``metadata``, ...).
    """

    def __init__(
        self,
        name: str,
        timeout: datetime.timedelta | int | float | None = None,
        sensor_config: Any = None,
        task_type: str = "sensor",
        **kwargs: Any,
    ) -> None:
        where = f"{caller_location()}: sensor {name!r}"
        super().__init__(
            task_type=task_type,
            name=name,
            task_config=sensor_config,
            interface=self._poke_interface(where),
            **kwargs,
        )
        self._timeout = self._timeout_of(timeout)

    @property
    def timeout(self) -> datetime.timedelta | None:
        """How long the sensor waits before it gives up."""
        return self._timeout

    @abstractmethod
    def poke(self, **kwargs: Any) -> Any:
        """Whether the condition holds (a bool, or a coroutine of one)."""

    def describe(self, **kwargs: Any) -> str:
        """What the sensor waits for, for messages."""
        return "its condition"

    def get_config(self, settings: Any = None) -> dict[str, str]:
        seconds = self._timeout.total_seconds() if self._timeout is not None else None
        return {"sensor.timeout_seconds": "" if seconds is None else repr(seconds)}

    def execute(self, **kwargs: Any) -> None:
        """Poke until the condition holds, backing off; give up at the timeout."""
        start = time.monotonic()
        deadline = None if self._timeout is None else start + self._timeout.total_seconds()
        interval = MIN_INTERVAL
        pokes = 0
        while True:
            pokes += 1
            result = self.poke(**kwargs)
            if inspect.isawaitable(result):
                result = asyncio.run(_awaited(result))
            if result:
                return
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                waited = self._timeout.total_seconds() if self._timeout else 0.0
                raise SensorTimeout(
                    f"{type(self).__name__} {self.name}: gave up waiting for "
                    f"{self.describe(**kwargs)} after {waited:g}s ({pokes} pokes)"
                )
            pause = interval if deadline is None else min(interval, max(deadline - now, 0.0))
            time.sleep(pause)
            interval = min(interval * 2, MAX_INTERVAL)

    def _poke_interface(self, what: str) -> Interface:
        """The sensor's inputs: the parameters of ``poke``, each of which must be annotated."""
        hints = type_hints(self.poke, what)
        inputs = {}
        for name, parameter in inspect.signature(self.poke).parameters.items():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            if name not in hints:
                raise DecoratorError(f"{what}: poke's parameter {name!r} has no type annotation")
            inputs[name] = hints[name]
        return Interface(inputs=inputs, defaults={}, outputs={})

    def _timeout_of(self, value: Any) -> datetime.timedelta | None:
        metadata_timeout = self.metadata.timeout
        if value is None:
            return None
        if metadata_timeout is not None:
            raise DecoratorError(
                f"{self.what}: give the timeout either as timeout= or in TaskMetadata, not both"
            )
        if isinstance(value, bool) or not isinstance(value, int | float | datetime.timedelta):
            raise DecoratorError(
                f"{self.what}: timeout must be seconds or a timedelta, got {value!r}"
            )
        delta = value if isinstance(value, datetime.timedelta) else datetime.timedelta(0, value)
        if delta <= datetime.timedelta(0):
            raise DecoratorError(f"{self.what}: timeout must be positive, got {value!r}")
        return delta


class FileSensor(BaseSensor):
    """Waits until a file or folder exists at ``path``: a local path or a URI of any store
    aloft reads (``s3://``, ``gs://``, ...), with the configured store options.

    Args:
        name: The task's name.
        timeout: Seconds or a ``timedelta`` after which it gives up (none: never).
        **kwargs: The other ``BaseSensor`` settings.
    """

    def __init__(
        self, name: str, timeout: datetime.timedelta | int | float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(name=name, timeout=timeout, **kwargs)

    # Each sensor's poke declares its own inputs, as flytekit's do: not a Liskov override.
    def poke(self, path: str) -> bool:  # type: ignore[override]
        """Whether anything is stored at ``path`` now (never a cached listing)."""
        uri = normalise_uri(path)
        return store_for(uri).exists(uri)

    def describe(self, **kwargs: Any) -> str:
        return f"a file at {kwargs.get('path')}"


async def _awaited(awaitable: typing.Awaitable[Any]) -> Any:
    return await awaitable
