"""JSON encoding, decoding and the JSON Schema of IR documents.

Encoding is deterministic: the same object always gives the same bytes (fields in declaration
order, defaults omitted, dicts in insertion order).
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

SCHEMA_VERSION = 1
"""Version of the IR document format; stored documents record it."""

T = TypeVar("T")

_encoder = msgspec.json.Encoder()


def to_json(obj: object) -> bytes:
    """Encode an IR object (or a container of them) as compact JSON bytes."""
    return _encoder.encode(obj)


def from_json(data: bytes | str, type_: type[T]) -> T:
    """Decode JSON into ``type_``, validating every field; raises ``msgspec.ValidationError``."""
    return msgspec.json.decode(data, type=type_)


def json_schema(*types: Any) -> dict[str, Any]:
    """The JSON Schema of the given IR types, sharing one ``$defs`` section."""
    schemas, components = msgspec.json.schema_components(types, ref_template="#/$defs/{name}")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "aloft IR",
        "x-aloft-schema-version": SCHEMA_VERSION,
        "anyOf": list(schemas),
        "$defs": components,
    }
