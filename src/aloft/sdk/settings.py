"""Converting and validating the policy arguments shared by ``@task`` and ``with_overrides``."""

from __future__ import annotations

import datetime
import hashlib
import inspect
from collections.abc import Callable, Iterable
from typing import Any

from aloft.errors import DecoratorError
from aloft.ir import CacheConfig
from aloft.sdk.resources import Cache


def timeout_of(
    value: datetime.timedelta | int | float | None, what: str
) -> datetime.timedelta | None:
    """A timeout as flytekit takes it (seconds or a timedelta; 0 or None for none)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | datetime.timedelta):
        raise DecoratorError(f"{what}: timeout must be seconds or a timedelta, got {value!r}")
    delta = value if isinstance(value, datetime.timedelta) else datetime.timedelta(seconds=value)
    if delta < datetime.timedelta(0):
        raise DecoratorError(f"{what}: timeout must not be negative, got {value!r}")
    return delta or None


def retries_of(value: Any, what: str) -> int:
    """A retry count: a non-negative int."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DecoratorError(f"{what}: retries must be a non-negative int, got {value!r}")
    return value


def interruptible_of(value: Any, what: str) -> bool | None:
    """Whether a task may run on capacity that can be taken away: True, False or None (unset)."""
    if value is not None and not isinstance(value, bool):
        raise DecoratorError(f"{what}: interruptible must be True, False or None, got {value!r}")
    return value


def cache_config_of(
    cache: bool | Cache,
    version: str,
    serialize: bool,
    ignored_inputs: Iterable[str] | str,
    *,
    inputs: Iterable[str],
    function: Callable[..., Any] | None,
    what: str,
) -> CacheConfig:
    """The IR cache settings from flytekit's two spellings: ``cache=True, cache_version=...``
    or ``cache=Cache(...)``. Without a version, the digest of the function's source is used,
    so editing the body invalidates the cache."""
    if isinstance(cache, Cache):
        if version or serialize or ignored_inputs:
            raise DecoratorError(
                f"{what}: give the cache settings in Cache(...) alone, not also as "
                "cache_version, cache_serialize or cache_ignore_input_vars"
            )
        version = cache.version or ""
        serialize = cache.serialize
        ignored_inputs = cache.ignored_inputs
        enabled = True
        salt = cache.salt
    elif isinstance(cache, bool):
        enabled, salt = cache, ""
    else:
        raise DecoratorError(f"{what}: cache must be a bool or a Cache, got {cache!r}")
    if not isinstance(version, str):
        raise DecoratorError(f"{what}: cache_version must be a string, got {version!r}")
    ignored = (ignored_inputs,) if isinstance(ignored_inputs, str) else tuple(ignored_inputs)
    if not enabled:
        if serialize:
            raise DecoratorError(f"{what}: cache_serialize needs cache=True")
        if version or ignored:
            raise DecoratorError(f"{what}: cache settings given but cache is not enabled")
        return CacheConfig()
    unknown = sorted(set(ignored) - set(inputs))
    if unknown:
        raise DecoratorError(f"{what}: cache ignores {', '.join(map(repr, unknown))}, not an input")
    if not version and function is not None:
        version = _source_digest(function, salt)
    return CacheConfig(enabled=True, version=version, serialize=serialize, ignored_inputs=ignored)


def _source_digest(function: Callable[..., Any], salt: str) -> str:
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        source = function.__qualname__
    return hashlib.sha256((salt + source).encode()).hexdigest()[:16]
