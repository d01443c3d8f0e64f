"""Documentation attached to tasks and workflows, and ``kwtypes``."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Description:
    """A long description: inline text or a link to it."""

    value: str | None = None
    uri: str | None = None
    icon_link: str | None = None


@dataclass(frozen=True)
class Documentation:
    """``@task(docs=Documentation(short_description=...))``."""

    short_description: str | None = None
    long_description: Description | None = None


def kwtypes(**kwargs: Any) -> OrderedDict[str, Any]:
    """Name-to-type pairs in the order given: ``kwtypes(a=int, b=str)``."""
    return OrderedDict(kwargs)
