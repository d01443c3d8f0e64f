"""``BatchSize``: a list of pickled values stored a batch at a time (flytekit's ``BatchSize``).

``Annotated[list[T], BatchSize(n)]`` (or ``Annotated[Iterator[T], BatchSize(n)]``), where
``T`` has no transformer and is pickled, stores the list as one pickle per ``n`` consecutive
items instead of one per item: a list of 100,000 small objects becomes 100 blobs with
``BatchSize(1000)``. A task may return an iterator or a generator for it, which is consumed a
batch at a time, so no more than one batch of items is pickled at once. The literal type is
the list's own, so the list feeds any ``list[T]`` input, which reads the batches back.

On a list whose items have a transformer of their own, ``BatchSize`` changes nothing, as in
flytekit. It must be a positive ``int``, on a list or an iterator: anything else is refused
where the task is declared.
"""

from __future__ import annotations

import collections.abc
from typing import Annotated, Any, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.ir import Literal, LiteralType
from aloft.types import engine
from aloft.types.containers import encode_items
from aloft.types.iterators import is_iterator_type, iterator_item_type
from aloft.types.messages import python_type_name
from aloft.types.transformer import TypeTransformer


class BatchSize:
    """How many pickled items of a list are stored together: ``Annotated[list[T],
    BatchSize(100)]``.

    Args:
        val: The number of items per batch, a positive int.
    """

    def __init__(self, val: int) -> None:
        self._val = val

    @property
    def val(self) -> int:
        """The number of items per batch."""
        return self._val

    def __repr__(self) -> str:
        return f"BatchSize({self._val!r})"


class BatchedListTransformer(TypeTransformer[Any]):
    """``Annotated[list[T] | Iterator[T], ..., BatchSize(n)]``: pickled items ``n`` at a time."""

    name = "Annotated[list[T], BatchSize(n)]"

    def handles(self, py_type: Any) -> bool:
        return get_origin(py_type) is Annotated and any(
            isinstance(item, BatchSize) for item in py_type.__metadata__
        )

    def literal_type(self, py_type: Any) -> LiteralType:
        _batch_of(py_type)  # refuses a bad one here, where the task is declared
        return engine.literal_type_of(_without_batch(py_type))

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        size, sequence = _batch_of(py_type)
        if isinstance(value, list | collections.abc.Iterator):  # an iterator: consumed as it comes
            return encode_items(value, _item_type(sequence), batch=size)
        return engine.to_literal(value, _without_batch(py_type))  # which says what is wrong

    def to_python(self, literal: Literal, py_type: Any) -> Any:
        return engine.to_python(literal, _without_batch(py_type))

    def from_json_value(self, data: Any, py_type: Any) -> Any:
        return engine.from_json_value(data, _without_batch(py_type))

    def parse_text(self, text: str, py_type: Any) -> Any:
        return engine.parse_cli_value(text, _without_batch(py_type))


def _batch_of(py_type: Any) -> tuple[int, Any]:
    """The batch size of ``py_type`` and the list or iterator type it annotates."""
    sequence = _without_batch(py_type)
    while get_origin(sequence) is Annotated:
        sequence = sequence.__origin__
    sizes = [item for item in py_type.__metadata__ if isinstance(item, BatchSize)]
    if len(sizes) > 1:
        raise TypeTransformerError(f"give one BatchSize, not {len(sizes)}")
    size = sizes[0].val
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise TypeTransformerError(f"BatchSize must be a positive int, got {size!r}")
    if get_origin(sequence) is not list and not is_iterator_type(sequence):
        raise TypeTransformerError(
            "BatchSize applies to a list or an iterator (Annotated[list[T], BatchSize(n)]), "
            f"not to {python_type_name(sequence)}"
        )
    return size, sequence


def _item_type(sequence: Any) -> Any:
    if get_origin(sequence) is list:
        args = get_args(sequence)
        if args:
            return args[0]
    return iterator_item_type(sequence)


def _without_batch(py_type: Any) -> Any:
    """``py_type`` without its ``BatchSize`` (other metadata kept)."""
    kept = tuple(item for item in py_type.__metadata__ if not isinstance(item, BatchSize))
    return Annotated[(py_type.__origin__, *kept)] if kept else py_type.__origin__


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (BatchedListTransformer(),)
