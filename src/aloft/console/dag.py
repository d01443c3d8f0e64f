"""Laying a DAG out on the server: boxes in columns, left to right, edges between them.

A layered layout, as graphviz's ``dot`` does in outline: each node goes in the column after
the furthest of its upstream nodes (the longest path from a source), nodes within a column are
ordered to sit near their neighbours (a few sweeps of the barycentre heuristic, which cuts
most edge crossings), and a column with more than ``MAX_ROWS`` nodes is wrapped into several,
so a fan-out of a thousand tasks is a block of columns, not a box a hundred thousand pixels
tall. Boxes may differ in size (an expanded subworkflow is a box holding its own layout).

Everything here is plain geometry: it knows nothing of workflows, phases or SVG.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_ROWS = 25
"""Nodes in one column before the column wraps into another."""
COLUMN_GAP = 56.0
ROW_GAP = 16.0
SWEEPS = 4
"""Barycentre sweeps (down and up) ordering the nodes within columns."""


@dataclass(frozen=True)
class Placed:
    """A box: its top-left corner and size."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Line:
    """An edge from the right side of ``source`` to the left side of ``target``."""

    source: str
    target: str
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Layout:
    """Where every box and edge of a graph goes, and the size of the whole."""

    boxes: dict[str, Placed]
    lines: list[Line]
    width: float
    height: float


def lay_out(sizes: Mapping[str, tuple[float, float]], edges: Sequence[tuple[str, str]]) -> Layout:
    """The layout of the graph whose nodes have ``sizes`` (width, height; in the order they
    are given, which ties are broken by) and whose ``edges`` run (upstream, downstream).

    Edges naming unknown nodes are ignored; a cycle (which a compiled workflow never has) is
    broken where it is found, so every node is placed.
    """
    order = list(sizes)
    index = {node: i for i, node in enumerate(order)}
    upstream: dict[str, list[str]] = {node: [] for node in order}
    downstream: dict[str, list[str]] = {node: [] for node in order}
    for source, target in dict.fromkeys(edges):
        if source in index and target in index and source != target:
            upstream[target].append(source)
            downstream[source].append(target)
    columns = _columns(order, upstream, downstream)
    _order_rows(columns, upstream, downstream)
    wrapped = [chunk for column in columns for chunk in _wrap(column)]
    return _place(wrapped, sizes, upstream)


def _columns(
    order: list[str], upstream: dict[str, list[str]], downstream: dict[str, list[str]]
) -> list[list[str]]:
    """Nodes by column: the longest path from a source, in a topological order (Kahn's,
    ties taken in the given order)."""
    waiting = {node: len(upstream[node]) for node in order}
    ready = [node for node in order if not waiting[node]]
    column: dict[str, int] = {}
    placed = 0
    while placed < len(order):
        if not ready:  # a cycle: take the first node still waiting
            ready = [next(node for node in order if node not in column)]
        next_ready: list[str] = []
        for node in ready:
            if node in column:
                continue
            column[node] = max((column[up] + 1 for up in upstream[node] if up in column), default=0)
            placed += 1
            for down in downstream[node]:
                waiting[down] -= 1
                if waiting[down] == 0:
                    next_ready.append(down)
        ready = next_ready
    columns: list[list[str]] = [[] for _ in range(max(column.values(), default=-1) + 1)]
    for node in order:
        columns[column[node]].append(node)
    return columns


def _order_rows(
    columns: list[list[str]], upstream: dict[str, list[str]], downstream: dict[str, list[str]]
) -> None:
    """Reorder each column (in place) so nodes sit near the mean row of their neighbours."""
    row = {node: i for column in columns for i, node in enumerate(column)}
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        sequence = columns[1:] if down else columns[-2::-1]
        for column in sequence:
            neighbours = upstream if down else downstream

            def centre(node: str, neighbours: dict[str, list[str]] = neighbours) -> float:
                near = neighbours[node]
                return sum(row[n] for n in near) / len(near) if near else row[node]

            column.sort(key=centre)
            for i, node in enumerate(column):
                row[node] = i


def _wrap(column: list[str]) -> list[list[str]]:
    return [column[i : i + MAX_ROWS] for i in range(0, len(column), MAX_ROWS)] or [[]]


def _place(
    columns: list[list[str]],
    sizes: Mapping[str, tuple[float, float]],
    upstream: dict[str, list[str]],
) -> Layout:
    heights = [
        sum(sizes[n][1] for n in column) + ROW_GAP * max(len(column) - 1, 0) for column in columns
    ]
    total_height = max(heights, default=0.0)
    boxes: dict[str, Placed] = {}
    x = 0.0
    for column, height in zip(columns, heights, strict=True):
        width = max((sizes[n][0] for n in column), default=0.0)
        y = (total_height - height) / 2
        for node in column:
            node_width, node_height = sizes[node]
            boxes[node] = Placed(x + (width - node_width) / 2, y, node_width, node_height)
            y += node_height + ROW_GAP
        x += width + COLUMN_GAP
    lines = [
        Line(
            source,
            target,
            boxes[source].x + boxes[source].width,
            boxes[source].y + boxes[source].height / 2,
            boxes[target].x,
            boxes[target].y + boxes[target].height / 2,
        )
        for target, sources in upstream.items()
        for source in sources
    ]
    return Layout(boxes, lines, max(x - COLUMN_GAP, 0.0), total_height)
