"""Storing large literals as blobs, and reading them back.

A literal whose JSON exceeds the threshold is written to the store and replaced by an
``OffloadedValue`` carrying its URI and the hash of the bytes written.
"""

from __future__ import annotations

from aloft.ir import HashedValue, Literal, OffloadedValue, from_json, to_json
from aloft.storage.context import DataContext, current_data_context


def offload_if_large(literal: Literal, context: DataContext | None = None) -> Literal:
    """``literal`` as it is, or as an ``OffloadedValue`` if its JSON is over the threshold."""
    context = context or current_data_context()
    if isinstance(literal, HashedValue):  # keep the user's hash on the outside
        return HashedValue(value=offload_if_large(literal.value, context), hash=literal.hash)
    data = to_json(literal)
    if len(data) <= context.offload_threshold_bytes:
        return literal
    uri = context.new_uri("literal.json")
    digest = context.store.write_bytes(uri, data)
    return OffloadedValue(uri=uri, hash=digest, size=len(data))


def load_offloaded(value: OffloadedValue) -> Literal:
    """The literal an ``OffloadedValue`` points to."""
    data = current_data_context().store.read_bytes(value.uri)
    loaded: Literal = from_json(data, Literal)  # type: ignore[arg-type]
    return loaded
