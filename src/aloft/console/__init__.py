"""The web console: pages served by ``aloft serve`` at ``/``, beside the API.

Server-rendered with Jinja2 from the control plane's own services (the registry, the
execution store, the blob store), with one style sheet and a small script as static files:
no build step. Like the server, it works on IR only and never imports user code.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from aloft.console import actions, execution, executions, files, node, pages
from aloft.console.web import STATIC_PATH, http_error

__all__ = ["install"]


def install(app: FastAPI) -> None:
    """Serve the console's pages and static files from ``app`` (whose state holds the
    control plane, as the server's does), and answer a browser that asks for a URL nothing
    is at with a page (after ``aloft.server.errors.install``, whose JSON errors it keeps for
    the API)."""
    for module in (pages, executions, execution, node, files, actions):
        app.include_router(module.router)
    app.exception_handler(HTTPException)(http_error)
    static = Path(__file__).with_name("static")
    app.mount(STATIC_PATH, StaticFiles(directory=static), name="console-static")
