"""An attempt's log as the API and the console serve it: whole (streamed), from a byte
offset (how a running attempt's log is followed: its worker publishes it as it grows), or its
last lines. Headers say which attempt it is and where the attempt, its node and its execution
stand, so that a follower knows when to move on to a retry and when to stop."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO, Annotated, Any

from fastapi import Query
from fastapi.responses import PlainTextResponse, Response, StreamingResponse

from aloft.errors import InputError
from aloft.ir import AttemptRecord, ExecutionId
from aloft.server.control_plane import ControlPlane, NodeAttempt
from aloft.storage import BlobStore

CHUNK = 64 << 10
"""Bytes of a log sent at a time when it is streamed."""
MEDIA_TYPE = "text/plain; charset=utf-8"

ATTEMPT = "X-Aloft-Attempt"
ATTEMPT_PHASE = "X-Aloft-Attempt-Phase"
NODE_PHASE = "X-Aloft-Node-Phase"
EXECUTION_PHASE = "X-Aloft-Execution-Phase"

HEADERS_DOC: dict[str, Any] = {
    name: {"description": description, "schema": {"type": kind}}
    for name, kind, description in (
        (ATTEMPT, "integer", "The attempt whose log this is (absent before the first)."),
        (ATTEMPT_PHASE, "string", "That attempt's phase: `running` while its log grows."),
        (NODE_PHASE, "string", "The node's phase (`not_started` before it starts)."),
        (EXECUTION_PHASE, "string", "The execution's phase."),
    )
}
"""The headers of a log response, as the OpenAPI document describes them."""

MAX_TAIL = 1_000_000
"""The most lines a request for a log's tail may ask for."""
TAIL_WINDOW = 64 << 10
"""Bytes of a log's end read first for its last lines."""

# The query parameters of a log request, shared by the API's route and the console's.
NodeParam = Annotated[str, Query(min_length=1, description="The node's key (`n1/n0`).")]
AttemptParam = Annotated[
    int | None, Query(ge=0, description="The attempt (default: the node's latest).")
]
TailParam = Annotated[int | None, Query(ge=1, le=MAX_TAIL, description="Only the last lines.")]
OffsetParam = Annotated[
    int, Query(ge=0, description="Only the bytes from there on (past the end: none).")
]


def log_response(
    control: ControlPlane,
    execution: ExecutionId,
    node: str,
    attempt: int | None,
    *,
    tail: int | None = None,
    offset: int = 0,
) -> Response:
    """The log of attempt ``attempt`` of ``node`` (its latest if None): its last ``tail``
    lines, or its bytes from ``offset`` on, streamed. Empty while nothing was captured."""
    if tail is not None and offset:
        raise InputError("tail, offset: ask for the last lines or for what follows an offset")
    found = control.node_attempt(execution, node, attempt)
    headers = log_headers(found)
    chosen = found.attempt
    if tail is not None:
        text = read_tail(control.blobs, chosen, tail)[0] if chosen else ""
        return PlainTextResponse(text, headers=headers)
    opened = _open(control.blobs, chosen, offset) if chosen else None
    if opened is None:
        return Response(b"", media_type=MEDIA_TYPE, headers=headers)
    return StreamingResponse(_chunks(opened), media_type=MEDIA_TYPE, headers=headers)


def log_headers(found: NodeAttempt) -> dict[str, str]:
    """The headers saying which attempt a log is of and where things stand."""
    headers = {
        NODE_PHASE: found.node_phase.value,
        EXECUTION_PHASE: found.execution_phase.value,
    }
    if found.attempt is not None:
        headers[ATTEMPT] = str(found.attempt.number)
        headers[ATTEMPT_PHASE] = found.attempt.phase.value
    return headers


def read_tail(
    blobs: BlobStore, attempt: AttemptRecord | None, lines: int, window: int = TAIL_WINDOW
) -> tuple[str, int]:
    """The last ``lines`` lines of what ``attempt`` has printed so far, as text, and the
    size of its log in bytes. Only the log's end is read: ``window`` bytes, more (four
    times as many each time) until they hold the lines, so a huge log costs what its tail
    does."""
    handle = _open(blobs, attempt, 0) if attempt is not None else None
    if handle is None:
        return "", 0
    with handle:
        size = handle.seek(0, os.SEEK_END)
        while True:
            start = max(size - window, 0)
            handle.seek(start)
            data = handle.read(size - start)
            # more line ends than lines: the first of the lines kept is whole
            if start == 0 or data.count(b"\n") > lines:
                break
            window *= 4
    text = data.decode("utf-8", errors="replace")  # a character cut at the start is dropped
    return "".join(text.splitlines(keepends=True)[-lines:]), size


def _open(blobs: BlobStore, attempt: AttemptRecord, offset: int) -> IO[bytes] | None:
    """The attempt's log opened at ``offset`` (at its end if the log is shorter), or None if
    nothing is there yet. A publication replaces the log whole, so an open log reads as one
    version to its end."""
    if not attempt.log_uri:
        return None
    try:
        handle: IO[bytes] = blobs.filesystem(attempt.log_uri).open(attempt.log_uri, "rb")
    except FileNotFoundError:
        return None
    if offset:  # seeking far past the end fails on a local file (EINVAL, or no C offset)
        handle.seek(min(offset, handle.seek(0, os.SEEK_END)))
    return handle


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    with handle:
        while chunk := handle.read(CHUNK):
            yield chunk
