"""The executor interface: where task attempts run.

Executors differ only in where a ``TaskAttemptSpec`` runs (this process, a pool of worker
processes, a Ray cluster); the engine talks to all of them through these four methods.

How to add an executor: subclass ``Executor``, start the attempt in ``submit`` without
waiting for it, and hand back finished attempts from ``poll``. A failure of the platform
(a lost worker) is reported as a result whose error has ``ErrorKind.SYSTEM``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType

from aloft.ir import TaskAttemptResult, TaskAttemptSpec


class Executor(ABC):
    """Runs task attempts and reports their results."""

    @abstractmethod
    def submit(self, attempt: TaskAttemptSpec) -> None:
        """Start ``attempt``; its result comes back from ``poll``."""

    @abstractmethod
    def poll(self, timeout: float | None = None) -> list[TaskAttemptResult]:
        """Results of finished attempts, waiting up to ``timeout`` seconds for at least one.

        ``None`` waits until one finishes. Returns an empty list when nothing is running.
        """

    def cancel(self, node: str, attempt: int) -> None:  # noqa: B027 - optional for executors
        """Stop a running attempt; its result, if any, is discarded by the engine."""

    def close(self) -> None:  # noqa: B027 - optional for executors
        """Release workers and other resources."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
