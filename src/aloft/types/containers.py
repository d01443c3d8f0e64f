"""Containers: ``list[T]``, ``dict[str, T]`` and ``dict[int, T]`` (also ``typing.List`` and
``Dict``), and the untyped ``dict``.

A list's item type must be given: a bare ``list`` says nothing the literal type could record.
A bare ``dict`` is a JSON object, as flytekit stores it (``JsonType``); a ``dict[int, T]``
holds its keys as their decimal text, as JSON does, and gives them back as ints. Errors inside
a container say where (``item 2: ...``, ``key 'a': ...``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.ir import (
    CollectionType,
    CollectionValue,
    JsonType,
    Literal,
    LiteralType,
    MapType,
    MapValue,
    PickleValue,
    SimpleKind,
)
from aloft.ir.json_documents import (
    JsonDocumentError,
    json_literal,
    json_value,
    map_key_text,
    map_key_value,
)
from aloft.types import engine
from aloft.types.messages import at, literal_mismatch, mismatch, python_type_name, short_repr
from aloft.types.pickles import PickleTransformer, pickle_batch, unpickle_batch
from aloft.types.transformer import TypeTransformer


class ListTransformer(TypeTransformer[list[Any]]):
    """``list[T]`` ↔ ``CollectionValue``; on the command line a JSON array."""

    name = "list[T]"

    def handles(self, py_type: Any) -> bool:
        return py_type is list or get_origin(py_type) is list

    def literal_type(self, py_type: Any) -> LiteralType:
        return CollectionType(element=engine.literal_type_of(_item_type(py_type)))

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if not isinstance(value, list):
            raise mismatch(py_type, value)
        return encode_items(value, _item_type(py_type))

    def to_python(self, literal: Literal, py_type: Any) -> list[Any]:
        if type(literal) is not CollectionValue:
            raise literal_mismatch(py_type, literal)
        return decode_items(literal, _item_type(py_type))

    def from_json_value(self, data: Any, py_type: Any) -> list[Any]:
        item_type = _item_type(py_type)
        if not isinstance(data, list):
            raise mismatch(py_type, data, "give a JSON array")
        convert = engine.transformer_for(item_type).from_json_value
        values = []
        for index, item in enumerate(data):
            try:
                values.append(convert(item, item_type))
            except TypeTransformerError as error:
                raise at(f"item {index}", error) from None
        return values


def encode_items(values: Iterable[Any], item_type: Any, batch: int = 0) -> CollectionValue:
    """The collection literal of ``values`` (any iterable, consumed once), each converted as
    ``item_type``. With ``batch``, pickled items are pickled ``batch`` at a time, one literal
    item per batch (``Annotated[list[T], BatchSize(batch)]``)."""
    transformer = engine.transformer_for(item_type)
    if batch and isinstance(transformer, PickleTransformer):
        items: list[Literal] = []
        iterator = iter(values)
        while chunk := list(itertools.islice(iterator, batch)):
            try:
                items.append(pickle_batch(chunk, item_type))
            except TypeTransformerError as error:
                first = len(items) * batch
                raise at(f"items {first}-{first + len(chunk) - 1}", error) from None
        return CollectionValue(items=tuple(items))
    convert = transformer.to_literal
    items = []
    for index, item in enumerate(values):
        try:
            items.append(convert(item, item_type))
        except TypeTransformerError as error:
            raise at(f"item {index}", error) from None
    return CollectionValue(items=tuple(items))


def decode_items(literal: CollectionValue, item_type: Any) -> list[Any]:
    """The values of a collection literal as ``item_type`` (batches of pickled items
    expanded)."""
    transformer = engine.transformer_for(item_type)
    if isinstance(transformer, PickleTransformer):
        return list(iter_items(literal, item_type))
    convert = transformer.to_python
    values = []
    for index, item in enumerate(literal.items):
        try:
            values.append(convert(item, item_type))
        except TypeTransformerError as error:
            raise at(f"item {index}", error) from None
    return values


def iter_items(literal: CollectionValue, item_type: Any) -> Iterator[Any]:
    """The values of a collection literal as ``item_type``, one at a time (a batch of pickled
    items is read when its first item is asked for)."""
    transformer = engine.transformer_for(item_type)
    convert = transformer.to_python
    batched = isinstance(transformer, PickleTransformer)
    for index, item in enumerate(literal.items):
        try:
            if batched and isinstance(item, PickleValue) and item.batch:
                yield from unpickle_batch(item, item_type)
            else:
                yield convert(item, item_type)
        except TypeTransformerError as error:
            raise at(f"item {index}", error) from None


class DictTransformer(TypeTransformer[dict[Any, Any]]):
    """``dict[str, T]`` and ``dict[int, T]`` ↔ ``MapValue``; a bare ``dict`` ↔ a JSON object;
    on the command line a JSON object."""

    name = "dict[str, T], dict[int, T], dict (JSON)"

    def handles(self, py_type: Any) -> bool:
        return py_type is dict or get_origin(py_type) is dict

    def literal_type(self, py_type: Any) -> LiteralType:
        key_and_value = _key_and_value(py_type)
        if key_and_value is None:
            return JsonType()
        key_kind, value_type = key_and_value
        return MapType(value=engine.literal_type_of(value_type), key=key_kind)

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        if not isinstance(value, dict):
            raise mismatch(py_type, value)
        key_and_value = _key_and_value(py_type)
        if key_and_value is None:
            return _json_document(value, py_type)
        key_kind, value_type = key_and_value
        convert = engine.transformer_for(value_type).to_literal
        entries = {}
        for key, item in value.items():
            try:
                text = map_key_text(key, key_kind)
            except JsonDocumentError as error:
                raise mismatch(py_type, value, str(error)) from None
            try:
                entries[text] = convert(item, value_type)
            except TypeTransformerError as error:
                raise at(f"key {short_repr(key)}", error) from None
        return MapValue(entries=entries)

    def to_python(self, literal: Literal, py_type: Any) -> dict[Any, Any]:
        if type(literal) is not MapValue:
            raise literal_mismatch(py_type, literal)
        key_and_value = _key_and_value(py_type)
        if key_and_value is None:
            try:
                document: dict[str, Any] = json_value(literal)
            except JsonDocumentError as error:
                raise TypeTransformerError(str(error)) from None
            return document
        key_kind, value_type = key_and_value
        convert = engine.transformer_for(value_type).to_python
        values = {}
        for key, item in literal.entries.items():
            try:
                values[map_key_value(key, key_kind)] = convert(item, value_type)
            except JsonDocumentError as error:
                raise TypeTransformerError(str(error)) from None
            except TypeTransformerError as error:
                raise at(f"key {short_repr(key)}", error) from None
        return values

    def from_json_value(self, data: Any, py_type: Any) -> dict[Any, Any]:
        if not isinstance(data, dict):
            raise mismatch(py_type, data, "give a JSON object")
        key_and_value = _key_and_value(py_type)
        if key_and_value is None:
            _json_document(data, py_type)  # checks it
            return dict(data)
        key_kind, value_type = key_and_value
        convert = engine.transformer_for(value_type).from_json_value
        values = {}
        for key, item in data.items():
            try:
                python_key = map_key_value(str(key), key_kind)
            except JsonDocumentError as error:
                raise mismatch(py_type, data, str(error)) from None
            try:
                values[python_key] = convert(item, value_type)
            except TypeTransformerError as error:
                raise at(f"key {short_repr(key)}", error) from None
        return values


_KEY_KINDS = {str: SimpleKind.STRING, int: SimpleKind.INTEGER}
"""The key types a typed dict may have, and the kind its map type records."""


def _key_and_value(py_type: Any) -> tuple[SimpleKind, Any] | None:
    """The key kind and the value type of ``dict[K, V]`` (K: str or int); None for a bare
    ``dict``."""
    args = get_args(py_type)
    if not args:
        return None
    key_kind = _KEY_KINDS.get(args[0])
    if key_kind is None:
        raise TypeTransformerError(
            f"dict keys must be str or int, got {python_type_name(py_type)} (a bare dict holds "
            "any JSON object)"
        )
    return key_kind, args[1]


def _json_document(value: dict[Any, Any], py_type: Any) -> Literal:
    """An untyped dict as the literal of a JSON object."""
    try:
        return json_literal(value)
    except JsonDocumentError as error:
        raise TypeTransformerError(
            f"expected {python_type_name(py_type)} (a JSON object), but {error}; declare its "
            "types (dict[str, T]) to hold other values"
        ) from None


def _item_type(py_type: Any) -> Any:
    args = get_args(py_type)
    if not args:
        raise TypeTransformerError(
            f"a bare {python_type_name(py_type)} is not supported: give the item type, "
            "e.g. list[int] or list[str]"
        )
    return args[0]


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (ListTransformer(), DictTransformer())
