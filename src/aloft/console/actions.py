"""What the console's forms do: launch, terminate, relaunch, recover, give a gate's signal,
activate or deactivate a launch plan. Each goes through the control plane, as the API's
requests do, and answers with a redirect to the page that shows what it did (303: the
browser then GETs it, so a reload does not post again). The routes are plain functions, so
their work (the database, rendering a refused form) runs in a worker thread, never on the
server's event loop; the form's body is read by a dependency (``PostedForm``).

A refused form is shown again with each message at its field, never a trace.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from aloft.console.execution import render_execution
from aloft.console.forms import EXECUTION_NAME, field_message, read_form
from aloft.console.nodes import signal_type
from aloft.console.pages import entity_page, launch_interface
from aloft.console.web import (
    KINDS,
    ConsoleRoute,
    PostedForm,
    SameOrigin,
    entity_url,
    execution_url,
    plane,
)
from aloft.errors import InputError
from aloft.ir import (
    ExecutionId,
    Identifier,
    LaunchPlanSpec,
    ResourceType,
    TypedInterface,
    from_json,
)
from aloft.server.control_plane import Conflict, Launch, NotFound, check_name

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


def _redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


@router.post("/projects/{project}/{domain}/{kind}/{name}/{version}/launch")
def launch(
    project: str,
    domain: str,
    kind: str,
    name: str,
    version: str,
    request: Request,
    form: PostedForm,
) -> Response:
    """Launch this version on the form's inputs; the form again, with messages, if refused."""
    if kind not in KINDS:
        raise NotFound(f"no such list {kind!r}")
    id = Identifier(KINDS[kind], name, project, domain, version)
    control = plane(request)
    entity = control.entity(id)
    plan = (
        from_json(entity.template, LaunchPlanSpec)
        if id.resource_type is ResourceType.LAUNCH_PLAN
        else None
    )
    interface = launch_interface(entity)
    outcome = read_form(
        interface,
        form,
        defaults=plan.default_inputs if plan else None,
        fixed=plan.fixed_inputs if plan else None,
    )
    execution_name = form.get(EXECUTION_NAME, "").strip()
    if execution_name:
        try:
            check_name(execution_name, "execution name")
        except InputError as exc:
            outcome.errors[EXECUTION_NAME] = str(exc)
    if outcome.errors:
        return entity_page(request, id, form, outcome.errors)
    try:
        record = control.launch(
            Launch(
                id.resource_type,
                id.name,
                id.project,
                id.domain,
                id.version,
                literals=outcome.literals,
                execution_name=execution_name,
            )
        )
    except Conflict as exc:  # all else was checked: the name is taken
        return entity_page(request, id, form, {EXECUTION_NAME: str(exc)})
    except InputError as exc:  # the form's fields were checked: something else is wrong
        return entity_page(request, id, form, problem=str(exc))
    return _redirect(execution_url(record.id))


@router.post("/executions/{project}/{domain}/{name}/terminate", dependencies=[SameOrigin])
def terminate(project: str, domain: str, name: str, request: Request) -> Response:
    """Ask the execution to end ABORTED."""
    id = ExecutionId(name, project, domain)
    plane(request).terminate(id)
    return _redirect(execution_url(id))


@router.post("/executions/{project}/{domain}/{name}/relaunch", dependencies=[SameOrigin])
def relaunch(project: str, domain: str, name: str, request: Request) -> Response:
    """A new execution of the same entity on the same inputs."""
    record = plane(request).relaunch(ExecutionId(name, project, domain))
    return _redirect(execution_url(record.id))


@router.post("/executions/{project}/{domain}/{name}/recover", dependencies=[SameOrigin])
def recover(project: str, domain: str, name: str, request: Request) -> Response:
    """Re-run a failed execution, reusing every node that succeeded in it."""
    record = plane(request).recover(ExecutionId(name, project, domain))
    return _redirect(execution_url(record.id))


@router.post("/executions/{project}/{domain}/{name}/signals")
def give_signal(
    project: str, domain: str, name: str, request: Request, form: PostedForm
) -> Response:
    """Give a gate's signal: an approval (``approve``/``reject``) or a typed value."""
    id = ExecutionId(name, project, domain)
    signal = form.get("signal", "")
    control = plane(request)
    gate = control.spec(id).closure.signal_gates().get(signal)
    if gate is None:
        raise NotFound(f"execution {id} has no gate waiting for signal {signal!r}")
    interface = TypedInterface(inputs={signal: signal_type(gate)})
    fields = {signal: form.get("decision", form.get(signal, ""))}
    outcome = read_form(interface, fields)
    if outcome.errors:
        return render_execution(request, id, None, outcome.errors, fields)
    try:
        control.signal(id, signal, None, outcome.literals[signal])
    except InputError as exc:
        message = field_message(str(exc), signal).removeprefix(f"signal {signal!r}: ")
        return render_execution(request, id, None, {signal: message}, fields)
    return _redirect(execution_url(id))


@router.post(
    "/projects/{project}/{domain}/launch_plans/{name}/{version}/{action}",
    dependencies=[SameOrigin],
)
def activation(
    project: str, domain: str, name: str, version: str, action: str, request: Request
) -> Response:
    """Activate this launch plan version (its schedule fires from now), or deactivate it."""
    if action not in ("activate", "deactivate"):
        raise NotFound(f"no action {action!r}: activate or deactivate")
    id = Identifier(ResourceType.LAUNCH_PLAN, name, project, domain, version)
    plane(request).activate(id, action == "activate")
    return _redirect(entity_url(id))
