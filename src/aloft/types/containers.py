"""Homogeneous containers: ``list[T]`` and ``dict[str, T]`` (also ``typing.List``/``Dict``).

The item type must be given: a bare ``list`` or ``dict`` says nothing the literal type could
record. Errors inside a container say where (``item 2: ...``, ``key 'a': ...``).
"""

from __future__ import annotations

from typing import Any, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.ir import CollectionType, CollectionValue, Literal, LiteralType, MapType, MapValue
from aloft.types import engine
from aloft.types.messages import at, literal_mismatch, mismatch, python_type_name, short_repr
from aloft.types.transformer import TypeTransformer


class ListTransformer(TypeTransformer[list[Any]]):
    """``list[T]`` ↔ ``CollectionValue``; on the command line a JSON array."""

    name = "list[T]"

    def handles(self, py_type: Any) -> bool:
        return py_type is list or get_origin(py_type) is list

    def literal_type(self, py_type: Any) -> LiteralType:
        return CollectionType(element=engine.literal_type_of(_item_type(py_type)))

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        item_type = _item_type(py_type)
        if not isinstance(value, list):
            raise mismatch(py_type, value)
        convert = engine.transformer_for(item_type).to_literal
        items = []
        for index, item in enumerate(value):
            try:
                items.append(convert(item, item_type))
            except TypeTransformerError as error:
                raise at(f"item {index}", error) from None
        return CollectionValue(items=tuple(items))

    def to_python(self, literal: Literal, py_type: Any) -> list[Any]:
        item_type = _item_type(py_type)
        if type(literal) is not CollectionValue:
            raise literal_mismatch(py_type, literal)
        convert = engine.transformer_for(item_type).to_python
        values = []
        for index, item in enumerate(literal.items):
            try:
                values.append(convert(item, item_type))
            except TypeTransformerError as error:
                raise at(f"item {index}", error) from None
        return values

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


class DictTransformer(TypeTransformer[dict[str, Any]]):
    """``dict[str, T]`` ↔ ``MapValue``; on the command line a JSON object."""

    name = "dict[str, T]"

    def handles(self, py_type: Any) -> bool:
        return py_type is dict or get_origin(py_type) is dict

    def literal_type(self, py_type: Any) -> LiteralType:
        return MapType(value=engine.literal_type_of(_value_type(py_type)))

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        value_type = _value_type(py_type)
        if not isinstance(value, dict):
            raise mismatch(py_type, value)
        convert = engine.transformer_for(value_type).to_literal
        entries = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise mismatch(py_type, value, f"key {short_repr(key)} is not a str")
            try:
                entries[key] = convert(item, value_type)
            except TypeTransformerError as error:
                raise at(f"key {short_repr(key)}", error) from None
        return MapValue(entries=entries)

    def to_python(self, literal: Literal, py_type: Any) -> dict[str, Any]:
        value_type = _value_type(py_type)
        if type(literal) is not MapValue:
            raise literal_mismatch(py_type, literal)
        convert = engine.transformer_for(value_type).to_python
        values = {}
        for key, item in literal.entries.items():
            try:
                values[key] = convert(item, value_type)
            except TypeTransformerError as error:
                raise at(f"key {short_repr(key)}", error) from None
        return values

    def from_json_value(self, data: Any, py_type: Any) -> dict[str, Any]:
        value_type = _value_type(py_type)
        if not isinstance(data, dict):
            raise mismatch(py_type, data, "give a JSON object")
        convert = engine.transformer_for(value_type).from_json_value
        values = {}
        for key, item in data.items():
            try:
                values[key] = convert(item, value_type)
            except TypeTransformerError as error:
                raise at(f"key {short_repr(key)}", error) from None
        return values


def _item_type(py_type: Any) -> Any:
    args = get_args(py_type)
    if not args:
        raise TypeTransformerError(
            f"a bare {python_type_name(py_type)} is not supported: give the item type, "
            "e.g. list[int] or list[str]"
        )
    return args[0]


def _value_type(py_type: Any) -> Any:
    args = get_args(py_type)
    if not args:
        raise TypeTransformerError(
            f"a bare {python_type_name(py_type)} is not supported: give the key and value types, "
            "e.g. dict[str, int]"
        )
    if args[0] is not str:
        raise TypeTransformerError(f"dict keys must be str, got {python_type_name(py_type)}")
    return args[1]


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (ListTransformer(), DictTransformer())
