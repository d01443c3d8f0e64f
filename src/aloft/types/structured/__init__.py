"""Tables: ``StructuredDataset`` and dataframe types (pandas, pyarrow, polars) as task values.

A table crosses a task boundary as parquet in the blob store: the literal holds its URI,
format and the SHA-256 of the bytes written. Columns declared with
``Annotated[T, kwtypes(...)]`` are the only ones stored and read; a format string
(``Annotated[pd.DataFrame, "csv"]``) picks the storage format.

Modules: :mod:`.dataset` (the user-facing class), :mod:`.spec` (reading annotations),
:mod:`.handlers` (encoder/decoder registry, and how to add a dataframe library),
:mod:`.codec` (storing and opening), :mod:`.transformer` (the type transformer),
:mod:`.blobs` and :mod:`.arrow_io` (shared I/O), and one module of handlers per library,
imported only once the program itself uses that library. :mod:`.structured_dataset` holds the
same names under flytekit's module path.
"""

from typing import Any

from aloft.ir import StructuredDatasetType
from aloft.types.structured.blobs import CSV, GENERIC_FORMAT, PARQUET
from aloft.types.structured.dataset import StructuredDataset, StructuredDatasetFormat
from aloft.types.structured.handlers import (
    DuplicateHandlerError,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
)
from aloft.types.structured.transformer import (
    TRANSFORMER,
    StructuredDatasetTransformerEngine,
    register,
)
from aloft.types.transformer import TypeTransformer

TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (TRANSFORMER,)

__all__ = [
    "CSV",
    "GENERIC_FORMAT",
    "PARQUET",
    "TRANSFORMERS",
    "DuplicateHandlerError",
    "StructuredDataset",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetFormat",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
    "register",
]
