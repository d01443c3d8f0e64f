"""Pydantic v2 models ↔ ``StructType``/``StructValue``, like dataclasses.

pydantic is never imported here: a type can only be a model if the user's code already
imported pydantic, so ``sys.modules`` says whether to look. Decoding goes through
``model_validate`` so the model's validators run; fields are passed by attribute name.
"""

from __future__ import annotations

import functools
import inspect
import sys
from typing import Any

from aloft.errors import TypeTransformerError
from aloft.ir import Literal, LiteralType
from aloft.types import records
from aloft.types.messages import python_type_name, short_repr, text_mismatch
from aloft.types.records import RecordField
from aloft.types.transformer import TypeTransformer

_fields: dict[type[Any], tuple[RecordField, ...]] = {}
_MAX_ERRORS = 3


class PydanticModelTransformer(TypeTransformer[Any]):
    """Subclasses of ``pydantic.BaseModel`` (v2); the struct's name is ``__qualname__``."""

    name = "pydantic model"

    def handles(self, py_type: Any) -> bool:
        base = _base_model()
        return base is not None and isinstance(py_type, type) and issubclass(py_type, base)

    def literal_type(self, py_type: Any) -> LiteralType:
        return records.struct_type(py_type, record_fields(py_type))

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        return records.encode(value, py_type, record_fields(py_type))

    def to_python(self, literal: Literal, py_type: Any) -> Any:
        kwargs = records.decode(literal, py_type, record_fields(py_type))
        try:
            if _accepts_by_name():
                return py_type.model_validate(kwargs, by_name=True)
            return py_type.model_validate(kwargs)
        except ValueError as error:  # pydantic's ValidationError is a ValueError
            message = f"cannot construct {python_type_name(py_type)}: {_summary(error)}"
            raise TypeTransformerError(message) from None

    def from_json_value(self, data: Any, py_type: Any) -> Any:
        try:
            return py_type.model_validate(data)
        except ValueError as error:
            message = f"expected {python_type_name(py_type)}, got {short_repr(data)}"
            raise TypeTransformerError(f"{message} ({_summary(error)})") from None

    def parse_text(self, text: str, py_type: Any) -> Any:
        try:
            return py_type.model_validate_json(text)
        except ValueError as error:  # pydantic's ValidationError is a ValueError
            raise text_mismatch(py_type, text, _summary(error)) from None

    def struct_fields(self, py_type: Any) -> dict[str, Any] | None:
        return {f.name: f.py_type for f in record_fields(py_type)}


def record_fields(cls: type[Any]) -> tuple[RecordField, ...]:
    """The fields of a model with their resolved annotations (cached per class)."""
    cached = _fields.get(cls)
    if cached is not None:
        return cached
    hints = records.type_hints(cls)
    result = tuple(
        RecordField(
            name=name,
            py_type=hints.get(name, info.annotation),
            required=info.is_required(),
        )
        for name, info in cls.model_fields.items()
    )
    _fields[cls] = result
    return result


def _base_model() -> type[Any] | None:
    # pydantic.main, not pydantic: `import pydantic` defers loading BaseModel, and any model
    # class the user wrote has loaded it already.
    module = sys.modules.get("pydantic.main")
    base = getattr(module, "BaseModel", None)
    return base if isinstance(base, type) else None


@functools.cache
def _accepts_by_name() -> bool:
    # model_validate(by_name=...) exists since pydantic 2.11; before it, fields are populated
    # by alias, which only matters for models that declare aliases.
    base = _base_model()
    return base is not None and "by_name" in inspect.signature(base.model_validate).parameters


def _summary(error: ValueError) -> str:
    errors = getattr(error, "errors", None)
    if not callable(errors):
        return str(error)
    parts = []
    for item in errors()[:_MAX_ERRORS]:
        location = ".".join(str(part) for part in item.get("loc", ())) or "value"
        parts.append(f"{location}: {item.get('msg', '')}")
    return "; ".join(parts)


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (PydanticModelTransformer(),)
