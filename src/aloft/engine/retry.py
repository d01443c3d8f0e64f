"""Which failures are retried, and from which budget.

As in Flyte: a ``FlyteRecoverableException`` (and an attempt stopped at its timeout) is retried
up to the task's ``retries``; any other exception from user code fails the node at once.
Platform failures are retried from a separate system budget that the user's retries do not
pay for.
"""

from __future__ import annotations

from aloft.engine.state import NodeState
from aloft.ir import ErrorKind, ExecutionError

DEFAULT_SYSTEM_RETRIES = 3


def should_retry(
    error: ExecutionError, state: NodeState, retries: int, system_retries: int
) -> bool:
    """Whether the attempt that failed with ``error`` gets another try.

    ``state`` holds the failure counts from before this failure.
    """
    if error.kind is ErrorKind.SYSTEM:
        return state.system_failures < system_retries
    if error.kind in (ErrorKind.RECOVERABLE, ErrorKind.TIMEOUT):
        return state.user_failures < retries
    return False
