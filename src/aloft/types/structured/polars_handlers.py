"""polars ``DataFrame`` and ``LazyFrame`` ↔ parquet (the default) and CSV.

Loaded when a polars type is first seen. polars reads and writes parquet itself; a dataset
stored remotely or as a folder of parts is read through pyarrow.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from aloft.errors import TypeTransformerError
from aloft.ir import StructuredDatasetType, StructuredDatasetValue
from aloft.storage import DataContext
from aloft.types.structured import arrow_io, handlers
from aloft.types.structured.blobs import (
    CSV,
    PARQUET,
    check_columns,
    column_names,
    locate,
    target_uri,
    write_blob,
)
from aloft.types.structured.dataset import StructuredDataset

EXTRA = "polars"


def _frame(dataset: StructuredDataset, dataset_type: StructuredDatasetType) -> pl.DataFrame:
    """The dataset's frame (a LazyFrame collected), cut to the declared columns."""
    given = dataset.dataframe
    frame: pl.DataFrame = given.collect() if isinstance(given, pl.LazyFrame) else given
    columns = column_names(dataset_type)
    if columns is None:
        return frame
    check_columns(frame.columns, columns, "the polars DataFrame")
    return frame.select(columns)


def _read_parquet(
    context: DataContext, value: StructuredDatasetValue, columns: list[str] | None
) -> pl.DataFrame:
    location = locate(context, value.uri)
    if location.filesystem is not None or location.is_dir():
        table = arrow_io.read_parquet(context, value, columns, EXTRA)
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)  # a Table converts to a DataFrame
        return frame
    try:
        return pl.read_parquet(location.path, columns=columns)
    except pl.exceptions.ColumnNotFoundError:
        check_columns(list(pl.read_parquet_schema(location.path)), columns, value.uri)
        raise


def _read_csv(
    context: DataContext, value: StructuredDatasetValue, columns: list[str] | None
) -> pl.DataFrame:
    location = locate(context, value.uri)
    frames = []
    for path in location.files():
        with location.open(path) as handle:
            frame = pl.read_csv(handle)
        check_columns(frame.columns, columns, value.uri)
        frames.append(frame.select(columns) if columns else frame)
    if not frames:
        raise TypeTransformerError(f"no CSV file at {value.uri}")
    return frames[0] if len(frames) == 1 else pl.concat(frames)


class PolarsToParquetEncodingHandler(handlers.StructuredDatasetEncoder):
    """Writes a polars DataFrame or LazyFrame as one parquet file."""

    def __init__(self, python_type: type[Any] = pl.DataFrame) -> None:
        super().__init__(python_type, None, PARQUET)

    def encode(
        self,
        context: DataContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetValue:
        frame = _frame(structured_dataset, structured_dataset_type)
        target = target_uri(context, structured_dataset.uri, arrow_io.PARQUET_FILE)
        digest = write_blob(context, target, frame.write_parquet)
        return StructuredDatasetValue(uri=target, format=PARQUET, hash=digest)


class ParquetToPolarsDecodingHandler(handlers.StructuredDatasetDecoder):
    """Reads parquet as a polars DataFrame, only the requested columns."""

    def __init__(self) -> None:
        super().__init__(pl.DataFrame, None, PARQUET)

    def decode(
        self,
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> pl.DataFrame:
        return _read_parquet(context, flyte_value, column_names(current_task_metadata))


class ParquetToPolarsLazyFrameDecodingHandler(handlers.StructuredDatasetDecoder):
    """Reads parquet as a polars LazyFrame, only the requested columns."""

    def __init__(self) -> None:
        super().__init__(pl.LazyFrame, None, PARQUET)

    def decode(
        self,
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> pl.LazyFrame:
        return _read_parquet(context, flyte_value, column_names(current_task_metadata)).lazy()


class PolarsToCSVEncodingHandler(handlers.StructuredDatasetEncoder):
    """Writes a polars DataFrame or LazyFrame as one CSV file."""

    def __init__(self, python_type: type[Any] = pl.DataFrame) -> None:
        super().__init__(python_type, None, CSV)

    def encode(
        self,
        context: DataContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetValue:
        frame = _frame(structured_dataset, structured_dataset_type)
        target = target_uri(context, structured_dataset.uri, arrow_io.CSV_FILE)
        digest = write_blob(context, target, frame.write_csv)
        return StructuredDatasetValue(uri=target, format=CSV, hash=digest)


class CSVToPolarsDecodingHandler(handlers.StructuredDatasetDecoder):
    """Reads a CSV file (or a folder of CSV parts) as a polars DataFrame or LazyFrame."""

    def __init__(self, python_type: type[Any] = pl.DataFrame) -> None:
        super().__init__(python_type, None, CSV)

    def decode(
        self,
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> pl.DataFrame | pl.LazyFrame:
        frame = _read_csv(context, flyte_value, column_names(current_task_metadata))
        return frame.lazy() if self.python_type is pl.LazyFrame else frame


def register_handlers() -> None:
    """Register the polars handlers (parquet is the default format)."""
    for frame_type in (pl.DataFrame, pl.LazyFrame):
        handlers.add_handler(
            PolarsToParquetEncodingHandler(frame_type), default_format_for_type=True
        )
        handlers.add_handler(PolarsToCSVEncodingHandler(frame_type))
        handlers.add_handler(CSVToPolarsDecodingHandler(frame_type))
    handlers.add_handler(ParquetToPolarsDecodingHandler(), default_format_for_type=True)
    handlers.add_handler(ParquetToPolarsLazyFrameDecodingHandler(), default_format_for_type=True)
