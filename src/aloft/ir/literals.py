"""Literals: values in their language-neutral, JSON-serialisable form."""

from __future__ import annotations

import datetime
import math

from aloft.ir.base import IRModel
from aloft.ir.types import BlobDimensionality


class _LiteralBase(IRModel, frozen=True, tag_field="kind"):
    pass


class NoneValue(_LiteralBase, frozen=True, tag="none"):
    """The absence of a value (``None``)."""


class IntegerValue(_LiteralBase, frozen=True, tag="int"):
    """An integer."""

    value: int


class FloatValue(_LiteralBase, frozen=True, tag="float"):
    """A floating-point number. NaN and the infinities, for which JSON has no numbers, are
    held as the strings ``"nan"``, ``"inf"`` and ``"-inf"``, so every float survives a round
    trip through JSON: make one with ``FloatValue.of`` and read it with ``number``."""

    value: float | str

    def __post_init__(self) -> None:
        if isinstance(self.value, str) and self.value not in _NON_FINITE:
            raise ValueError(
                f"a float literal is a number, 'nan', 'inf' or '-inf', not {self.value!r}"
            )

    @classmethod
    def of(cls, number: float) -> FloatValue:
        """The literal of ``number``, whatever float it is."""
        return cls(value=number if math.isfinite(number) else str(number))

    @property
    def number(self) -> float:
        """The float held."""
        return float(self.value)


_NON_FINITE = frozenset({"nan", "inf", "-inf"})


class StringValue(_LiteralBase, frozen=True, tag="str"):
    """A string; enum members are stored by their value as strings too."""

    value: str


class BooleanValue(_LiteralBase, frozen=True, tag="bool"):
    """A boolean."""

    value: bool


class DatetimeValue(_LiteralBase, frozen=True, tag="datetime"):
    """A point in time (timezone-aware or naive, as given). Build one with ``of``."""

    value: datetime.datetime

    @classmethod
    def of(cls, value: datetime.datetime) -> DatetimeValue:
        """The literal of ``value``. JSON (RFC 3339) offsets are whole minutes, so a value
        whose offset has seconds (historic zones had them) is kept as the same moment in UTC,
        as flytekit does, instead of moving when written out; ``ValueError`` if that moment
        lies outside the years 1 to 9999 in UTC."""
        offset = value.utcoffset()
        if offset is not None and offset % datetime.timedelta(minutes=1):
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError:
                raise ValueError(
                    f"{value.isoformat()} has a UTC offset with seconds, so it is kept in UTC, "
                    "where it falls outside the years 1 to 9999"
                ) from None
        return cls(value=value)


class DateValue(_LiteralBase, frozen=True, tag="date"):
    """A calendar date."""

    value: datetime.date


class DurationValue(_LiteralBase, frozen=True, tag="duration"):
    """A duration."""

    value: datetime.timedelta


class BinaryValue(_LiteralBase, frozen=True, tag="bytes"):
    """Raw bytes (base64 in JSON)."""

    value: bytes


class CollectionValue(_LiteralBase, frozen=True, tag="list"):
    """An ordered collection of literals."""

    items: tuple[Literal, ...]


class MapValue(_LiteralBase, frozen=True, tag="map"):
    """A mapping from string keys to literals."""

    entries: dict[str, Literal]


class StructValue(_LiteralBase, frozen=True, tag="struct"):
    """A record: field name to literal. The engine reads attribute paths out of it."""

    fields: dict[str, Literal]


class UnionValue(_LiteralBase, frozen=True, tag="union"):
    """A value of a union type; ``variant`` is ``describe()`` of the variant it holds."""

    variant: str
    value: Literal


class BlobValue(_LiteralBase, frozen=True, tag="blob"):
    """A file or directory stored at ``uri``.

    ``hash`` identifies the content: a digest of the bytes written for data a task produced,
    or of the URI and the store's metadata for a remote file passed through by reference.
    """

    uri: str
    format: str = ""
    dimensionality: BlobDimensionality = BlobDimensionality.SINGLE
    hash: str = ""


class StructuredDatasetValue(_LiteralBase, frozen=True, tag="structured_dataset"):
    """A table stored at ``uri`` in ``format`` (parquet by default); ``hash`` as for blobs."""

    uri: str
    format: str = "parquet"
    hash: str = ""


class PickleValue(_LiteralBase, frozen=True, tag="pickle"):
    """A Python object of a type aloft has no transformer for, pickled.

    Small pickles are kept inline in ``data``; larger ones are stored at ``uri``. An item of
    a list annotated with ``BatchSize`` holds ``batch`` consecutive values of the list, pickled
    together as one list (0: the pickle is one value).
    """

    hash: str
    data: bytes = b""
    uri: str = ""
    batch: int = 0


class OffloadedValue(_LiteralBase, frozen=True, tag="offloaded"):
    """A large literal stored as a JSON document at ``uri`` instead of inline."""

    uri: str
    hash: str
    size: int


class HashedValue(_LiteralBase, frozen=True, tag="hashed"):
    """A literal whose cache hash the user chose (``Annotated[T, HashMethod(fn)]``)."""

    value: Literal
    hash: str


Literal = (
    NoneValue
    | IntegerValue
    | FloatValue
    | StringValue
    | BooleanValue
    | DatetimeValue
    | DateValue
    | DurationValue
    | BinaryValue
    | CollectionValue
    | MapValue
    | StructValue
    | UnionValue
    | BlobValue
    | StructuredDatasetValue
    | PickleValue
    | OffloadedValue
    | HashedValue
)
