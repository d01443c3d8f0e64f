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
    """The nodes a workflow body has created so far, and the Python task objects they run.

    While a case of a conditional is open (between ``if_(...)`` and ``then(...)``), the nodes
    called go into that case instead; cases nest.
    """

    workflow: str
    nodes: list[TracedNode] = field(default_factory=list)
    tasks: dict[Identifier, Any] = field(default_factory=dict)
    _count: int = 0
    _cases: list[list[TracedNode]] = field(default_factory=list)

    def next_id(self) -> str:
        """A fresh node id: ``n0``, ``n1``, ... in call order, unique across cases too."""
        self._count += 1
        return f"n{self._count - 1}"

    def add(self, node: TracedNode) -> None:
        """Add ``node`` to the innermost open case, or to the workflow."""
        (self._cases[-1] if self._cases else self.nodes).append(node)

    def open_case(self) -> None:
        """Nodes called from now on belong to a new case, until ``close_case``."""
        self._cases.append([])

    def close_case(self) -> list[TracedNode]:
        """End the innermost case; returns its nodes."""
        return self._cases.pop()

    @property
    def in_case(self) -> bool:
        """Whether a case of a conditional is open."""
        return bool(self._cases)


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
