"""Refusing request bodies larger than a limit, whether they say their length or not.

A body that declares a ``Content-Length`` over the limit is refused before it is read; a
chunked one is counted as it arrives and refused once it passes the limit, so no handler
ever holds more than the limit in memory.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aloft.server.errors import error_response


class BodyLimit:
    """ASGI middleware: bodies of requests to a path may be at most ``limit_for(path)``."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        too_large = f"request body is larger than {limit >> 20} MiB"
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                await error_response(413, too_large)(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, too_large)
            return message

        await self.app(scope, counted, send)
