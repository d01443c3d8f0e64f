"""Whether a value of one literal type may feed an input of another.

Flyte's rule: the same type, or ``T`` into ``Optional[T]`` or a ``Union`` containing ``T``.
Nothing is converted implicitly: ``int`` into ``float`` is an error.
"""

from __future__ import annotations

from aloft.ir import CollectionType, LiteralType, MapType, UnionType, describe


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
    """Structural fit, allowing unions at any depth inside containers."""
    if source == target:
        return True
    if isinstance(source, CollectionType) and isinstance(target, CollectionType):
        return binding_variant(source.element, target.element) is not None
    if isinstance(source, MapType) and isinstance(target, MapType):
        return binding_variant(source.value, target.value) is not None
    return False
