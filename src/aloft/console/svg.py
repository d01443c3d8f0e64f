"""An execution's graph and its timeline as SVG, drawn on the server.

Positions come from the cached layout (``aloft.console.graph``); phases are classes on the
node groups (``phase-running``), which the page's script changes as the execution moves on,
and colours come from the style sheet, so the same drawing reads in light and dark. Each
node is a link to its own page; an expandable node has a link that opens or closes it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

from markupsafe import Markup, escape

from aloft.console.graph import CLUSTER_HEADER, CLUSTER_PAD, Frame, GraphNode
from aloft.console.status import format_seconds, node_detail, phase_of
from aloft.ir import NodeKey, NodeRecord

MARGIN = 12.0
LABEL_CHARS = 24
TIMELINE_ROW = 18.0
TIMELINE_LABEL = 200.0
TIMELINE_WIDTH = 900.0

NodeLink = Callable[[GraphNode], str]
"""Where a drawn node links to (empty: nowhere)."""


def graph_svg(
    frame: Frame,
    records: Mapping[NodeKey, NodeRecord],
    node_href: NodeLink,
    toggle_href: NodeLink,
) -> Markup:
    """The whole graph as one ``<svg>`` element."""
    layout = frame.layout
    width, height = layout.width + 2 * MARGIN, layout.height + 2 * MARGIN
    parts = [
        f'<svg class="dag" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        'aria-label="the workflow graph">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'class="arrow"/></marker></defs>',
        f'<g transform="translate({MARGIN:.0f},{MARGIN:.0f})">',
    ]
    _draw(frame, records, node_href, toggle_href, parts)
    parts.append("</g></svg>")
    return Markup("".join(parts))


def _draw(
    frame: Frame,
    records: Mapping[NodeKey, NodeRecord],
    node_href: NodeLink,
    toggle_href: NodeLink,
    parts: list[str],
) -> None:
    layout = frame.layout
    for line in layout.lines:
        bend = max((line.x2 - line.x1) / 2, 20.0)
        parts.append(
            f'<path class="edge" marker-end="url(#arrow)" d="M {line.x1:.1f} {line.y1:.1f} '
            f"C {line.x1 + bend:.1f} {line.y1:.1f}, {line.x2 - bend:.1f} {line.y2:.1f}, "
            f'{line.x2:.1f} {line.y2:.1f}"/>'
        )
    for node in frame.nodes:
        box = layout.boxes[node.id]
        record = records.get(node.key)
        key = escape(str(node.key))
        phase = phase_of(record)
        label = escape(_short(node.name or node.runs or node.id))
        title = escape(f"{node.key} {node.kind} {node.runs}: {phase.replace('_', ' ')}")
        parts.append(
            f'<g class="node kind-{node.kind.replace(" ", "-")} phase-{phase}" data-key="{key}" '
            f'transform="translate({box.x:.1f},{box.y:.1f})">'
        )
        href = node_href(node)
        if node.inner is not None:
            name = f'<title>{title}</title><text class="label" x="10" y="18">{label}</text>'
            parts.append(
                f'<rect class="cluster" width="{box.width:.1f}" height="{box.height:.1f}" '
                f'rx="8"/>{_linked(href, name)}'
            )
            parts.append(_toggle(node, toggle_href, box.width, open_=True))
            parts.append(
                f'<g transform="translate({CLUSTER_PAD:.0f},{CLUSTER_HEADER + CLUSTER_PAD:.0f})">'
            )
            _draw(node.inner, records, node_href, toggle_href, parts)
            parts.append("</g></g>")
            continue
        detail = escape(node_detail(node, record))
        parts.append(
            _linked(
                href,
                f"<title>{title}</title>"
                f'<rect class="box" width="{box.width:.1f}" height="{box.height:.1f}" rx="6"/>'
                f'<text class="label" x="10" y="20">{label}</text>'
                f'<text class="detail" x="10" y="38">{detail}</text>',
            )
        )
        if node.expandable:
            parts.append(_toggle(node, toggle_href, box.width, open_=False))
        parts.append("</g>")


def _linked(href: str, drawn: str) -> str:
    """``drawn`` as a link to ``href``, or as it is if there is nowhere to go (a graph drawn
    for a workflow, not an execution: a link to nowhere would be a stop for the keyboard)."""
    return f'<a href="{escape(href)}">{drawn}</a>' if href else drawn


def _toggle(node: GraphNode, toggle_href: NodeLink, width: float, open_: bool) -> str:
    href = toggle_href(node)
    if not href:
        return ""
    what, sign = ("close", "&#8722;") if open_ else ("open", "+")
    return (
        f'<a class="toggle" href="{escape(href)}" '
        f'aria-label="{what} {escape(str(node.key))}"><title>{what} the workflow it runs</title>'
        f'<rect class="toggle-box" x="{width - 24:.1f}" y="4" width="20" height="18" rx="4"/>'
        f'<text x="{width - 14:.1f}" y="17" text-anchor="middle">{sign}</text>'
        "</a>"
    )


def timeline_svg(
    frame: Frame,
    records: Mapping[NodeKey, NodeRecord],
    started: datetime.datetime | None,
    node_href: NodeLink,
) -> Markup:
    """A bar per node that has started, from its start to its end (or now), on one time
    axis from the execution's start: where the time went."""
    rows = [(node, records[node.key]) for node in frame.walk() if node.key in records]
    rows = [(node, record) for node, record in rows if record.started_at is not None]
    if not rows or started is None:
        return Markup('<p class="muted">No node has started yet.</p>')
    now = datetime.datetime.now(datetime.UTC)

    def end_of(record: NodeRecord) -> datetime.datetime:
        if record.phase.is_terminal and record.updated_at is not None:
            return record.updated_at
        return now

    span = max((end_of(r) - started).total_seconds() for _, r in rows) or 1.0
    scale = TIMELINE_WIDTH / span
    height = TIMELINE_ROW * len(rows) + 24
    total = TIMELINE_LABEL + TIMELINE_WIDTH + 80
    parts = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="{total:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {total:.0f} {height:.0f}" role="img" '
        'aria-label="node durations">'
    ]
    for row, (node, record) in enumerate(rows):
        assert record.started_at is not None
        begin = max((record.started_at - started).total_seconds(), 0.0)
        seconds = max((end_of(record) - record.started_at).total_seconds(), 0.0)
        y = row * TIMELINE_ROW
        x = TIMELINE_LABEL + begin * scale
        width = max(seconds * scale, 2.0)
        parts.append(
            f'<a href="{escape(node_href(node))}"><g class="bar phase-{record.phase.value}">'
            f"<title>{escape(str(node.key))}: {escape(format_seconds(seconds))}</title>"
            f'<text class="label" x="0" y="{y + 13:.1f}">{escape(_short(str(node.key), 28))}</text>'
            f'<rect x="{x:.1f}" y="{y + 3:.1f}" width="{width:.1f}" height="{TIMELINE_ROW - 6:.1f}"'
            ' rx="3"/>'
            f'<text class="detail" x="{x + width + 4:.1f}" y="{y + 13:.1f}">'
            f"{escape(format_seconds(seconds))}</text></g></a>"
        )
    axis_y = TIMELINE_ROW * len(rows) + 16
    parts.append(
        f'<text class="detail" x="{TIMELINE_LABEL:.0f}" y="{axis_y:.0f}">0 s</text>'
        f'<text class="detail" x="{TIMELINE_LABEL + TIMELINE_WIDTH:.0f}" y="{axis_y:.0f}" '
        f'text-anchor="end">{escape(format_seconds(span))}</text></svg>'
    )
    return Markup("".join(parts))


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = text.rpartition(".")[2] if len(text) > limit else text
    return text if len(text) <= limit else text[: limit - 1] + "…"
