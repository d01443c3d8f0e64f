"""pyarrow ``Table`` ↔ parquet (the default) and CSV. Loaded when a pyarrow Table is first seen."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from aloft.ir import StructuredDatasetType, StructuredDatasetValue
from aloft.storage import DataContext
from aloft.types.structured import arrow_io, handlers
from aloft.types.structured.blobs import CSV, PARQUET, check_columns, column_names
from aloft.types.structured.dataset import StructuredDataset

EXTRA = "arrow"


def _table(dataset: StructuredDataset, dataset_type: StructuredDatasetType) -> Any:
    """The dataset's table, cut to the declared columns (no copy)."""
    table = dataset.dataframe
    columns = column_names(dataset_type)
    if columns is None:
        return table
    check_columns(table.column_names, columns, "the Arrow table")
    return table.select(columns)


class ArrowToParquetEncodingHandler(handlers.StructuredDatasetEncoder):
    """Writes a Table as one parquet file."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, PARQUET)

    def encode(
        self,
        context: DataContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetValue:
        table = _table(structured_dataset, structured_dataset_type)
        return arrow_io.write_parquet(context, table, structured_dataset.uri, EXTRA)


class ParquetToArrowDecodingHandler(handlers.StructuredDatasetDecoder):
    """Reads parquet, only the requested columns."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, PARQUET)

    def decode(
        self,
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> Any:
        columns = column_names(current_task_metadata)
        return arrow_io.read_parquet(context, flyte_value, columns, EXTRA)


class ArrowToCSVEncodingHandler(handlers.StructuredDatasetEncoder):
    """Writes a Table as one CSV file."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, CSV)

    def encode(
        self,
        context: DataContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetValue:
        table = _table(structured_dataset, structured_dataset_type)
        return arrow_io.write_csv(context, table, structured_dataset.uri, EXTRA)


class CSVToArrowDecodingHandler(handlers.StructuredDatasetDecoder):
    """Reads a CSV file (or a folder of CSV parts)."""

    def __init__(self) -> None:
        super().__init__(pa.Table, None, CSV)

    def decode(
        self,
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> Any:
        columns = column_names(current_task_metadata)
        return arrow_io.read_csv(context, flyte_value, columns, EXTRA)


def register_handlers() -> None:
    """Register the pyarrow handlers (parquet is the default format)."""
    handlers.add_handler(ArrowToParquetEncodingHandler(), default_format_for_type=True)
    handlers.add_handler(ParquetToArrowDecodingHandler(), default_format_for_type=True)
    handlers.add_handler(ArrowToCSVEncodingHandler())
    handlers.add_handler(CSVToArrowDecodingHandler())
