"""Checking keyword arguments of decorators and overrides, with did-you-mean suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from aloft.compiler import Location
from aloft.errors import DecoratorError
from aloft.sdk.location import caller_location


def reject_unknown(
    what: str, given: dict[str, Any], known: Iterable[str], where: Location | None = None
) -> None:
    """Raise naming the first argument of ``given`` (if any), and the user's line that gave
    it (``where``, by default the caller's line): none of them is known."""
    if not given:
        return
    name = next(iter(given))
    raise DecoratorError(
        f"{where or caller_location()}: {what} got an unknown argument {name!r}"
        f"{suggest(name, known)}"
    )


def suggest(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``known``, or ``""``."""
    match = difflib.get_close_matches(name, list(known), n=1)
    return f"; did you mean {match[0]!r}?" if match else ""
