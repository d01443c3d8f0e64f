"""flytekit's literal type models (``flytekit.models.types`` and ``flytekit.models.core.types``):
``LiteralType``, ``SimpleType``, ``BlobType``, ``StructuredDatasetType``, ``UnionType``,
``EnumType``, built with the same constructors and read with the same attributes.

They exist so that a type transformer written for flytekit runs unchanged;
:mod:`aloft.compat.type_translation` turns them into aloft's own literal types and back.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class SimpleType(enum.IntEnum):
    """The scalar kinds, numbered as Flyte's IDL numbers them."""

    NONE = 0
    INTEGER = 1
    FLOAT = 2
    STRING = 3
    BOOLEAN = 4
    DATETIME = 5
    DURATION = 6
    BINARY = 7
    ERROR = 8
    STRUCT = 9


class _BlobDimensionality(enum.IntEnum):
    SINGLE = 0
    MULTIPART = 1


@dataclass
class BlobType:
    """A file (``SINGLE``) or a folder of files (``MULTIPART``) in a given format."""

    BlobDimensionality = _BlobDimensionality

    format: str = ""
    dimensionality: int = _BlobDimensionality.SINGLE


@dataclass
class EnumType:
    """A string restricted to ``values``."""

    values: list[str] = field(default_factory=list)


@dataclass
class UnionType:
    """A tagged union of ``variants``."""

    variants: list[LiteralType] = field(default_factory=list)


@dataclass
class DatasetColumn:
    """One column of a structured dataset type."""

    name: str
    literal_type: LiteralType


_DatasetColumn = DatasetColumn


@dataclass
class StructuredDatasetType:
    """A table type: its columns (none: any) and storage format (empty: any)."""

    DatasetColumn = _DatasetColumn

    columns: list[_DatasetColumn] = field(default_factory=list)
    format: str = ""
    external_schema_type: str | None = None
    external_schema_bytes: bytes | None = None


@dataclass
class TypeStructure:
    """A type's tag (flytekit records the Python class of dataclasses here)."""

    tag: str = ""
    dataclass_type: dict[str, Any] | None = None


@dataclass
class LiteralType:
    """One Flyte type: exactly one of the fields is set."""

    simple: SimpleType | None = None
    schema: Any = None
    collection_type: LiteralType | None = None
    map_value_type: LiteralType | None = None
    blob: BlobType | None = None
    enum_type: EnumType | None = None
    union_type: UnionType | None = None
    structured_dataset_type: StructuredDatasetType | None = None
    metadata: dict[str, Any] | None = None
    structure: TypeStructure | None = None
    annotation: Any = None

    @property
    def type(self) -> Any:
        """Whichever field is set."""
        for value in (
            self.simple,
            self.schema,
            self.collection_type,
            self.map_value_type,
            self.blob,
            self.enum_type,
            self.union_type,
            self.structured_dataset_type,
        ):
            if value is not None:
                return value
        return None
