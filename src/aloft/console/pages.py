"""The console's pages for what is registered: projects and domains, the tasks, workflows and
launch plans of each, and every version of one with its typed interface and launch form."""

from __future__ import annotations

import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aloft.console.forms import EXECUTION_NAME, form_fields
from aloft.console.graph import Entities, LayoutCache, build_frame
from aloft.console.svg import graph_svg
from aloft.console.web import KINDS, ConsoleRoute, entity_url, plane, render
from aloft.ir import (
    ROOT,
    CronSchedule,
    ExecutionId,
    FixedRateSchedule,
    Identifier,
    LaunchPlanSpec,
    ResourceType,
    Schedule,
    TaskTemplate,
    TypedInterface,
    WorkflowClosure,
    WorkflowTemplate,
    describe,
    from_json,
)
from aloft.server.control_plane import NotFound
from aloft.storage.executions import ExecutionQuery
from aloft.storage.registry import DOMAINS, RegisteredEntity

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
RECENT = 10
"""Executions listed on an entity's page."""
_static_layouts = LayoutCache()


@router.get("/")
def home() -> Response:
    """The console starts at the list of projects."""
    return RedirectResponse("/projects", status_code=307)


@router.get("/projects")
def projects(request: Request) -> HTMLResponse:
    """Every project, with its domains."""
    return render(request, "projects.html", projects=plane(request).projects(), domains=DOMAINS)


@router.get("/projects/{project}/{domain}")
def scope(project: str, domain: str, request: Request) -> HTMLResponse:
    """A project's domain: what is registered there and its latest executions."""
    control = plane(request)
    control.check_scope(project, domain)
    counts = {
        path: len(control.registry.latest(kind, project, domain)) for path, kind in KINDS.items()
    }
    recent = control.executions(ExecutionQuery(project=project, domain=domain, limit=RECENT))
    return render(
        request,
        "scope.html",
        project=project,
        domain=domain,
        counts=counts,
        executions=recent.records,
        entities=recent.entities,
    )


@router.get("/projects/{project}/{domain}/{kind}")
def entities(project: str, domain: str, kind: str, request: Request) -> HTMLResponse:
    """The newest version of every task, workflow or launch plan of a project's domain."""
    control = plane(request)
    control.check_scope(project, domain)
    found = control.registry.latest(_kind(kind), project, domain)
    return render(
        request,
        "entities.html",
        project=project,
        domain=domain,
        kind=kind,
        entities=[_listed(e) for e in found],
    )


@router.get("/projects/{project}/{domain}/{kind}/{name}")
def newest(project: str, domain: str, kind: str, name: str, request: Request) -> HTMLResponse:
    """An entity's newest version, with every version listed."""
    return entity_page(request, Identifier(_kind(kind), name, project, domain, ""))


@router.get("/projects/{project}/{domain}/{kind}/{name}/{version}")
def version(
    project: str, domain: str, kind: str, name: str, version: str, request: Request
) -> HTMLResponse:
    """One version of an entity: its interface, its graph, its launch form."""
    return entity_page(request, Identifier(_kind(kind), name, project, domain, version))


def entity_page(
    request: Request,
    id: Identifier,
    given: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str = "",
) -> HTMLResponse:
    """The page of entity ``id`` (its newest version if the version is empty), its launch
    form filled with ``given`` and showing ``errors`` by field (and a ``problem`` of the
    whole form) when a launch was refused."""
    control = plane(request)
    entity = control.entity(id)
    versions = control.registry.versions(id.resource_type, id.project, id.domain, id.name, 50)
    closure = from_json(entity.closure, WorkflowClosure)
    plan = (
        from_json(entity.template, LaunchPlanSpec)
        if id.resource_type is ResourceType.LAUNCH_PLAN
        else None
    )
    interface = launch_interface(entity)
    fields = form_fields(
        interface,
        plan.default_inputs if plan else None,
        plan.fixed_inputs if plan else None,
        given,
    )
    query = (
        ExecutionQuery(launch_plan=id.name, project=id.project, domain=id.domain, limit=RECENT)
        if plan
        else ExecutionQuery(
            workflow=closure.workflow.id.name, project=id.project, domain=id.domain, limit=RECENT
        )
    )
    recent = control.executions(query)
    graph = None
    if id.resource_type is not ResourceType.TASK:
        frame = build_frame(
            ExecutionId(""), closure.workflow, ROOT, {}, Entities(closure), (), _static_layouts
        )
        graph = graph_svg(frame, {}, lambda node: "", lambda node: "")
    return render(
        request,
        "entity.html",
        status_code=422 if errors or problem else 200,
        entity=entity,
        id=entity.id,
        created=_moment(entity.created_at),
        versions=[_listed(v) for v in versions],
        interface=interface,
        describe=describe,
        fields=fields,
        name_field=EXECUTION_NAME,
        execution_name=(given or {}).get(EXECUTION_NAME, ""),
        errors=errors or {},
        problem=problem,
        plan=plan,
        schedule=schedule_text(plan.schedule) if plan else "",
        active=control.registry.is_active(entity.id) if plan else False,
        graph=graph,
        executions=recent.records,
        entities=recent.entities,
        workflow=closure.workflow.id,
    )


def launch_interface(entity: RegisteredEntity) -> TypedInterface:
    """The inputs and outputs of what a launch of ``entity`` runs: a task's or workflow's
    own, a launch plan's workflow's."""
    if entity.id.resource_type is ResourceType.TASK:
        return from_json(entity.template, TaskTemplate).interface
    if entity.id.resource_type is ResourceType.WORKFLOW:
        return from_json(entity.template, WorkflowTemplate).interface
    return from_json(entity.closure, WorkflowClosure).workflow.interface


def schedule_text(schedule: Schedule | None) -> str:
    """A launch plan's schedule in a few words: ``cron 0 3 * * *``, ``every 2 h``."""
    match schedule:
        case CronSchedule(expression=expression, offset=offset):
            return f"cron {expression}" + (f", shifted by {offset}" if offset else "")
        case FixedRateSchedule(every=every):
            minutes = int(every.total_seconds()) // 60
            for unit, size in (("d", 1440), ("h", 60)):
                if minutes % size == 0:
                    return f"every {minutes // size} {unit}"
            return f"every {minutes} min"
    return ""


def _kind(kind: str) -> ResourceType:
    if kind not in KINDS:
        raise NotFound(f"no such list {kind!r}; the lists are {', '.join(KINDS)}")
    return KINDS[kind]


def _listed(entity: RegisteredEntity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "url": entity_url(entity.id),
        "digest": entity.digest[:12],
        "created": _moment(entity.created_at),
    }


def _moment(seconds: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC)
