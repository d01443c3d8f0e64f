"""Which failures are retried, and from which budget.

As in Flyte: a ``FlyteRecoverableException`` (and an attempt stopped at its timeout) is retried
up to the task's ``retries``; any other exception from user code fails the node at once.
Platform failures are retried from a separate system budget that the user's retries do not
pay for.
"""

from __future__ import annotations

from aloft.ir import ErrorKind, ExecutionError

DEFAULT_SYSTEM_RETRIES = 3

Failures = tuple[int, int]
"""How often a node (or an array item) has failed so far: (user, system)."""


def should_retry(
    error: ExecutionError, failures: Failures, retries: int, system_retries: int
) -> bool:
    """Whether the attempt that failed with ``error`` gets another try, given the
    ``failures`` from before this one."""
    user, system = failures
    if error.kind is ErrorKind.SYSTEM:
        return system < system_retries
    if error.kind in (ErrorKind.RECOVERABLE, ErrorKind.TIMEOUT):
        return user < retries
    return False


def counted(error: ExecutionError, failures: Failures) -> Failures:
    """The failure counts after one more failure with ``error``."""
    user, system = failures
    if error.kind is ErrorKind.SYSTEM:
        return user, system + 1
    return user + 1, system
