"""Whether a value of one literal type may feed an input of another.

Flyte's rule: the same type, or ``T`` into ``Optional[T]`` or a ``Union`` containing ``T``.
Nothing is converted implicitly: ``int`` into ``float`` is an error. Tables follow Flyte's
structured dataset rule: formats match unless either is empty (any), and a downstream that
declares columns needs each of them, with a fitting type, upstream (unless upstream declares
none).
"""

from __future__ import annotations

from aloft.ir import (
    BlobType,
    CollectionType,
    LiteralType,
    MapType,
    PickleType,
    StructuredDatasetType,
    UnionType,
    describe,
)

ANY_PICKLE = "typing.Any"
"""The pickled type of an input annotated ``typing.Any``."""


def binding_variant(source: LiteralType, target: LiteralType) -> str | None:
    """How ``source`` fits ``target``: ``""`` as it is, a union variant tag to be wrapped in,
    or ``None`` when it does not fit."""
    if source == target:
        return ""
    if isinstance(target, UnionType):
        if isinstance(source, UnionType):
            fits = all(any(v == t for t in target.variants) for v in source.variants)
            return "" if fits else None
        for variant in target.variants:
            if _fits(source, variant):
                return describe(variant)
        return None
    return "" if _fits(source, target) else None


def _fits(source: LiteralType, target: LiteralType) -> bool:
    """Structural fit, allowing unions at any depth inside containers.

    As in Flyte, a blob without a format fits any format (``FlyteFile`` and
    ``FlyteFile["csv"]`` both ways), and any pickled type fits a ``typing.Any`` input.
    """
    if source == target:
        return True
    if isinstance(source, BlobType) and isinstance(target, BlobType):
        return source.dimensionality is target.dimensionality and (
            not source.format or not target.format or source.format == target.format
        )
    if isinstance(source, PickleType) and isinstance(target, PickleType):
        return target.name == ANY_PICKLE
    if isinstance(source, CollectionType) and isinstance(target, CollectionType):
        return binding_variant(source.element, target.element) is not None
    if isinstance(source, MapType) and isinstance(target, MapType):
        return source.key is target.key and binding_variant(source.value, target.value) is not None
    if isinstance(source, StructuredDatasetType) and isinstance(target, StructuredDatasetType):
        return _dataset_fits(source, target)
    return False


def _dataset_fits(source: StructuredDatasetType, target: StructuredDatasetType) -> bool:
    """A table fits if the formats agree (or either is any) and it has the columns asked for."""
    return not dataset_mismatch(source, target)


def dataset_mismatch(source: StructuredDatasetType, target: StructuredDatasetType) -> str:
    """Why a table of type ``source`` cannot feed ``target`` (``""`` if it can), for messages:
    ``describe`` names both ``StructuredDataset``."""
    if source.format and target.format and source.format.lower() != target.format.lower():
        return f"it is stored as {source.format}, not {target.format}"
    if not source.columns or not target.columns:
        return ""
    upstream = {column.name: column.type for column in source.columns}
    for column in target.columns:
        found = upstream.get(column.name)
        if found is None:
            return f"it has no column {column.name!r}; its columns are " + ", ".join(
                repr(name) for name in upstream
            )
        if binding_variant(found, column.type) is None:
            return f"its column {column.name!r} is {describe(found)}, not {describe(column.type)}"
    return ""
