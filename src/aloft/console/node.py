"""A node's page: what it runs and where it was defined, its typed inputs and outputs, its
error, attempts (with their logs and decks), a map's items, a branch's case, the nodes it
runs, and the tail of its latest attempt's log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from aloft.console.execution import Loaded, parse_node_key
from aloft.console.graph import GraphNode, node_at, node_kind
from aloft.console.nodes import attempt_views, node_interface, node_outputs
from aloft.console.status import duration, format_seconds, item_counts, node_detail
from aloft.console.values import shown_values
from aloft.console.web import ConsoleRoute, node_url, render
from aloft.ir import (
    ArrayTarget,
    ExecutionId,
    Node,
    NodePhase,
    TaskTarget,
    TypedInterface,
)
from aloft.server.control_plane import NotFound
from aloft.server.logs import read_tail

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
TAIL_LINES = 200
"""Lines of a log shown on a node's page."""


@router.get("/executions/{project}/{domain}/{name}/nodes/{key:path}")
def node_page(project: str, domain: str, name: str, key: str, request: Request) -> Response:
    """A node: what it runs, its typed inputs and outputs, error, attempts, logs and decks.
    A map item's key (``n2[7]``, as a failed item's error names it) leads to its map node,
    whose page shows its items and the batches that ran them."""
    id = ExecutionId(name, project, domain)
    loaded = Loaded.of(request, id, None)
    snapshot, spec = loaded.snapshot, loaded.spec
    node_key = parse_node_key(key)
    node = node_at(node_key, spec.closure.workflow, snapshot.nodes, loaded.entities)
    if node is None:
        raise NotFound(f"execution {id} has no node {key!r}")
    if node_key.item is not None:
        items = snapshot.nodes.get(node_key.parent)
        if items is None or items.items is None or node_key.item >= len(items.items):
            raise NotFound(f"execution {id} has no map item {key!r}")
        return RedirectResponse(node_url(id, node_key.parent), status_code=307)
    record = snapshot.nodes.get(node_key)
    kind, runs = node_kind(node, loaded.entities.tasks)
    graph_node = GraphNode(node_key, node.id, node.name, kind, runs, False)
    interface = node_interface(node, loaded.entities, spec.closure) or TypedInterface()
    control = loaded.control
    outputs = node_outputs(record, control.blobs) if record else None
    attempts = [a for a in snapshot.attempts.values() if a.node == node_key]
    views = attempt_views(attempts)
    latest = views[-1] if views else None
    log_tail, log_size = read_tail(control.blobs, latest.record if latest else None, TAIL_LINES)
    children = [
        (str(k), r.phase.value)
        for k, r in sorted(snapshot.nodes.items(), key=lambda kv: str(kv[0]))
        if k != node_key and k.is_within(node_key) and k.parent == node_key
    ]
    running = record is not None and not record.phase.is_terminal
    return render(
        request,
        "node.html",
        live=not snapshot.execution.phase.is_terminal and (record is None or running),
        id=id,
        key=str(node_key),
        node=node,
        kind=kind,
        record=record,
        phase=record.phase.value if record else NodePhase.NOT_STARTED.value,
        detail=node_detail(graph_node, record),
        items=item_counts(record),
        inputs=shown_values(id, str(node_key), "i", record.inputs if record else None, interface),
        outputs=shown_values(id, str(node_key), "o", outputs, interface),
        attempts=views,
        no_attempts=no_attempts(node, running or record is None),
        latest=latest,
        took=format_seconds(
            duration(record.started_at, record.updated_at, running) if record else None
        ),
        children=children,
        running=running,
        tail_lines=TAIL_LINES,
        log_tail=log_tail,
        log_size=log_size,
        page_url=loaded.node_href(graph_node),
    )


def no_attempts(node: Node, may_start: bool) -> str:
    """What a node's page says of a node with no attempt."""
    if not isinstance(node.target, TaskTarget | ArrayTarget):
        return "No attempts: this node runs no task of its own."
    return "No attempt yet." if may_start else "No attempt was made."
