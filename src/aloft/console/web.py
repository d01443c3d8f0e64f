"""What the console's pages share: the templates, the URLs of everything a page links to,
the control plane behind a request, and the checks every form post passes.

Pages are rendered on the server with Jinja2 (autoescaped). Every page is served with a
Content-Security-Policy that lets it load only the console's own style sheet and script, so
nothing a user's values or logs hold can run in it.
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Callable, Coroutine, Mapping
from typing import Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute

from aloft.errors import InputError, UserError
from aloft.ir import ExecutionId, Identifier, NodeKey, ResourceType
from aloft.server.api import API_PREFIX
from aloft.server.control_plane import ControlPlane
from aloft.server.errors import describe_validation, status_for

STATIC_PATH = "/static"
"""Where the console's style sheet and script are served."""
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
KIND_PATHS = {
    ResourceType.TASK: "tasks",
    ResourceType.WORKFLOW: "workflows",
    ResourceType.LAUNCH_PLAN: "launch_plans",
}
KINDS = {path: kind for kind, path in KIND_PATHS.items()}
KIND_TITLES = {"tasks": "Tasks", "workflows": "Workflows", "launch_plans": "Launch plans"}
FORM_TYPE = "application/x-www-form-urlencoded"


class CrossSiteRequest(InputError):
    """A form was posted from another site (HTTP 403)."""


class ConsoleRoute(APIRoute):
    """A console route: a request it refuses (a name that does not exist, a bad value) is
    answered with a page saying why, with the status the API would give, never a trace."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except CrossSiteRequest as exc:
                return error_page(request, 403, str(exc))
            except UserError as exc:
                return error_page(request, status_for(exc), str(exc))
            except RequestValidationError as exc:
                return error_page(request, 422, describe_validation(exc))

        return handle


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    """A page saying why a request was refused."""
    return render(request, "error.html", status_code, code=status_code, message=message)


def plane(request: Request) -> ControlPlane:
    """The control plane of the app serving ``request``."""
    control: ControlPlane = request.app.state.control_plane
    return control


def scope_url(project: str, domain: str) -> str:
    """A project and domain's page."""
    return f"/projects/{_q(project)}/{_q(domain)}"


def kind_url(project: str, domain: str, kind: str) -> str:
    """The list of a project's tasks, workflows or launch plans (``kind``: a path part)."""
    return f"{scope_url(project, domain)}/{kind}"


def entity_url(id: Identifier, version: bool = True) -> str:
    """An entity's page: one version of it, or (``version`` false) all of its versions."""
    base = f"{kind_url(id.project, id.domain, KIND_PATHS[id.resource_type])}/{_q(id.name)}"
    return f"{base}/{_q(id.version)}" if version and id.version else base


def execution_url(id: ExecutionId, suffix: str = "") -> str:
    """An execution's page, or one of its sub-resources (``suffix``: ``/status``)."""
    return f"/executions/{_q(id.project)}/{_q(id.domain)}/{_q(id.name)}{suffix}"


def node_url(id: ExecutionId, key: NodeKey | str) -> str:
    """A node's page within its execution."""
    return execution_url(id, f"/nodes/{urllib.parse.quote(str(key), safe='/[]')}")


def log_url(id: ExecutionId, key: NodeKey | str, attempt: int) -> str:
    """An attempt's log, from the API (``offset`` and ``tail`` may be added to the query)."""
    query = urllib.parse.urlencode({"node": str(key), "attempt": attempt})
    return f"{API_PREFIX}{execution_url(id, '/logs?' + query)}"


def deck_url(id: ExecutionId, key: NodeKey | str, attempt: int) -> str:
    """The deck an attempt wrote."""
    query = urllib.parse.urlencode({"node": str(key), "attempt": attempt})
    return execution_url(id, "/deck?" + query)


def with_query(path: str, params: Mapping[str, Any]) -> str:
    """``path`` with ``params`` (lists repeat their key; empty values are left out)."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(v)) for v in values if v not in (None, ""))
    return f"{path}?{urllib.parse.urlencode(pairs)}" if pairs else path


async def same_origin(request: Request) -> None:
    """Refuse a form posted from another site: its ``Origin`` (or ``Referer``), when the
    browser sends one, must be this server's own (a sandboxed deck's is ``null``). A
    dependency of every form's route."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if origin is None:  # not a browser's form (curl, a script): nothing to forge
        return
    if urllib.parse.urlsplit(origin).netloc != request.headers.get("host", ""):
        raise CrossSiteRequest("this form was posted from another site; post it from the console")


async def posted_form(request: Request) -> dict[str, str]:
    """The fields of a form posted from this site as a browser posts it
    (``application/x-www-form-urlencoded``; the last value of a field given twice). A
    dependency: the body is read on the event loop, so that the route's own work can run in
    a worker thread, as a plain function's does."""
    await same_origin(request)
    body = await request.body()
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if body and kind != FORM_TYPE:
        raise InputError(f"the form is posted as {kind or 'nothing said'}: post it as {FORM_TYPE}")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the form is not UTF-8 text") from None
    return dict(urllib.parse.parse_qsl(text, keep_blank_values=True))


SameOrigin = Depends(same_origin)
"""What a form's route that takes no fields depends on."""
PostedForm = Annotated[dict[str, str], Depends(posted_form)]
"""A form's fields, as a route's parameter."""


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """``template`` rendered with ``context`` as the response to ``request``."""
    text = _environment().get_template(template).render(request=request, **context)
    response = HTMLResponse(text, status_code=status_code)
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _q(part: str) -> str:
    return urllib.parse.quote(part, safe="")


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("aloft.console", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        static=STATIC_PATH,
        scope_url=scope_url,
        kind_url=kind_url,
        entity_url=entity_url,
        execution_url=execution_url,
        node_url=node_url,
        log_url=log_url,
        deck_url=deck_url,
        with_query=with_query,
        kind_paths=KIND_PATHS,
        kind_titles=KIND_TITLES,
    )
    return environment
