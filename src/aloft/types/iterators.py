"""``Iterator[T]``: a sequence produced or read one item at a time (flytekit's iterator type).

An ``Iterator[T]`` output is stored as a list of ``T`` (the same literal type, so it feeds a
``list[T]`` input and the other way round). A task may return any iterable for it, a
generator included, or be a generator function itself: the items are converted as they come.
An ``Iterator[T]`` input gives the items lazily, each converted when the task asks for it.
"""

from __future__ import annotations

import collections.abc
from collections.abc import Iterator
from typing import Any, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.ir import CollectionType, CollectionValue, Literal, LiteralType
from aloft.types import engine
from aloft.types.containers import encode_items, iter_items
from aloft.types.messages import literal_mismatch, mismatch, python_type_name
from aloft.types.transformer import TypeTransformer

_ORIGINS = (collections.abc.Iterator, collections.abc.Generator)


def is_iterator_type(py_type: Any) -> bool:
    """Whether ``py_type`` is ``Iterator[T]`` or ``Generator[T, ...]`` (``typing`` or
    ``collections.abc``)."""
    return get_origin(py_type) in _ORIGINS


def iterator_item_type(py_type: Any) -> Any:
    """The ``T`` of ``Iterator[T]``."""
    args = get_args(py_type)
    if not args:
        raise TypeTransformerError(
            f"a bare {python_type_name(py_type)} is not supported: give the item type, "
            "e.g. Iterator[int]"
        )
    return args[0]


class IteratorTransformer(TypeTransformer[Iterator[Any]]):
    """``Iterator[T]`` ↔ ``CollectionValue``, converted one item at a time."""

    name = "Iterator[T]"

    def handles(self, py_type: Any) -> bool:
        return is_iterator_type(py_type)

    def literal_type(self, py_type: Any) -> LiteralType:
        return CollectionType(element=engine.literal_type_of(iterator_item_type(py_type)))

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if not isinstance(value, collections.abc.Iterable) or isinstance(value, str | bytes):
            raise mismatch(py_type, value, "return an iterator, a generator or a list")
        return encode_items(value, iterator_item_type(py_type))

    def to_python(self, literal: Literal, py_type: Any) -> Iterator[Any]:
        if type(literal) is not CollectionValue:
            raise literal_mismatch(py_type, literal)
        return iter_items(literal, iterator_item_type(py_type))

    def from_json_value(self, data: Any, py_type: Any) -> Iterator[Any]:
        return iter(engine.from_json_value(data, list[iterator_item_type(py_type)]))  # type: ignore[misc]


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (IteratorTransformer(),)
