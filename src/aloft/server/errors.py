"""How errors become responses: one JSON object ``{"error": message}`` with a 4xx status for
anything the request did wrong, so a client never sees a traceback.

A request the API cannot parse (FastAPI's validation) names the field at fault; the
control plane's own errors name what they refuse. Only a fault of the server itself is a
500, logged here with its traceback.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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


def error_response(status: int, message: str) -> JSONResponse:
    """The response for an error: ``{"error": message}``."""
    return JSONResponse({"error": message}, status_code=status)


def install(app: FastAPI) -> None:
    """Make ``app`` answer every error with one JSON message."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "; ".join(_describe(e) for e in exc.errors()[:5]))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail))

    @app.exception_handler(UserError)
    async def refused(request: Request, exc: UserError) -> JSONResponse:
        status = next(code for kind, code in _STATUS if isinstance(exc, kind))
        return error_response(status, str(exc))

    @app.exception_handler(Exception)
    async def server_fault(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("request %s %s failed", request.method, request.url.path)
        return error_response(500, f"the server failed: {type(exc).__name__}: {exc}")


def _describe(error: dict[str, object]) -> str:
    location = error.get("loc") or ()
    where = ".".join(str(part) for part in location if part != "body") or "body"  # type: ignore[attr-defined]
    return f"{where}: {error.get('msg', 'invalid')}"
