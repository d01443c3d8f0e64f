"""``StructuredDataset``: a table in the blob store, whatever library reads or wrote it.

A task returns one to say *how* a table is stored (its format, columns, or an existing URI);
a task that takes one gets a handle it opens as the dataframe type it wants::

    @task
    def make() -> Annotated[StructuredDataset, kwtypes(a=int, b=str)]:
        return StructuredDataset(dataframe=pd.DataFrame({"a": [1], "b": ["x"], "c": [0.5]}))

    @task
    def use(sd: Annotated[StructuredDataset, kwtypes(a=int)]) -> int:
        df = sd.open(pd.DataFrame).all()   # only column "a" is read
        return int(df["a"].sum())
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Self, TypeAlias

from aloft.ir import StructuredDatasetType, StructuredDatasetValue
from aloft.types.structured.blobs import GENERIC_FORMAT

StructuredDatasetFormat: TypeAlias = str
"""A storage format name (``"parquet"``, ``"csv"``): ``Annotated[StructuredDataset, "csv"]``."""


class StructuredDataset:
    """A table: a dataframe to store, a URI to pass by reference, or a stored table to open.

    Args:
        dataframe: The table to store (a pandas or polars DataFrame, a pyarrow Table, or any
            type with a registered encoder).
        uri: Where the table is (a local path or a URL), when not given as ``dataframe``;
            with ``dataframe``, the folder to write it to instead of a fresh one.
        metadata: Accepted for flytekit compatibility; unused.
        file_format: The table's storage format; empty means the default for its type
            (parquet for the built-in types).
    """

    def __init__(
        self,
        dataframe: Any = None,
        uri: str | None = None,
        metadata: Any = None,
        *,
        file_format: StructuredDatasetFormat = GENERIC_FORMAT,
    ) -> None:
        self._dataframe = dataframe
        self.uri = uri
        self.file_format = file_format
        self._metadata = metadata
        self._literal: StructuredDatasetValue | None = None
        self._dataset_type: StructuredDatasetType | None = None
        self._dataframe_type: type[Any] | None = None

    @property
    def dataframe(self) -> Any:
        """The dataframe this dataset was created with (None for a stored one)."""
        return self._dataframe

    @property
    def metadata(self) -> Any:
        """What was passed as ``metadata`` (flytekit compatibility)."""
        return self._metadata

    @property
    def literal(self) -> StructuredDatasetValue | None:
        """The stored value this dataset was read from or written as, if any."""
        return self._literal

    @classmethod
    def columns(cls) -> dict[str, type[Any]]:
        """Column name to type declared by a subclass; none for ``StructuredDataset`` itself."""
        return {}

    @classmethod
    def column_names(cls) -> list[str]:
        """The names of :meth:`columns`."""
        return list(cls.columns())

    def open(self, dataframe_type: type[Any]) -> Self:
        """Choose the dataframe type :meth:`all` and :meth:`iter` return; returns ``self``."""
        self._dataframe_type = dataframe_type
        return self

    def all(self) -> Any:
        """The whole table as the type chosen with :meth:`open` (only the declared columns)."""
        from aloft.types.structured import codec

        return codec.read_dataset(self, self._opened_type())

    def iter(self) -> Iterator[Any]:
        """The table in parts, as the type chosen with :meth:`open`; a decoder that reads
        the whole table at once yields it as one part."""
        from aloft.types.structured import codec

        return codec.iter_dataset(self, self._opened_type())

    def _opened_type(self) -> type[Any]:
        if self._dataframe_type is None:
            raise ValueError(
                "no dataframe type set: call open() with the type you want, "
                "e.g. sd.open(pd.DataFrame).all()"
            )
        return self._dataframe_type

    def __repr__(self) -> str:
        if self._dataframe is not None:
            what = f"dataframe={type(self._dataframe).__name__}"
        else:
            what = f"uri={self.uri!r}"
        fmt = f", file_format={self.file_format!r}" if self.file_format else ""
        return f"{type(self).__name__}({what}{fmt})"
