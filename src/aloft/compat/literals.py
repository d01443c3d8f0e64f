"""flytekit's literal models (``flytekit.models.literals``): ``Literal``, ``Scalar``,
``Primitive``, ``Blob``, ``BlobMetadata``, ``LiteralCollection``, ``LiteralMap``, ``Void``,
``Binary``, ``Union``, ``StructuredDataset`` and ``StructuredDatasetMetadata``, with the same
constructors and attributes.

A value exists in this form only while a transformer written for flytekit handles it;
:mod:`aloft.compat.literal_translation` turns it into aloft's own literals and back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from aloft.compat.literal_types import BlobType, LiteralType, StructuredDatasetType


@dataclass
class Primitive:
    """A scalar value: exactly one field is set."""

    integer: int | None = None
    float_value: float | None = None
    string_value: str | None = None
    boolean: bool | None = None
    datetime: dt.datetime | None = None
    duration: dt.timedelta | None = None

    @property
    def value(self) -> Any:
        """Whichever field is set."""
        for value in (
            self.integer,
            self.float_value,
            self.string_value,
            self.boolean,
            self.datetime,
            self.duration,
        ):
            if value is not None:
                return value
        return None


@dataclass
class Void:
    """No value (``None``)."""


@dataclass
class Binary:
    """Raw bytes, with a tag saying how to read them."""

    value: bytes
    tag: str = ""


@dataclass
class BlobMetadata:
    """What a blob holds: its ``BlobType``."""

    type: BlobType


@dataclass
class Blob:
    """A file or folder stored at ``uri``."""

    metadata: BlobMetadata
    uri: str


@dataclass
class Union:
    """A value of a union type and the variant type it holds."""

    value: Literal
    stored_type: LiteralType


@dataclass
class StructuredDatasetMetadata:
    """The declared type of a stored table."""

    structured_dataset_type: StructuredDatasetType | None = None


@dataclass
class StructuredDataset:
    """A table stored at ``uri``."""

    uri: str
    metadata: StructuredDatasetMetadata | None = None


@dataclass
class Scalar:
    """One non-container value: exactly one field is set."""

    primitive: Primitive | None = None
    blob: Blob | None = None
    binary: Binary | None = None
    schema: Any = None
    union: Union | None = None
    none_type: Void | None = None
    error: Any = None
    generic: Any = None
    structured_dataset: StructuredDataset | None = None

    @property
    def value(self) -> Any:
        """Whichever field is set."""
        for value in (
            self.primitive,
            self.blob,
            self.binary,
            self.schema,
            self.union,
            self.none_type,
            self.error,
            self.generic,
            self.structured_dataset,
        ):
            if value is not None:
                return value
        return None


@dataclass
class LiteralCollection:
    """A list of literals."""

    literals: list[Literal] = field(default_factory=list)


@dataclass
class LiteralMap:
    """String keys to literals."""

    literals: dict[str, Literal] = field(default_factory=dict)


@dataclass
class Literal:
    """A value: a scalar, a collection or a map; ``hash``, if set, is its cache key."""

    scalar: Scalar | None = None
    collection: LiteralCollection | None = None
    map: LiteralMap | None = None
    hash: str | None = None
    metadata: dict[str, str] | None = None
    offloaded_metadata: Any = None

    @property
    def value(self) -> Any:
        """The scalar, collection or map that is set."""
        for value in (self.scalar, self.collection, self.map):
            if value is not None:
                return value
        return None
