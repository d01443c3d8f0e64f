"""The web console: pages served by ``aloft serve`` at ``/``, beside the API.

Server-rendered with Jinja2 from the control plane's own services (the registry, the
execution store, the blob store), with one style sheet and a small script as static files:
no build step. Like the server, it works on IR only and never imports user code.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from aloft.console import actions, execution, executions, files, node, pages
from aloft.console.web import STATIC_PATH, error_page

__all__ = ["error_page", "install"]


def install(app: FastAPI) -> None:
    """Serve the console's pages and static files from ``app`` (whose state holds the
    control plane, as the server's does). Its ``error_page`` is what
    ``aloft.server.errors.install`` shows a browser that asks for a URL nothing is at."""
    for module in (pages, executions, execution, node, files, actions):
        app.include_router(module.router)
    static = Path(__file__).with_name("static")
    app.mount(STATIC_PATH, StaticFiles(directory=static), name="console-static")
