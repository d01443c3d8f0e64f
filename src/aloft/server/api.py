"""The REST API under ``/api/v1``: projects, code bundles, registration, entities,
executions, their nodes, logs and signals.

Handlers are thin: they turn a request into a ``ControlPlane`` call and its result into
JSON (IR objects as the IR codec writes them). Errors are mapped to status codes in
``aloft.server.errors``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import json
from typing import Annotated, Any

import msgspec
from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

from aloft.errors import InputError
from aloft.ir import (
    AttemptRecord,
    ExecutionId,
    ExecutionPhase,
    ExecutionRecord,
    ExecutionSpec,
    Identifier,
    Literal,
    NodeRecord,
    ResourceType,
    from_json,
    to_json,
)
from aloft.server.bodies import (
    ErrorBody,
    NewExecution,
    NewProject,
    Recover,
    RegistrationBody,
    Relaunch,
    SignalBody,
    label_filter,
)
from aloft.server.control_plane import LATEST, Conflict, ControlPlane, Launch, NotFound
from aloft.server.cursors import decode_cursor, encode_cursor
from aloft.server.end_notices import EndNotices
from aloft.server.logs import (
    HEADERS_DOC,
    AttemptParam,
    NodeParam,
    OffsetParam,
    TailParam,
    log_response,
)
from aloft.server.registration import EntityDraft
from aloft.storage.executions import ExecutionQuery
from aloft.storage.registry import DOMAINS, RegisteredEntity

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (404, "What the request names does not exist"),
        (409, "The request clashes with what is stored"),
        (413, "The request body is too large"),
        (422, "The request is malformed: the message names the field"),
    )
}
API_PREFIX = "/api/v1"
"""Where the REST API is, under the server's root URL (the client names it too)."""

router = APIRouter(prefix=API_PREFIX, responses=_ERRORS)

_KINDS = {
    "tasks": ResourceType.TASK,
    "workflows": ResourceType.WORKFLOW,
    "launch_plans": ResourceType.LAUNCH_PLAN,
}
MAX_PAGE = 1000
MAX_WAIT = 300.0
"""The longest a long poll for an execution's end is held, in seconds."""


def plane(request: Request) -> ControlPlane:
    """The control plane of the app serving ``request``."""
    control: ControlPlane = request.app.state.control_plane
    return control


def json_response(content: Any, status_code: int = 200) -> Response:
    """``content`` (builtins and IR objects) as a JSON response."""
    return Response(to_json(content), status_code=status_code, media_type="application/json")


# -- projects ---------------------------------------------------------------------------------


@router.get("/projects")
def list_projects(request: Request) -> Response:
    """Every project, each with its domains."""
    projects = [
        {"name": p.name, "description": p.description, "domains": list(DOMAINS)}
        for p in plane(request).projects()
    ]
    return json_response({"projects": projects})


@router.post("/projects", status_code=201)
def create_project(body: NewProject, request: Request) -> Response:
    """Create a project; 409 if it exists."""
    if not plane(request).add_project(body.name, body.description):
        raise Conflict(f"project {body.name!r} exists already")
    return json_response({"name": body.name, "domains": list(DOMAINS)}, 201)


# -- code bundles -----------------------------------------------------------------------------


@router.put("/bundles/{digest}")
async def put_bundle(digest: str, request: Request) -> Response:
    """Store a code bundle (the request body: a gzip tarball) under its sha256 digest."""
    data = await request.body()
    # Checking a bundle reads it whole (seconds for a large one): not on the event loop.
    uri, created = await run_in_threadpool(plane(request).put_bundle, digest, data)
    return json_response(
        {"digest": digest, "uri": uri, "created": created}, 201 if created else 200
    )


@router.head("/bundles/{digest}")
def has_bundle(digest: str, request: Request) -> Response:
    """200 if the bundle is stored, else 404."""
    return Response(status_code=200 if plane(request).has_bundle(digest) else 404)


# -- registration and entities ----------------------------------------------------------------


@router.post("/register")
def register(body: RegistrationBody, request: Request) -> Response:
    """Register entities under one version, all or none."""
    drafts = [EntityDraft(e.resource_type, e.template, e.closure) for e in body.entities]
    done = plane(request).register(body.project, body.domain, body.version, body.bundle, drafts)
    entities = [{"id": id, "created": created} for id, created in done.entities]
    return json_response({"version": done.version, "entities": entities})


# -- executions -------------------------------------------------------------------------------


@router.post("/executions", status_code=201)
def create_execution(body: NewExecution, request: Request) -> Response:
    """Launch an execution of a registered entity."""
    literals = {name: _literal(data, f"literals.{name}") for name, data in body.literals.items()}
    record = plane(request).launch(
        Launch(
            body.entity.resource_type,
            body.entity.name,
            body.project,
            body.domain,
            body.entity.version,
            body.inputs,
            literals,
            body.name,
            body.labels,
            body.annotations,
        )
    )
    return _execution(request, record, 201)


@router.get("/executions")
def list_executions(
    request: Request,
    project: str | None = None,
    domain: str | None = None,
    phase: ExecutionPhase | None = None,
    workflow: str | None = None,
    launch_plan: str | None = None,
    label: Annotated[list[str] | None, Query()] = None,
    created_after: datetime.datetime | None = None,
    created_before: datetime.datetime | None = None,
    sort: Annotated[str, Query(pattern="^-?created_at$")] = "-created_at",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: str | None = None,
) -> Response:
    """A page of executions, newest first by default; ``next_cursor`` fetches the next."""
    labels = label_filter(label or [])
    if project is not None or domain is not None:
        plane(request).check_scope(project or "default", domain or "development")
    query = ExecutionQuery(
        phase=phase,
        project=project,
        domain=domain,
        workflow=workflow,
        launch_plan=launch_plan,
        labels=labels,
        created_after=_aware(created_after),
        created_before=_aware(created_before),
        oldest_first=sort == "created_at",
        limit=limit,
        after=decode_cursor(cursor, sort) if cursor else None,
    )
    page = plane(request).executions(query)
    next_cursor = encode_cursor(page.next, sort) if page.next is not None else None
    return json_response({"executions": page.records, "next_cursor": next_cursor})


@router.get("/executions/{project}/{domain}/{name}")
def get_execution(project: str, domain: str, name: str, request: Request) -> Response:
    """An execution: its phase, inputs, outputs or error, and what it runs."""
    control = plane(request)
    return _execution(request, control.record(ExecutionId(name, project, domain)))


@router.get("/executions/{project}/{domain}/{name}/wait")
async def wait_for_end(
    project: str,
    domain: str,
    name: str,
    request: Request,
    timeout: Annotated[float, Query(ge=0, le=MAX_WAIT)] = 30.0,
) -> Response:
    """The execution once it has ended, or as it is after ``timeout`` seconds (a long poll:
    clients wait for an end without asking again and again)."""
    control = plane(request)
    notices: EndNotices = request.app.state.end_notices
    execution = ExecutionId(name, project, domain)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        ended = notices.expect(execution)
        try:
            record = await run_in_threadpool(control.record, execution)
            left = deadline - loop.time()
            if record.phase.is_terminal or left <= 0:
                break
            # Woken by this server's engine; a look at the database every second catches an
            # end that another server on the same database recorded.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ended.wait(), min(1.0, left))
        finally:
            notices.forget(execution, ended)
    return await run_in_threadpool(_execution, request, record)


@router.post("/executions/{project}/{domain}/{name}/terminate")
def terminate(project: str, domain: str, name: str, request: Request) -> Response:
    """Ask an execution to end ABORTED; 409 if it has ended."""
    record = plane(request).terminate(ExecutionId(name, project, domain))
    return _execution(request, record)


@router.post("/executions/{project}/{domain}/{name}/relaunch", status_code=201)
def relaunch(
    project: str, domain: str, name: str, request: Request, body: Relaunch | None = None
) -> Response:
    """A new execution of the same entity on the same inputs."""
    body = body or Relaunch.model_validate({})
    record = plane(request).relaunch(ExecutionId(name, project, domain), body.name)
    return _execution(request, record, 201)


@router.post("/executions/{project}/{domain}/{name}/recover", status_code=201)
def recover(
    project: str, domain: str, name: str, request: Request, body: Recover | None = None
) -> Response:
    """Re-run a failed execution, reusing the outputs of every node that succeeded in it."""
    body = body or Recover.model_validate({})
    record = plane(request).recover(ExecutionId(name, project, domain), body.version, body.name)
    return _execution(request, record, 201)


@router.post("/executions/{project}/{domain}/{name}/signals")
def give_signal(
    project: str, domain: str, name: str, body: SignalBody, request: Request
) -> Response:
    """Give a gate's signal (an approval is a boolean)."""
    literal = _literal(body.literal, "literal") if body.literal is not None else None
    given_value = "value" in body.model_fields_set
    if literal is None and not given_value:
        raise InputError("value: give the signal's value (or its literal)")
    if literal is not None and given_value:
        raise InputError("value, literal: give the signal's value or its literal, not both")
    plane(request).signal(ExecutionId(name, project, domain), body.name, body.value, literal)
    return json_response({"signal": body.name, "given": True})


@router.get("/executions/{project}/{domain}/{name}/nodes")
def list_nodes(project: str, domain: str, name: str, request: Request) -> Response:
    """Every node execution with its attempts: phases, inputs, outputs, errors, logs."""
    snapshot = plane(request).snapshot(ExecutionId(name, project, domain))
    attempts: dict[str, list[AttemptRecord]] = {}
    for attempt in snapshot.attempts.values():
        attempts.setdefault(str(attempt.node), []).append(attempt)
    nodes = [
        _node(record, sorted(attempts.get(str(key), []), key=lambda a: a.number))
        for key, record in sorted(snapshot.nodes.items(), key=lambda kv: str(kv[0]))
    ]
    return json_response({"nodes": nodes})


@router.get(
    "/executions/{project}/{domain}/{name}/logs",
    response_class=PlainTextResponse,
    responses={200: {"headers": HEADERS_DOC}},
)
def get_log(
    project: str,
    domain: str,
    name: str,
    request: Request,
    node: NodeParam,
    attempt: AttemptParam = None,
    tail: TailParam = None,
    offset: OffsetParam = 0,
) -> Response:
    """An attempt's captured output (the node's latest attempt by default), also while it
    runs; ``tail``: only its last lines; ``offset``: only its bytes from there on (what a
    follower has not read yet). Headers name the attempt and the phases of the attempt, the
    node and the execution."""
    id = ExecutionId(name, project, domain)
    return log_response(plane(request), id, node, attempt, tail=tail, offset=offset)


@router.post("/launch_plans/{project}/{domain}/{name}/{version}/activate")
def activate(project: str, domain: str, name: str, version: str, request: Request) -> Response:
    """Make this version of the launch plan the active one: its schedule fires from now."""
    id = Identifier(ResourceType.LAUNCH_PLAN, name, project, domain, version)
    plane(request).activate(id, True)
    return json_response({"id": id, "active": True})


@router.post("/launch_plans/{project}/{domain}/{name}/{version}/deactivate")
def deactivate(project: str, domain: str, name: str, version: str, request: Request) -> Response:
    """Stop the launch plan's schedule (whichever version was active)."""
    id = Identifier(ResourceType.LAUNCH_PLAN, name, project, domain, version)
    plane(request).activate(id, False)
    return json_response({"id": id, "active": False})


# -- entities (last: their paths would match every other collection's) ---------------------


@router.get("/{kind}/{project}/{domain}")
def list_entities(kind: str, project: str, domain: str, request: Request) -> Response:
    """The newest version of every entity of ``kind`` in a project and domain."""
    control = plane(request)
    control.check_scope(project, domain)
    found = control.registry.latest(_kind(kind), project, domain)
    return json_response({"entities": [_summary(e) for e in found]})


@router.get("/{kind}/{project}/{domain}/{name}")
def list_versions(
    kind: str,
    project: str,
    domain: str,
    name: str,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> Response:
    """The versions of one entity, newest first."""
    control = plane(request)
    control.check_scope(project, domain)
    found = control.registry.versions(_kind(kind), project, domain, name, limit)
    if not found:
        raise NotFound(f"no {_kind(kind).value.replace('_', ' ')} {name} in {project}/{domain}")
    return json_response({"entities": [_summary(e) for e in found]})


@router.get("/{kind}/{project}/{domain}/{name}/{version}")
def get_entity(
    kind: str, project: str, domain: str, name: str, version: str, request: Request
) -> Response:
    """One registered version (``latest``: the newest), with its IR."""
    id = Identifier(_kind(kind), name, project, domain, "" if version == LATEST else version)
    control = plane(request)
    entity = control.entity(id)
    body = _summary(entity)
    if entity.id.resource_type is ResourceType.LAUNCH_PLAN:
        body["active"] = control.registry.is_active(entity.id)
    body["template"] = msgspec.Raw(entity.template.encode())
    body["closure"] = msgspec.Raw(entity.closure.encode())
    return json_response(body)


# -- helpers ----------------------------------------------------------------------------------


def _kind(kind: str) -> ResourceType:
    if kind not in _KINDS:
        raise NotFound(f"no such collection {kind!r}; use one of {', '.join(_KINDS)}")
    return _KINDS[kind]


def _summary(entity: RegisteredEntity) -> dict[str, Any]:
    created = datetime.datetime.fromtimestamp(entity.created_at, datetime.UTC)
    return {"id": entity.id, "digest": entity.digest, "created_at": created}


def _literal(data: dict[str, Any], where: str) -> Literal:
    try:
        literal: Literal = from_json(json.dumps(data), Literal)  # type: ignore[arg-type]
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise InputError(f"{where} is not a valid literal: {exc}") from None
    return literal


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=datetime.UTC)


def _execution(request: Request, record: ExecutionRecord, status_code: int = 200) -> Response:
    spec = plane(request).spec(record.id)
    return json_response({**msgspec.structs.asdict(record), **_spec_fields(spec)}, status_code)


def _spec_fields(spec: ExecutionSpec) -> dict[str, Any]:
    return {
        "workflow": spec.closure.workflow.id,
        "launch_plan": spec.launch_plan,
        "inputs": spec.inputs,
        "interface": spec.closure.workflow.interface,
        "labels": spec.labels,
        "annotations": spec.annotations,
        "recover_from": spec.recover_from,
        "parent": spec.parent,
    }


def _node(record: NodeRecord, attempts: list[AttemptRecord]) -> dict[str, Any]:
    return {"key": str(record.key), "record": record, "attempts": attempts}
