"""pandas ``DataFrame`` ↔ parquet (through pyarrow, the default) and CSV (pandas' own).

Loaded when a pandas DataFrame is first seen; pyarrow is needed for parquet only, and its
absence is an error naming ``aloft[pandas]``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

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

EXTRA = "pandas"


def _frame(dataset: StructuredDataset, dataset_type: StructuredDatasetType) -> pd.DataFrame:
    """The dataset's frame, cut to the declared columns."""
    df: pd.DataFrame = dataset.dataframe
    columns = column_names(dataset_type)
    if columns is None:
        return df
    check_columns([str(c) for c in df.columns], columns, "the DataFrame")
    return df[columns]


class PandasToParquetEncodingHandler(handlers.StructuredDatasetEncoder):
    """Writes a DataFrame as one parquet file; a default ``RangeIndex`` costs no column."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, PARQUET)

    def encode(
        self,
        context: DataContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetValue:
        pa, _ = arrow_io.pyarrow(EXTRA, "writing a pandas DataFrame as parquet")
        df = _frame(structured_dataset, structured_dataset_type)
        try:
            table = pa.Table.from_pandas(df)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as error:
            raise TypeTransformerError(f"cannot store the DataFrame as parquet: {error}") from None
        return arrow_io.write_parquet(context, table, structured_dataset.uri, EXTRA)


class ParquetToPandasDecodingHandler(handlers.StructuredDatasetDecoder):
    """Reads parquet with pyarrow, only the requested columns."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, PARQUET)

    def decode(
        self,
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> pd.DataFrame:
        columns = column_names(current_task_metadata)
        table = arrow_io.read_parquet(context, flyte_value, columns, EXTRA)
        return arrow_to_pandas(table)


def arrow_to_pandas(table: Any) -> pd.DataFrame:
    """An Arrow table as a DataFrame, freeing the Arrow buffers column by column as it goes
    (``self_destruct``), so the peak is about one copy of the table, not two."""
    df: pd.DataFrame = table.to_pandas(split_blocks=True, self_destruct=True)
    return df


class PandasToCSVEncodingHandler(handlers.StructuredDatasetEncoder):
    """Writes a DataFrame as one CSV file, without its index."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, CSV)

    def encode(
        self,
        context: DataContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetValue:
        df = _frame(structured_dataset, structured_dataset_type)
        target = target_uri(context, structured_dataset.uri, arrow_io.CSV_FILE)
        digest = write_blob(context, target, lambda sink: df.to_csv(sink, index=False))
        return StructuredDatasetValue(uri=target, format=CSV, hash=digest)


class CSVToPandasDecodingHandler(handlers.StructuredDatasetDecoder):
    """Reads a CSV file (or a folder of CSV parts) with ``pandas.read_csv``."""

    def __init__(self) -> None:
        super().__init__(pd.DataFrame, None, CSV)

    def decode(
        self,
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> pd.DataFrame:
        columns = column_names(current_task_metadata)
        location = locate(context, flyte_value.uri)
        frames = []
        for path in location.files():
            with location.open(path) as handle:
                frame = pd.read_csv(handle)
            check_columns([str(c) for c in frame.columns], columns, f"{flyte_value.uri}")
            frames.append(frame[columns] if columns else frame)
        if not frames:
            raise TypeTransformerError(f"no CSV file at {flyte_value.uri}")
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def register_handlers() -> None:
    """Register the pandas handlers (parquet is the default format)."""
    handlers.add_handler(PandasToParquetEncodingHandler(), default_format_for_type=True)
    handlers.add_handler(ParquetToPandasDecodingHandler(), default_format_for_type=True)
    handlers.add_handler(PandasToCSVEncodingHandler())
    handlers.add_handler(CSVToPandasDecodingHandler())
