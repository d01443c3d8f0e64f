"""One execution's pages: its graph, values, gates and timeline; the small document its page
polls for live status; each node's page with its attempts; logs, decks and values by URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from aloft.console.forms import FormField, form_fields
from aloft.console.graph import (
    Entities,
    Frame,
    GraphNode,
    LayoutCache,
    build_frame,
    node_at,
    node_kind,
)
from aloft.console.nodes import attempt_views, node_interface, node_outputs, signal_type
from aloft.console.status import duration, format_seconds, item_counts, live_status, node_detail
from aloft.console.svg import graph_svg, timeline_svg
from aloft.console.values import shown_values
from aloft.console.web import (
    ConsoleRoute,
    entity_url,
    execution_url,
    node_url,
    plane,
    render,
    with_query,
)
from aloft.ir import (
    LOCAL_VERSION,
    ROOT,
    ArrayTarget,
    ExecutionId,
    ExecutionPhase,
    ExecutionSpec,
    GateKind,
    GateTarget,
    Identifier,
    Node,
    NodeKey,
    NodePhase,
    NodeRecord,
    TaskTarget,
    TypedInterface,
    literal_to_json,
)
from aloft.server.control_plane import ControlPlane, NotFound
from aloft.server.logs import (
    AttemptParam,
    NodeParam,
    OffsetParam,
    TailParam,
    log_response,
    read_tail,
)
from aloft.storage.executions import ExecutionSnapshot

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
TAIL_LINES = 200
"""Lines of a log shown on a node's page."""
DECK_POLICY = (
    "sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:; frame-ancestors 'self'"
)
"""A deck is a user's HTML: it runs sandboxed, as an origin of its own, loading nothing."""
_layouts = LayoutCache()
Expand = Annotated[list[str] | None, Query()]


@dataclass(frozen=True)
class Gate:
    """A gate node waiting for its signal: its key, kind, signal and the field to give it."""

    key: NodeKey
    kind: str
    name: str
    field: FormField


@dataclass
class Loaded:
    """An execution's records and spec, and the graph drawn of it with ``expanded`` open."""

    control: ControlPlane
    id: ExecutionId
    snapshot: ExecutionSnapshot
    spec: ExecutionSpec
    entities: Entities
    frame: Frame
    expanded: list[str]

    @classmethod
    def of(cls, request: Request, id: ExecutionId, expand: list[str] | None) -> Loaded:
        """Execution ``id`` loaded, with the nodes whose keys are in ``expand`` open."""
        control = plane(request)
        snapshot = control.snapshot(id)
        spec = control.spec(id)
        entities = Entities(spec.closure)
        expanded = sorted(set(expand or []))
        frame = build_frame(
            id, spec.closure.workflow, ROOT, snapshot.nodes, entities, expanded, _layouts
        )
        return cls(control, id, snapshot, spec, entities, frame, expanded)

    def node_href(self, node: GraphNode) -> str:
        return node_url(self.id, node.key)

    def toggle_href(self, node: GraphNode) -> str:
        key = str(node.key)
        opened = [k for k in self.expanded if k != key and not k.startswith(key + "/")]
        if key not in self.expanded:
            opened.append(key)
        return with_query(execution_url(self.id), {"expand": sorted(opened)})


@router.get("/executions/{project}/{domain}/{name}")
def execution_page(
    project: str, domain: str, name: str, request: Request, expand: Expand = None
) -> HTMLResponse:
    """An execution: phase, actions, values, gates, its graph, nodes and timeline."""
    return render_execution(request, ExecutionId(name, project, domain), expand)


def render_execution(
    request: Request,
    id: ExecutionId,
    expand: list[str] | None,
    gate_errors: dict[str, str] | None = None,
    given: dict[str, str] | None = None,
) -> HTMLResponse:
    """The page of execution ``id``, with a refused signal's message at its gate's field."""
    loaded = Loaded.of(request, id, expand)
    snapshot, spec = loaded.snapshot, loaded.spec
    record = snapshot.execution
    interface = spec.closure.workflow.interface
    gate_errors = gate_errors or {}
    gates = _waiting_gates(loaded, given or {})
    waiting = {gate.name for gate in gates}
    rows = []
    for node in loaded.frame.walk():
        node_record = snapshot.nodes.get(node.key)
        rows.append(_row(loaded, node, node_record))
    workflow = spec.closure.workflow.id
    ended_at = record.updated_at if record.phase.is_terminal else None
    return render(
        request,
        "execution.html",
        status_code=422 if gate_errors else 200,
        id=id,
        record=record,
        spec=spec,
        workflow_url=_registered_url(workflow),
        plan_url=_registered_url(spec.launch_plan) if spec.launch_plan else "",
        took=format_seconds(duration(record.created_at, ended_at, not record.phase.is_terminal)),
        inputs=shown_values(id, "", "i", spec.inputs, interface),
        outputs=shown_values(id, "", "o", record.outputs, interface),
        gates=gates,
        gate_errors=gate_errors,
        # a refused signal whose gate no longer waits has no form to be said at
        signal_problems=[m for name, m in gate_errors.items() if name not in waiting],
        graph=graph_svg(loaded.frame, snapshot.nodes, loaded.node_href, loaded.toggle_href),
        timeline=timeline_svg(loaded.frame, snapshot.nodes, record.created_at, loaded.node_href),
        rows=rows,
        hidden=len(snapshot.nodes) - sum(1 for row in rows if row["started"]),
        expanded=loaded.expanded,
        page_url=with_query(execution_url(id), {"expand": loaded.expanded}),
        status_url=with_query(execution_url(id, "/status"), {"expand": loaded.expanded}),
        recoverable=record.phase in (ExecutionPhase.FAILED, ExecutionPhase.ABORTED),
    )


@router.get("/executions/{project}/{domain}/{name}/status")
def status(
    project: str,
    domain: str,
    name: str,
    request: Request,
    expand: Expand = None,
    version: int | None = None,
) -> Response:
    """The execution's phase and its drawn nodes' phases, as JSON; only the version when
    nothing changed since ``version`` (what the page polls, cheaply, every second)."""
    id = ExecutionId(name, project, domain)
    control = plane(request)
    if version is not None:
        current = control.record(id)
        if current.version == version:
            return JSONResponse({"version": version, "unchanged": True})
    loaded = Loaded.of(request, id, expand)
    document = live_status(loaded.snapshot.execution, loaded.frame, loaded.snapshot.nodes)
    document["gates"] = [gate.name for gate in _waiting_gates(loaded, {})]
    return JSONResponse(document)


@router.get("/executions/{project}/{domain}/{name}/nodes/{key:path}")
def node_page(project: str, domain: str, name: str, key: str, request: Request) -> Response:
    """A node: what it runs, its typed inputs and outputs, error, attempts, logs and decks.
    A map item's key (``n2[7]``, as a failed item's error names it) leads to its map node,
    whose page shows its items and the batches that ran them."""
    id = ExecutionId(name, project, domain)
    loaded = Loaded.of(request, id, None)
    snapshot, spec = loaded.snapshot, loaded.spec
    node_key = _key(key)
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
        no_attempts=_no_attempts(node, running or record is None),
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


@router.get("/executions/{project}/{domain}/{name}/logs")
def logs(
    project: str,
    domain: str,
    name: str,
    request: Request,
    node: NodeParam,
    attempt: AttemptParam = None,
    tail: TailParam = None,
    offset: OffsetParam = 0,
) -> Response:
    """An attempt's log as text, also while it runs: its last ``tail`` lines, or all of it
    from ``offset`` on, streamed (the API's, whose headers the node page follows)."""
    id = ExecutionId(name, project, domain)
    return log_response(plane(request), id, node, attempt, tail=tail, offset=offset)


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
        record = snapshot.nodes.get(_key(node_text))
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


def _row(loaded: Loaded, node: GraphNode, record: NodeRecord | None) -> dict[str, Any]:
    running = record is not None and not record.phase.is_terminal
    return {
        "node": node,
        "url": loaded.node_href(node),
        "phase": record.phase.value if record else NodePhase.NOT_STARTED.value,
        "detail": node_detail(node, record),
        "attempts": record.attempt + 1 if record and record.token else "",
        "cache": record.cache_status.value if record else "",
        "took": format_seconds(duration(record.started_at, record.updated_at, running))
        if record
        else "",
        "started": record is not None,
        "depth": len(node.key.path) - 1,
    }


def _no_attempts(node: Node, may_start: bool) -> str:
    """What a node's page says of a node with no attempt."""
    if not isinstance(node.target, TaskTarget | ArrayTarget):
        return "No attempts: this node runs no task of its own."
    return "No attempt yet." if may_start else "No attempt was made."


def _waiting_gates(loaded: Loaded, given: dict[str, str]) -> list[Gate]:
    """The gates of the execution waiting for a signal, each with a field to give it."""
    if loaded.snapshot.execution.phase.is_terminal:
        return []
    gates = []
    signals = loaded.snapshot.execution.signals
    for key, record in sorted(loaded.snapshot.nodes.items(), key=lambda kv: str(kv[0])):
        if record.phase is not NodePhase.WAITING:
            continue
        node = node_at(key, loaded.spec.closure.workflow, loaded.snapshot.nodes, loaded.entities)
        target = node.target if node else None
        if not isinstance(target, GateTarget) or target.gate is GateKind.SLEEP:
            continue
        if target.name in signals:
            continue
        interface = TypedInterface(inputs={target.name: signal_type(target)})
        field = form_fields(interface, given=given)[0]
        gates.append(Gate(key, target.gate.value, target.name, field))
    return gates


def _key(text: str) -> NodeKey:
    """The node key a URL names (``n1/n0``, ``n2[7]``)."""
    item = None
    if text.endswith("]") and "[" in text:
        text, _, index = text[:-1].rpartition("[")
        if not index.isdigit():
            raise NotFound(f"{text}[{index}] is not a node key")
        item = int(index)
    path = tuple(part for part in text.split("/") if part)
    if not path:
        raise NotFound("no node named")
    return NodeKey(path=path, item=item)


def _registered_url(id: Identifier | None) -> str:
    """The page of a registered entity (none for one run from a local file)."""
    if id is None or id.version == LOCAL_VERSION:
        return ""
    return entity_url(id)
