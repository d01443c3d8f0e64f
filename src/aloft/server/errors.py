"""How errors become responses: one JSON object ``{"error": message}`` with a 4xx status for
anything the request did wrong, so a client never sees a traceback.

A request the API cannot parse (FastAPI's validation) names the field at fault; the
control plane's own errors name what they refuse. Only a fault of the server itself is a
500, logged here with its traceback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from aloft.errors import InputError, UserError
from aloft.server.control_plane import Conflict, NotFound
from aloft.storage.executions import ExecutionExists, ExecutionNotFound, SignalConflict
from aloft.storage.registry import EntityConflict, EntityNotFound

_log = logging.getLogger("aloft.server")

_STATUS: list[tuple[type[Exception], int]] = [
    (NotFound, 404),
    (ExecutionNotFound, 404),
    (EntityNotFound, 404),
    (Conflict, 409),
    (EntityConflict, 409),
    (ExecutionExists, 409),
    (SignalConflict, 409),
    (InputError, 422),
    (UserError, 422),
]


MAX_MESSAGE = 2000
"""Characters of an error message sent (one naming a huge input does not echo it whole)."""


def error_response(status: int, message: str) -> Response:
    """The response for an error: ``{"error": message}``, ASCII JSON (so that any text a
    request held, lone surrogates included, can be named), cut to ``MAX_MESSAGE``."""
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + " [...]"
    body = json.dumps({"error": message}).encode()
    return Response(body, status_code=status, media_type="application/json")


ErrorPage = Callable[[Request, int, str], Response]
"""Renders an error as a page: (request, status, message) -> response."""


def install(app: FastAPI, page: ErrorPage | None = None) -> None:
    """Make ``app`` answer every error with one JSON message; with ``page``, a browser that
    asks for a URL outside the API that nothing is at (or with a method it does not take)
    gets that page instead."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return error_response(422, describe_validation(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = http_message(request, exc)
        browser = "text/html" in request.headers.get("accept", "")
        if page is not None and browser and not request.url.path.startswith("/api/"):
            return page(request, exc.status_code, message)
        return error_response(exc.status_code, message)

    @app.exception_handler(UserError)
    async def refused(request: Request, exc: UserError) -> Response:
        return error_response(status_for(exc), str(exc))

    @app.exception_handler(UnicodeEncodeError)
    async def not_unicode(request: Request, exc: UnicodeEncodeError) -> Response:
        bad = exc.object[exc.start : exc.end]
        return error_response(422, f"the request holds text that is not valid Unicode: {bad!r}")

    @app.exception_handler(Exception)
    async def server_fault(request: Request, exc: Exception) -> Response:
        _log.exception("request %s %s failed", request.method, request.url.path)
        return error_response(500, f"the server failed ({type(exc).__name__}); see its log")


def http_message(request: Request, exc: HTTPException) -> str:
    """What an HTTP error says: an unknown URL or method named, else the error's own text."""
    where = f"{request.method} {request.url.path}"
    if exc.status_code == 404 and exc.detail == "Not Found":
        return f"nothing is at {where}"
    if exc.status_code == 405:
        return f"{where}: this URL does not take {request.method} requests"
    return str(exc.detail)


def status_for(exc: UserError) -> int:
    """The HTTP status of a refused request: 404 for what does not exist, 409 for a clash
    with what is stored, 422 for anything else the request got wrong."""
    return next(code for kind, code in _STATUS if isinstance(exc, kind))


def describe_validation(exc: RequestValidationError) -> str:
    """A request FastAPI could not parse, as one message naming the fields at fault."""
    return "; ".join(_describe(e) for e in exc.errors()[:5])


def _describe(error: dict[str, object]) -> str:
    location = error.get("loc") or ()
    where = ".".join(str(part) for part in location if part != "body") or "body"  # type: ignore[attr-defined]
    return f"{where}: {error.get('msg', 'invalid')}"
