"""What an execution's pages link to by URL (besides an attempt's log, which is the API's):
the deck an attempt wrote (served sandboxed), and a value by its short URL
(``aloft://v1/...`` is ``/data/v1/...`` here) as JSON."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from aloft.console.execution import parse_node_key
from aloft.console.graph import Entities, node_at
from aloft.console.nodes import node_interface, node_outputs
from aloft.console.values import shown_values
from aloft.console.web import ConsoleRoute, plane
from aloft.ir import ExecutionId, TypedInterface, literal_to_json
from aloft.server.control_plane import NotFound
from aloft.server.logs import (
    AttemptParam,
    NodeParam,
)

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
DECK_POLICY = (
    "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'"
)
"""A deck is a user's HTML: it runs sandboxed, as an origin of its own, loading nothing."""


@router.get("/executions/{project}/{domain}/{name}/deck")
def deck(
    project: str,
    domain: str,
    name: str,
    request: Request,
    node: NodeParam,
    attempt: AttemptParam = None,
) -> Response:
    """The deck an attempt wrote (its record names it): the user's own HTML, served
    sandboxed."""
    id = ExecutionId(name, project, domain)
    control = plane(request)
    chosen = control.node_attempt(id, node, attempt).attempt
    if chosen is None:
        raise NotFound(f"node {node!r} of execution {id} has made no attempt yet")
    try:
        page = control.blobs.read_bytes(chosen.deck_uri) if chosen.deck_uri else None
    except FileNotFoundError:
        page = None
    if page is None:
        raise NotFound(f"attempt {chosen.number} of node {node!r} of {id} wrote no deck")
    headers = {"Content-Security-Policy": DECK_POLICY, "X-Content-Type-Options": "nosniff"}
    return HTMLResponse(page, headers=headers)


@router.get("/data/v1/{project}/{domain}/{name}/{rest:path}")
def data(project: str, domain: str, name: str, rest: str, request: Request) -> Response:
    """The value a short URL names (``aloft://v1/...`` is ``/data/v1/...`` here), as JSON:
    ``{"name", "type", "value"}``."""
    id = ExecutionId(name, project, domain)
    parts = rest.split("/")
    if len(parts) < 2 or parts[-2] not in ("i", "o"):
        raise NotFound(f"{rest!r} names no value: end it with /i/NAME or /o/NAME")
    node_text, direction, value_name = "/".join(parts[:-2]), parts[-2], parts[-1]
    control = plane(request)
    spec = control.spec(id)
    if not node_text:
        literals = spec.inputs if direction == "i" else control.record(id).outputs
        interface: TypedInterface | None = spec.closure.workflow.interface
    else:
        snapshot = control.snapshot(id)
        entities = Entities(spec.closure)
        record = snapshot.nodes.get(parse_node_key(node_text))
        if record is None:
            raise NotFound(f"execution {id} has no node {node_text!r} that has started")
        node = node_at(record.key, spec.closure.workflow, snapshot.nodes, entities)
        interface = node_interface(node, entities, spec.closure) if node else None
        literals = record.inputs if direction == "i" else node_outputs(record, control.blobs)
    shown = shown_values(id, node_text, direction, literals, interface)
    found = next((v for v in shown if v.name == value_name), None)
    if found is None or literals is None:
        raise NotFound(f"{rest!r}: there is no such value (yet)")
    return JSONResponse(
        {"name": value_name, "type": found.type, "value": literal_to_json(literals[value_name])}
    )
