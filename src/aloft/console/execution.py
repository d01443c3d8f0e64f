"""An execution's page: its graph, values, gates, nodes and timeline, and the small document
the page polls for live status; what every page of an execution loads (``Loaded``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from aloft.console.forms import FormField, form_fields
from aloft.console.graph import (
    Entities,
    Frame,
    GraphNode,
    LayoutCache,
    build_frame,
    node_at,
)
from aloft.console.nodes import signal_type
from aloft.console.status import duration, format_seconds, live_status, node_detail
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
    ExecutionId,
    ExecutionPhase,
    ExecutionSpec,
    GateKind,
    GateTarget,
    Identifier,
    NodeKey,
    NodePhase,
    NodeRecord,
    TypedInterface,
)
from aloft.server.control_plane import ControlPlane, NotFound
from aloft.storage.executions import ExecutionSnapshot

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
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
    """An execution's records and spec, and the graph drawn of it with ``expanded`` open
    (built only if a page draws it)."""

    control: ControlPlane
    id: ExecutionId
    snapshot: ExecutionSnapshot
    spec: ExecutionSpec
    entities: Entities
    expanded: list[str]

    @classmethod
    def of(cls, request: Request, id: ExecutionId, expand: list[str] | None) -> Loaded:
        """Execution ``id`` loaded, with the nodes whose keys are in ``expand`` open."""
        control = plane(request)
        spec = control.spec(id)
        expanded = sorted(set(expand or []))
        return cls(control, id, control.snapshot(id), spec, Entities(spec.closure), expanded)

    @functools.cached_property
    def frame(self) -> Frame:
        """The graph, laid out (the layout kept per workflow version)."""
        workflow = self.spec.closure.workflow
        return build_frame(
            self.id, workflow, ROOT, self.snapshot.nodes, self.entities, self.expanded, _layouts
        )

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


def parse_node_key(text: str) -> NodeKey:
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
