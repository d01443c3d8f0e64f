"""Content hashes of literals: what the cache catalog and lineage key values by.

The hash depends only on the value: maps and structs hash the same whatever their key order,
and values stored in the blob store (files, tables, pickles, offloaded literals) contribute the
content hash recorded when they were written, so nothing is read again to hash it.
"""

from __future__ import annotations

import hashlib

from aloft.ir.codec import to_json
from aloft.ir.literals import (
    BlobValue,
    CollectionValue,
    HashedValue,
    Literal,
    MapValue,
    OffloadedValue,
    PickleValue,
    StructuredDatasetValue,
    StructValue,
    UnionValue,
)


def literal_hash(literal: Literal) -> str:
    """The hex SHA-256 content hash of ``literal``."""
    digest = hashlib.sha256()
    _feed(literal, digest)
    return digest.hexdigest()


def _feed(literal: Literal, digest: hashlib._Hash) -> None:
    if isinstance(literal, HashedValue | PickleValue | OffloadedValue):
        digest.update(b"h:" + literal.hash.encode())
    elif isinstance(literal, BlobValue | StructuredDatasetValue):
        digest.update(b"h:" + (literal.hash or literal.uri).encode())
    elif isinstance(literal, UnionValue):
        _feed(literal.value, digest)
    elif isinstance(literal, CollectionValue):
        digest.update(b"[")
        for item in literal.items:
            _feed(item, digest)
            digest.update(b",")
        digest.update(b"]")
    elif isinstance(literal, MapValue | StructValue):
        entries = literal.entries if isinstance(literal, MapValue) else literal.fields
        digest.update(b"{")
        for key in sorted(entries):
            digest.update(key.encode() + b":")
            _feed(entries[key], digest)
            digest.update(b",")
        digest.update(b"}")
    else:
        digest.update(to_json(literal))
