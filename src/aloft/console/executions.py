"""The executions list: filters (phase, entity, launch plan, labels, time range), sort and
cursor pagination, over the store's own listing (keyset pages by row id, as the API's)."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from aloft.console.web import ConsoleRoute, plane, render, with_query
from aloft.errors import InputError
from aloft.ir import ExecutionPhase
from aloft.server.bodies import label_filter
from aloft.server.cursors import decode_cursor, encode_cursor
from aloft.storage.executions import ExecutionQuery

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
PAGE = 50
"""Executions on a page unless the URL asks for another number."""
MAX_PAGE = 500
_SORTS = {"newest": "-created_at", "oldest": "created_at"}


@router.get("/executions")
def executions(
    request: Request,
    project: str = "",
    domain: str = "",
    phase: str = "",
    workflow: str = "",
    launch_plan: str = "",
    label: Annotated[list[str] | None, Query()] = None,
    created_after: str = "",
    created_before: str = "",
    sort: str = "newest",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
    cursor: str = "",
) -> HTMLResponse:
    """A page of executions; the filters are in the URL, so a filtered page can be shared."""
    filters = {
        "project": project,
        "domain": domain,
        "phase": phase,
        "workflow": workflow,
        "launch_plan": launch_plan,
        "label": label or [],
        "created_after": created_after,
        "created_before": created_before,
        "sort": sort,
        "limit": limit if limit != PAGE else "",
    }
    control = plane(request)
    if sort not in _SORTS:
        raise InputError(f"sort: {sort!r} is not one of {', '.join(_SORTS)}")
    if project or domain:
        control.check_scope(project or "default", domain or "development")
    order = _SORTS[sort]
    query = ExecutionQuery(
        phase=_phase(phase),
        project=project or None,
        domain=domain or None,
        workflow=workflow or None,
        launch_plan=launch_plan or None,
        labels=label_filter([pair for pair in label or [] if pair]),
        created_after=_moment(created_after, "created_after"),
        created_before=_moment(created_before, "created_before"),
        oldest_first=sort == "oldest",
        limit=limit,
        after=decode_cursor(cursor, order) if cursor else None,
    )
    page = control.executions(query)
    next_url = (
        with_query("/executions", {**filters, "cursor": encode_cursor(page.next, order)})
        if page.next is not None
        else ""
    )
    first_url = with_query("/executions", filters) if cursor else ""
    return render(
        request,
        "executions.html",
        filters=filters,
        phases=[p.value for p in ExecutionPhase],
        executions=page.records,
        entities=page.entities,
        next_url=next_url,
        first_url=first_url,
    )


def _phase(text: str) -> ExecutionPhase | None:
    if not text:
        return None
    try:
        return ExecutionPhase(text)
    except ValueError:
        phases = ", ".join(p.value for p in ExecutionPhase)
        raise InputError(f"phase: {text[:40]!r} is not one of {phases}") from None


def _moment(text: str, where: str) -> datetime.datetime | None:
    """A time from a filter field (ISO 8601; without an offset it is UTC)."""
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{where}: {text[:40]!r} is not a date and time (YYYY-MM-DDTHH:MM)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)
