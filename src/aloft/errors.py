"""The exception tree of aloft.

Errors are part of the public API: user errors (a bad type, a bad input, a failing task) are
kept apart from system errors (a lost worker, an unavailable store), so the engine can retry
the latter without spending the user's retry budget, and the CLI can print the former as one
clear line without an internal traceback.
"""

from __future__ import annotations


class AloftError(Exception):
    """Base class of every error raised by aloft itself."""


class UserError(AloftError):
    """Something the user wrote or passed is wrong; retrying will not help."""


class CompileError(UserError):
    """A workflow does not compile: a type mismatch, a missing input, a cycle, ..."""


class TypeTransformerError(UserError):
    """A Python type or value cannot be converted to or from an aloft literal."""


class InputError(UserError):
    """An input given to a run (CLI value, call argument) is missing, unknown or malformed."""


class DecoratorError(UserError):
    """A decorator (``@task``, ``@workflow``) was given an argument it does not accept."""


class ExecutionFailedError(UserError):
    """An execution finished in a failed phase; the message names the failing node and task."""


class PlatformError(AloftError):
    """Infrastructure failed (a worker died, storage was unavailable); the system retries it."""


class FlyteRecoverableException(Exception):
    """Raise from a task to mark the failure as transient: the task is retried up to ``retries``.

    Any other exception raised by a task fails it at once, as in Flyte.
    """
