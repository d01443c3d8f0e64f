"""Cursors of paginated listings: an opaque token for where the next page starts."""

from __future__ import annotations

import base64
import binascii
import json

from aloft.errors import InputError

MAX_CURSOR = 200
"""The longest cursor this server hands out is far shorter."""


def encode_cursor(position: int, sort: str) -> str:
    """The cursor of the page after ``position`` in a listing sorted by ``sort``."""
    text = json.dumps({"after": position, "sort": sort}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> int:
    """The position a cursor names; ``InputError`` if it is not one of a listing sorted by
    ``sort`` (a cursor of another sort order would skip or repeat executions)."""
    refused = InputError(f"cursor: {cursor[:40]!r} is not a cursor of this listing")
    if len(cursor) > MAX_CURSOR:
        raise refused
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position, cursor_sort = data["after"], data["sort"]
    except (binascii.Error, ValueError, TypeError, KeyError, RecursionError):
        raise refused from None
    if cursor_sort != sort or isinstance(position, bool) or not isinstance(position, int):
        raise refused
    if not 0 <= position < 2**63:
        raise refused
    return position
