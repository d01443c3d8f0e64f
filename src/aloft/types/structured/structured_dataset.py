"""flytekit's module path for these names (``flytekit.types.structured.structured_dataset``),
so a custom encoder or decoder written for flytekit ports by changing its imports only."""

from aloft.ir import StructuredDatasetType
from aloft.types.structured.blobs import CSV, GENERIC_FORMAT, PARQUET
from aloft.types.structured.dataset import StructuredDataset, StructuredDatasetFormat
from aloft.types.structured.handlers import (
    DuplicateHandlerError,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
)
from aloft.types.structured.transformer import StructuredDatasetTransformerEngine

__all__ = [
    "CSV",
    "GENERIC_FORMAT",
    "PARQUET",
    "DuplicateHandlerError",
    "StructuredDataset",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetFormat",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
]
