"""Parquet and CSV through pyarrow: what the pandas and pyarrow handlers share.

pyarrow is imported when a table is first read or written, with a clear error naming the extra
to install when it is missing.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from aloft.errors import TypeTransformerError
from aloft.ir import StructuredDatasetValue
from aloft.storage import DataContext
from aloft.types.structured.blobs import (
    PARQUET,
    Location,
    check_columns,
    locate,
    require,
    target_uri,
    write_blob,
)

PARQUET_FILE = "00000.parquet"
CSV_FILE = "00000.csv"


def pyarrow(extra: str, purpose: str) -> tuple[ModuleType, ModuleType]:
    """``(pyarrow, pyarrow.parquet)``, or an error naming the extra to install."""
    return require("pyarrow", extra, purpose), require("pyarrow.parquet", extra, purpose)


def write_parquet(
    context: DataContext, table: Any, uri: str | None, extra: str
) -> StructuredDatasetValue:
    """Write an Arrow table as one parquet file, in folder ``uri`` or a fresh one."""
    pa, pq = pyarrow(extra, "writing a table as parquet")
    target = target_uri(context, uri, PARQUET_FILE)
    # Dictionary-encoding floating-point columns costs more than half the write time and
    # rarely pays (their values seldom repeat); every other column keeps it.
    dictionary = [f.name for f in table.schema if not pa.types.is_floating(f.type)]
    digest = write_blob(
        context, target, lambda sink: pq.write_table(table, sink, use_dictionary=dictionary)
    )
    return StructuredDatasetValue(uri=target, format=PARQUET, hash=digest)


def read_parquet(
    context: DataContext, value: StructuredDatasetValue, columns: list[str] | None, extra: str
) -> Any:
    """Read the parquet file or folder of ``value`` as an Arrow table, only ``columns``."""
    pa, pq = pyarrow(extra, "reading a parquet table")
    location = locate(context, value.uri)
    try:
        return pq.read_table(location.path, columns=columns, filesystem=location.filesystem)
    except (KeyError, pa.ArrowInvalid) as error:
        if columns:
            schema = pq.read_schema(_first_file(location), filesystem=location.filesystem)
            check_columns(schema.names, columns, f"the table at {value.uri}")
        raise TypeTransformerError(
            f"cannot read the parquet table at {value.uri}: {error}"
        ) from None


def read_csv(
    context: DataContext, value: StructuredDatasetValue, columns: list[str] | None, extra: str
) -> Any:
    """Read the CSV file (or folder of CSV parts) of ``value`` as an Arrow table."""
    pa = require("pyarrow", extra, "reading a CSV table")
    csv = require("pyarrow.csv", extra, "reading a CSV table")
    location = locate(context, value.uri)
    tables = []
    for path in location.files():
        with location.open(path) as handle:
            table = csv.read_csv(handle)
        check_columns(table.column_names, columns, f"the table at {value.uri}")
        tables.append(table.select(columns) if columns else table)
    if not tables:
        raise TypeTransformerError(f"no CSV file at {value.uri}")
    return tables[0] if len(tables) == 1 else pa.concat_tables(tables)


def write_csv(
    context: DataContext, table: Any, uri: str | None, extra: str
) -> StructuredDatasetValue:
    """Write an Arrow table as one CSV file, in folder ``uri`` or a fresh one."""
    csv = require("pyarrow.csv", extra, "writing a table as CSV")
    target = target_uri(context, uri, CSV_FILE)
    digest = write_blob(context, target, lambda sink: csv.write_csv(table, sink))
    return StructuredDatasetValue(uri=target, format="csv", hash=digest)


def _first_file(location: Location) -> str:
    files = location.files()
    return files[0] if files else location.path
