"""The executor interface: where task attempts run.

Executors differ only in where a ``TaskAttemptSpec`` runs (this process, a pool of worker
processes, a Ray cluster); the engine talks to all of them through these methods.

How to add an executor: subclass ``Executor``, start the attempt in ``submit`` without
waiting for it (a token already submitted is ignored), and hand back finished attempts from
``poll``. Classify failures by who caused them: the task's own doing is ``ErrorKind.USER``
(or ``RECOVERABLE``/``TIMEOUT``; a process the task itself ended or crashed is
``RECOVERABLE``), a worker lost or killed from outside is ``ErrorKind.SYSTEM``, which the
engine retries from the system budget.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType

from aloft.ir import TaskAttemptResult, TaskAttemptSpec


class Executor(ABC):
    """Runs task attempts and reports their results."""

    @abstractmethod
    def submit(self, attempt: TaskAttemptSpec) -> None:
        """Start ``attempt``; its result comes back from ``poll``. Idempotent by token."""

    @abstractmethod
    def poll(self, timeout: float | None = None) -> list[TaskAttemptResult]:
        """Results of finished attempts, waiting up to ``timeout`` seconds for at least one.

        ``None`` waits until one finishes. Returns an empty list when nothing is running.
        """

    @abstractmethod
    def cancel(self, token: str) -> None:
        """Stop the attempt with ``token`` if it runs; no result is reported for it."""

    @abstractmethod
    def in_flight(self) -> set[str]:
        """Tokens of the attempts submitted and not yet reported (their leases are renewed)."""

    def busy(self) -> bool:
        """Whether any attempt is submitted and not yet reported (``in_flight`` is not empty);
        executors answer it without building the set."""
        return bool(self.in_flight())

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
