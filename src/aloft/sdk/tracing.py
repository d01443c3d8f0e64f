"""The graph being traced while a ``@workflow`` body runs.

It is one of the two ambient things in aloft (STYLE.md, point 7): it lives in a ContextVar,
set by ``tracing()`` and reset in ``finally``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aloft.compiler import TracedNode
from aloft.ir import Identifier


@dataclass
class GraphBuilder:
    """The nodes a workflow body has created so far, and the Python task objects they run."""

    workflow: str
    nodes: list[TracedNode] = field(default_factory=list)
    tasks: dict[Identifier, Any] = field(default_factory=dict)

    def next_id(self) -> str:
        """The id of the next node: ``n0``, ``n1``, ... in call order."""
        return f"n{len(self.nodes)}"


_active: ContextVar[GraphBuilder | None] = ContextVar("aloft_tracing", default=None)


def active_builder() -> GraphBuilder | None:
    """The graph being traced, or None outside a workflow body."""
    return _active.get()


@contextmanager
def tracing(builder: GraphBuilder) -> Iterator[GraphBuilder]:
    """Trace calls into ``builder`` for the duration of the block."""
    token = _active.set(builder)
    try:
        yield builder
    finally:
        _active.reset(token)
