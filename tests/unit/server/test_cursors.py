"""Cursors of paginated listings: opaque, and refused when tampered with."""

from __future__ import annotations

import json

import pytest

from aloft.errors import InputError
from aloft.server.cursors import decode_cursor, encode_cursor


def test_cursors_round_trip_and_refuse_tampering_and_the_other_order() -> None:
    cursor = encode_cursor(41, "-created_at")
    assert decode_cursor(cursor, "-created_at") == 41
    with pytest.raises(InputError, match="is not a cursor of this listing"):
        decode_cursor(cursor, "created_at")
    for bad in ["", "x", "!!!", json.dumps({"after": 1})]:
        with pytest.raises(InputError, match="cursor"):
            decode_cursor(bad, "-created_at")
