"""Reading dataset annotations: the base type, the declared columns and the storage format.

``Annotated[StructuredDataset, kwtypes(a=int, b=str)]`` declares columns (also as a dict, a
dataclass or any class with annotations; nested dicts become dotted names ``x.y``);
``Annotated[pd.DataFrame, "csv"]`` a format. A pyarrow schema is accepted and ignored (the
IR has no place for it yet). Any other metadata (a ``HashMethod``) is left to the transformer
of ``Annotated`` forms, which strips what it knows.
"""

from __future__ import annotations

import dataclasses
import sys
import warnings
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.ir import (
    LiteralType,
    PickleType,
    SimpleKind,
    SimpleType,
    StructField,
    StructuredDatasetType,
)
from aloft.types import engine, records
from aloft.types.messages import at, python_type_name
from aloft.types.structured.blobs import GENERIC_FORMAT


@dataclass(frozen=True)
class DatasetSpec:
    """What a dataset annotation says.

    Attributes:
        base: The class annotated (``StructuredDataset``, ``pd.DataFrame``, ...).
        columns: Declared column name to Python type, in order; empty for any columns.
        format: The declared storage format; empty for any.
    """

    base: type[Any]
    columns: tuple[tuple[str, Any], ...] = ()
    format: str = GENERIC_FORMAT

    def literal_type(self) -> StructuredDatasetType:
        """The literal type: the declared columns and format."""
        fields = []
        for name, py_type in self.columns:
            try:
                fields.append(StructField(name=name, type=column_literal_type(py_type)))
            except TypeTransformerError as error:
                raise at(f"column {name!r}", error) from None
        return StructuredDatasetType(columns=tuple(fields), format=self.format)

    def column_names(self) -> list[str] | None:
        """The declared column names, or None for any columns."""
        return [name for name, _ in self.columns] or None


def split_annotated(py_type: Any) -> tuple[Any, tuple[Any, ...]]:
    """``(T, metadata)`` of ``Annotated[T, *metadata]``; ``(py_type, ())`` otherwise."""
    if get_origin(py_type) is Annotated:
        base, *metadata = get_args(py_type)
        return base, tuple(metadata)
    return py_type, ()


def is_dataset_metadata(item: Any) -> bool:
    """Whether an ``Annotated`` item is a column declaration, a format or an arrow schema."""
    if isinstance(item, str | dict):
        return True
    if isinstance(item, type):
        return bool(getattr(item, "__annotations__", None))
    kind = type(item)
    return kind.__module__.startswith("pyarrow") and kind.__name__ == "Schema"


def dataset_spec(py_type: Any) -> DatasetSpec:
    """Read a dataset annotation; raises ``TypeTransformerError`` if it declares two formats
    or two column sets."""
    base, metadata = split_annotated(py_type)
    columns: dict[str, Any] | None = None
    fmt = GENERIC_FORMAT
    for item in metadata:
        if isinstance(item, str):
            if fmt:
                raise TypeTransformerError(
                    f"{python_type_name(py_type)} declares two formats, {fmt!r} and {item!r}"
                )
            fmt = item
        elif isinstance(item, dict | type):
            if columns is not None:
                raise TypeTransformerError(
                    f"{python_type_name(py_type)} declares its columns twice"
                )
            columns = _flatten(item if isinstance(item, dict) else _class_columns(item))
    return DatasetSpec(base=base, columns=tuple((columns or {}).items()), format=fmt)


def column_literal_type(py_type: Any) -> LiteralType:
    """The literal type of a column: numpy scalar types map to their kind, the rest as usual."""
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(py_type, type) and issubclass(py_type, numpy.generic):
        for scalar, kind in (
            (numpy.bool_, SimpleKind.BOOLEAN),
            (numpy.integer, SimpleKind.INTEGER),
            (numpy.floating, SimpleKind.FLOAT),
            (numpy.datetime64, SimpleKind.DATETIME),
            (numpy.timedelta64, SimpleKind.DURATION),
            (numpy.str_ | numpy.bytes_ | numpy.object_, SimpleKind.STRING),
        ):
            if issubclass(py_type, scalar):
                return SimpleType(simple=kind)
    with warnings.catch_warnings():  # a type only pickles can hold is refused below
        warnings.simplefilter("ignore")
        literal_type = engine.literal_type_of(py_type)
    if isinstance(literal_type, PickleType):
        raise TypeTransformerError(
            f"{python_type_name(py_type)} is not a column type; use int, float, str, bool, "
            "datetime, timedelta, a numpy scalar type, or lists and dicts of them"
        )
    return literal_type


def _class_columns(cls: type[Any]) -> dict[str, Any]:
    hints = records.type_hints(cls)
    if dataclasses.is_dataclass(cls):
        return {field.name: hints[field.name] for field in dataclasses.fields(cls)}
    return hints


def _flatten(columns: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in columns.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, key + "."))
        elif isinstance(value, type) and dataclasses.is_dataclass(value):
            flat.update(_flatten(_class_columns(value), key + "."))
        else:
            flat[key] = value
    return flat
