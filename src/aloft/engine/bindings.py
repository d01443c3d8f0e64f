"""Turning a node's bindings into input literals, from the outputs recorded so far."""

from __future__ import annotations

from collections.abc import Callable

from aloft.errors import AloftError
from aloft.ir import (
    Binding,
    BindingData,
    CollectionBinding,
    CollectionValue,
    HashedValue,
    Literal,
    LiteralBinding,
    MapBinding,
    MapValue,
    OffloadedValue,
    PromiseBinding,
    StructValue,
    UnionValue,
)

OutputLookup = Callable[[str, str], Literal]
"""Returns output ``output`` of node ``node`` (of the same workflow) as recorded."""

LiteralLoader = Callable[[OffloadedValue], Literal]
"""Reads back a literal that was offloaded to the blob store."""


class BindingError(AloftError):
    """A binding could not be resolved (a missing output or a bad attribute path)."""


def resolve_bindings(
    bindings: tuple[Binding, ...], lookup: OutputLookup, load: LiteralLoader | None = None
) -> dict[str, Literal]:
    """Resolve every binding to a literal, keyed by the variable it feeds.

    ``load`` reads offloaded literals when an attribute path has to look inside one.
    """
    return {binding.var: resolve(binding.data, lookup, load) for binding in bindings}


def resolve(data: BindingData, lookup: OutputLookup, load: LiteralLoader | None = None) -> Literal:
    """Resolve one binding."""
    if type(data) is PromiseBinding:
        value = lookup(data.node, data.output)
        for step in data.path:
            value = _select(value, step, data, load)
        if data.union_variant:
            value = UnionValue(variant=data.union_variant, value=value)
        return value
    if type(data) is LiteralBinding:
        return data.value
    if type(data) is CollectionBinding:
        return CollectionValue(items=tuple(resolve(item, lookup, load) for item in data.items))
    if type(data) is MapBinding:
        entries = {key: resolve(item, lookup, load) for key, item in data.entries.items()}
        return MapValue(entries=entries)
    raise BindingError(f"unknown binding {data!r}")  # pragma: no cover


def _select(
    value: Literal, step: str | int, binding: PromiseBinding, load: LiteralLoader | None
) -> Literal:
    """One step of an attribute path: a struct field, a map key or a list index."""
    if isinstance(value, UnionValue | HashedValue):
        value = value.value
    if isinstance(value, OffloadedValue):
        if load is None:
            raise BindingError(
                f"cannot read offloaded output {binding.output!r} of node {binding.node}"
            )
        value = load(value)
    try:
        if isinstance(value, StructValue) and isinstance(step, str):
            return value.fields[step]
        if isinstance(value, MapValue) and isinstance(step, str):
            return value.entries[step]
        if isinstance(value, CollectionValue) and isinstance(step, int):
            return value.items[step]
    except (KeyError, IndexError):
        pass
    raise BindingError(
        f"output {binding.output!r} of node {binding.node} has no element {step!r} "
        f"(path {'.'.join(map(str, binding.path))})"
    )
