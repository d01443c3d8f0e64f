"""Tagged unions: ``Optional[T]``, ``Union[A, B]`` and ``A | B``.

A union value records which variant it holds: ``UnionValue(variant=describe(variant type))``.
Encoding picks the variant whose Python type is exactly the value's type (looking into lists
and dicts, so ``Union[list[float], list[int]]`` keeps ``[1]`` a ``list[int]``), else the
first variant (in declaration order) that accepts the value, so ``Union[float, int]`` keeps
``1`` an int while ``Optional[float]`` turns it into ``1.0``. Decoding reads the tag; a
literal without a tag (an engine passing a plain value into a union input) goes to the
variant whose literal kind fits.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.ir import (
    SIMPLE_LITERALS,
    BlobType,
    BlobValue,
    CollectionType,
    CollectionValue,
    EnumType,
    JsonType,
    Literal,
    LiteralType,
    MapType,
    MapValue,
    NoneValue,
    PickleType,
    PickleValue,
    SimpleType,
    StringValue,
    StructType,
    StructuredDatasetType,
    StructuredDatasetValue,
    StructValue,
    UnionType,
    UnionValue,
    describe,
)
from aloft.types import engine
from aloft.types.messages import literal_mismatch, mismatch, python_type_name, text_mismatch
from aloft.types.transformer import TypeTransformer

_NoneType = type(None)
_MAX_PLANS = 4096


@dataclass(frozen=True)
class _Variant:
    py_type: Any
    tag: str
    literal_kind: type[Any]  # the Literal class a value of this variant encodes to


@dataclass(frozen=True)
class _Plan:
    """What a union's conversions need, worked out once per union annotation."""

    variants: tuple[_Variant, ...]
    by_exact_type: dict[type[Any], tuple[_Variant, ...]] = field(default_factory=dict)
    by_tag: dict[str, _Variant] = field(default_factory=dict)


# Keyed by id() and checked with `is`: typing makes Union[int, str] == Union[str, int], and the
# entry keeps the annotation alive, so its id cannot be reused while cached.
_plans: dict[int, tuple[Any, _Plan]] = engine.new_cache()


class UnionTransformer(TypeTransformer[Any]):
    """``Optional[T]``, ``Union[...]`` and ``A | B`` ↔ ``UnionValue``."""

    name = "Optional[T]/Union[...]"

    def handles(self, py_type: Any) -> bool:
        origin = get_origin(py_type)
        return origin is Union or origin is types.UnionType

    def literal_type(self, py_type: Any) -> LiteralType:
        variants = tuple(engine.literal_type_of(arg) for arg in get_args(py_type))
        seen: set[str] = set()
        for variant in variants:
            tag = describe(variant)
            if tag in seen:
                raise TypeTransformerError(
                    f"{python_type_name(py_type)} has two variants of the same type {tag}"
                )
            seen.add(tag)
        return UnionType(variants=variants)

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        plan = _plan(py_type)
        exact = plan.by_exact_type.get(type(value), ())
        if len(exact) > 1:  # list[float] and list[int] both hold lists: look inside
            exact = tuple(sorted(exact, key=lambda v: not _holds_exactly(value, v.py_type)))
        first_error: TypeTransformerError | None = None
        for variant in exact:
            try:
                inner = engine.to_literal(value, variant.py_type)
            except TypeTransformerError as error:
                first_error = first_error or error
                continue
            return UnionValue(variant=variant.tag, value=inner)
        for variant in plan.variants:
            if variant in exact:
                continue
            try:
                inner = engine.to_literal(value, variant.py_type)
            except TypeTransformerError:
                continue
            return UnionValue(variant=variant.tag, value=inner)
        # The variant of the value's own type explains the failure best (e.g. "item 2: ...").
        raise first_error or mismatch(py_type, value)

    def to_python(self, literal: Literal, py_type: Any) -> Any:
        plan = _plan(py_type)
        if type(literal) is UnionValue:
            variant = plan.by_tag.get(literal.variant)
            if variant is not None:
                return engine.to_python(literal.value, variant.py_type)
            try:
                return _decode_untagged(plan, literal.value, py_type)
            except TypeTransformerError:
                raise literal_mismatch(
                    py_type, literal, f"it holds variant {literal.variant!r}"
                ) from None
        return _decode_untagged(plan, literal, py_type)

    def from_json_value(self, data: Any, py_type: Any) -> Any:
        plan = _plan(py_type)
        others = [v for v in plan.variants if v.literal_kind is not NoneValue]
        if data is not None and len(others) == 1:  # Optional[T]: keep T's message and path
            return engine.from_json_value(data, others[0].py_type)
        for variant in plan.variants:
            try:
                return engine.from_json_value(data, variant.py_type)
            except TypeTransformerError:
                continue
        raise mismatch(py_type, data)

    def parse_text(self, text: str, py_type: Any) -> Any:
        plan = _plan(py_type)
        others = [v for v in plan.variants if v.literal_kind is not NoneValue]
        if len(others) < len(plan.variants) and text.strip() in ("None", "null"):
            return None
        if len(others) == 1:  # Optional[T]: T's own message is the clearest
            return engine.parse_cli_value(text, others[0].py_type)
        # A string parses as anything textual, so str variants are tried last (as in flytekit).
        others.sort(key=lambda v: v.py_type is str)
        for variant in others:
            try:
                return engine.parse_cli_value(text, variant.py_type)
            except TypeTransformerError:
                continue
        raise text_mismatch(py_type, text)


def _decode_untagged(plan: _Plan, literal: Literal, py_type: Any) -> Any:
    """Decode a literal without a tag by the variants whose literal kind fits it best."""
    kind = type(literal)
    fitting = [v for v in plan.variants if v.literal_kind is kind]
    others = [v for v in plan.variants if v.literal_kind is not kind]
    for variant in (*fitting, *others):
        try:
            return engine.to_python(literal, variant.py_type)
        except TypeTransformerError:
            continue
    raise literal_mismatch(py_type, literal)


def _holds_exactly(value: Any, py_type: Any, depth: int = 0) -> bool:
    """Whether ``value`` is of ``py_type`` all the way down without any conversion (``[1]``
    is a ``list[int]``, not a ``list[float]``). Types it cannot look into count as holding."""
    if depth > 32:
        return True
    origin = get_origin(py_type)
    if origin is Annotated:
        return _holds_exactly(value, get_args(py_type)[0], depth + 1)
    if origin is Union or origin is types.UnionType:
        return any(_holds_exactly(value, arg, depth + 1) for arg in get_args(py_type))
    args = get_args(py_type)
    if origin in (list, tuple, set, frozenset) and args:
        return isinstance(value, origin) and all(
            _holds_exactly(item, args[0], depth + 1) for item in value
        )
    if origin is dict and len(args) == 2:
        return isinstance(value, dict) and all(
            _holds_exactly(item, args[1], depth + 1) for item in value.values()
        )
    if py_type in (int, float, str, bool, bytes) or py_type is _NoneType:
        return type(value) is py_type
    return True


def _plan(py_type: Any) -> _Plan:
    entry = _plans.get(id(py_type))
    if entry is not None and entry[0] is py_type:
        return entry[1]
    variants = []
    by_exact_type: dict[type[Any], tuple[_Variant, ...]] = {}
    for arg in get_args(py_type):
        literal_type = engine.literal_type_of(arg)
        variant = _Variant(arg, describe(literal_type), _literal_kind(literal_type))
        variants.append(variant)
        exact = _exact_type(arg)
        if exact is not None:
            by_exact_type[exact] = (*by_exact_type.get(exact, ()), variant)
    plan = _Plan(tuple(variants), by_exact_type, {v.tag: v for v in variants})
    if len(_plans) >= _MAX_PLANS:
        _plans.clear()
    _plans[id(py_type)] = (py_type, plan)
    return plan


def _exact_type(variant: Any) -> type[Any] | None:
    """The class a value must have to be this variant's own type (``list`` for ``list[int]``)."""
    while get_origin(variant) is Annotated:
        variant = variant.__origin__
    if variant is None:
        return _NoneType
    if isinstance(variant, type):
        return variant
    origin = get_origin(variant)
    return origin if isinstance(origin, type) else None


def _literal_kind(literal_type: LiteralType) -> type[Any]:
    match literal_type:
        case SimpleType(simple=kind):
            return SIMPLE_LITERALS[kind]
        case CollectionType():
            return CollectionValue
        case MapType() | JsonType():
            return MapValue
        case EnumType():
            return StringValue
        case StructType():
            return StructValue
        case UnionType():
            return UnionValue
        case BlobType():
            return BlobValue
        case StructuredDatasetType():
            return StructuredDatasetValue
        case PickleType():
            return PickleValue


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (UnionTransformer(),)
