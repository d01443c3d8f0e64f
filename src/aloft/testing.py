"""Helpers for unit tests of tasks and workflows, as ``flytekit.testing`` offers them.

``task_mock(t)`` replaces the body of task ``t`` (a reference task, or a workflow called as a
subworkflow, too) with a ``unittest.mock.MagicMock`` while a ``with`` block runs; ``@patch(t)``
does so for a whole test, handing it the mock. Workflows called as functions in the block run
the mock instead, in this process::

    with task_mock(fetch_prices) as prices:
        prices.return_value = [1.0, 2.0]
        assert report_wf(day="2024-01-31") == 1.5

``SecretsManager`` names where a secret is looked for, to set one up in a test::

    os.environ[SecretsManager().get_secrets_env_var("db", "password")] = "s3cret"

Mocks hold in this process only: a task with a timeout (which runs in a child process) or a
durable run does not see them, and a cached task that hits its cache runs neither.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import MagicMock

from aloft.sdk.mocks import mock_id, mocked
from aloft.sdk.secrets import SecretsManager

__all__ = ["SecretsManager", "patch", "task_mock"]

_logger = logging.getLogger("aloft.testing")


@contextmanager
def task_mock(t: Any) -> Iterator[MagicMock]:
    """Replace the body of task ``t`` with a ``MagicMock`` for the block; yields the mock.

    Raises:
        TypeError: ``t`` is neither a task nor a workflow.
    """
    mock = MagicMock()
    with mocked(_checked(t, "task_mock"), _logged(t, mock)):
        yield mock


def patch(target: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a test so that task or workflow ``target`` runs a ``MagicMock``, given to the
    test as its first argument."""
    _checked(target, "patch")

    def wrapper(test_fn: Callable[..., Any]) -> Callable[..., Any]:
        def new_test(*args: Any, **kwargs: Any) -> Any:
            mock = MagicMock()
            with mocked(target, _logged(target, mock)):
                return test_fn(mock, *args, **kwargs)

        # No __wrapped__: pytest would read the mock parameter as a fixture to supply.
        new_test.__name__ = test_fn.__name__
        new_test.__qualname__ = test_fn.__qualname__
        new_test.__doc__ = test_fn.__doc__
        new_test.__module__ = test_fn.__module__
        return new_test

    return wrapper


def _checked(t: Any, what: str) -> Any:
    if mock_id(t) is None:
        raise TypeError(f"{what} mocks tasks, reference tasks and workflows, not {t!r}")
    return t


def _logged(t: Any, mock: MagicMock) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        _logger.debug("running the mock of %s", t.name)
        return mock(*args, **kwargs)

    return call
