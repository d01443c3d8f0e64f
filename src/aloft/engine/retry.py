"""Which failures are retried, and from which budget.

As in Flyte: a ``FlyteRecoverableException`` (and an attempt stopped at its timeout) is retried
up to the task's ``retries``; any other exception from user code fails the node at once.
Platform failures are retried from a separate system budget that the user's retries do not
pay for.
"""

from __future__ import annotations

from aloft.ir import ErrorKind, ExecutionError, NodeRecord

DEFAULT_SYSTEM_RETRIES = 3


def should_retry(
    error: ExecutionError, record: NodeRecord, retries: int, system_retries: int
) -> bool:
    """Whether the attempt that failed with ``error`` gets another try.

    ``record`` holds the failure counts from before this failure.
    """
    if error.kind is ErrorKind.SYSTEM:
        return record.system_failures < system_retries
    if error.kind in (ErrorKind.RECOVERABLE, ErrorKind.TIMEOUT):
        return record.user_failures < retries
    return False


def counted(error: ExecutionError, record: NodeRecord) -> tuple[int, int]:
    """The (user, system) failure counts of ``record`` after one more failure with ``error``."""
    if error.kind is ErrorKind.SYSTEM:
        return record.user_failures, record.system_failures + 1
    return record.user_failures + 1, record.system_failures
