"""How the console's routes are served."""

from __future__ import annotations

import inspect

from fastapi.routing import APIRoute

from aloft.console import actions, execution, executions, pages


def test_no_page_or_form_of_the_console_does_its_work_on_the_event_loop() -> None:
    # A route written ``async def`` runs on the server's event loop: its database work and
    # rendering would stall every other request meanwhile (the API, long polls, other
    # pages). A plain function runs in a worker thread.
    modules = (pages, executions, execution, actions)
    routes = [r for m in modules for r in m.router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 10
    on_the_loop = [route.path for route in routes if inspect.iscoroutinefunction(route.endpoint)]
    assert on_the_loop == []
