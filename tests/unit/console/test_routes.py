"""How the console's routes are served, and what its pages say in few words."""

from __future__ import annotations

import inspect
from datetime import timedelta

from fastapi.routing import APIRoute

from aloft.console import actions, execution, executions, files, node, pages
from aloft.console.pages import schedule_text
from aloft.console.status import format_seconds
from aloft.ir import CronSchedule, FixedRateSchedule


def test_no_page_or_form_of_the_console_does_its_work_on_the_event_loop() -> None:
    # A route written ``async def`` runs on the server's event loop: its database work and
    # rendering would stall every other request meanwhile (the API, long polls, other
    # pages). A plain function runs in a worker thread.
    modules = (pages, executions, execution, node, files, actions)
    routes = [r for m in modules for r in m.router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 10
    on_the_loop = [route.path for route in routes if inspect.iscoroutinefunction(route.endpoint)]
    assert on_the_loop == []


def test_a_schedule_is_said_in_a_few_words() -> None:
    assert schedule_text(None) == ""
    assert schedule_text(CronSchedule(expression="0 3 * * *")) == "cron 0 3 * * *"
    shifted = CronSchedule(expression="@daily", offset="PT1H")
    assert schedule_text(shifted) == "cron @daily, shifted by PT1H"
    every = {
        minutes: schedule_text(FixedRateSchedule(every=timedelta(minutes=minutes)))
        for minutes in (1, 90, 120, 2880)
    }
    assert every == {1: "every 1 min", 90: "every 90 min", 120: "every 2 h", 2880: "every 2 d"}


def test_a_duration_is_said_in_the_unit_that_shows_it() -> None:
    said = [format_seconds(s) for s in (None, 0.0004, 0.07, 0.9994, 0.9996, 2.5, 12.34, 245, 7380)]
    assert said == [
        "",
        "0 ms",
        "70 ms",
        "999 ms",
        "1.00 s",
        "2.50 s",
        "12.3 s",
        "4 min 05 s",
        "2 h 03 min",
    ]
