"""``StructuredDatasetEncoder`` and ``StructuredDatasetDecoder`` with flytekit's signatures.

A handler written for flytekit receives a ``FlyteContext`` (``ctx.file_access`` to stage
files and upload them) and flytekit's models, and returns a ``literals.StructuredDataset``
(an encoder) or a dataframe (a decoder). Registered with
``StructuredDatasetTransformerEngine.register``, it is adapted onto aloft's own handler
registry (:mod:`aloft.types.structured.handlers`) through ``as_aloft_handler``.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from aloft.compat.context import FlyteContext, context_for
from aloft.compat.file_access import stored_hash
from aloft.compat.literal_types import StructuredDatasetType as ModelDatasetType
from aloft.compat.literals import StructuredDataset as StoredDataset
from aloft.compat.literals import StructuredDatasetMetadata
from aloft.compat.type_translation import dataset_type, model_dataset_type
from aloft.errors import TypeTransformerError
from aloft.ir import StructuredDatasetType, StructuredDatasetValue
from aloft.storage import DataContext
from aloft.types.structured import StructuredDataset
from aloft.types.structured import handlers as aloft_handlers


class StructuredDatasetEncoder(aloft_handlers.DatasetHandler):
    """Writes dataframes of ``python_type`` in ``supported_format``, flytekit's way.

    Args:
        python_type: The dataframe class this encoder writes.
        protocol: The storage protocol it writes to, or None for any.
        supported_format: The format it writes; empty for any.
    """

    @abstractmethod
    def encode(
        self,
        ctx: FlyteContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: ModelDatasetType,
    ) -> StoredDataset:
        """Store ``structured_dataset.dataframe``; return where (and in which format)."""

    def as_aloft_handler(self) -> aloft_handlers.StructuredDatasetEncoder:
        """This encoder as aloft's registry takes it."""
        return _Encoder(self)


class StructuredDatasetDecoder(aloft_handlers.DatasetHandler):
    """Reads stored tables as dataframes of ``python_type``, flytekit's way.

    Args:
        python_type: The dataframe class this decoder returns.
        protocol: The storage protocol it reads from, or None for any.
        supported_format: The format it reads; empty for any.
        additional_protocols: Accepted for flytekit compatibility.
    """

    def __init__(
        self,
        python_type: type[Any],
        protocol: str | None = None,
        supported_format: str | None = None,
        additional_protocols: list[str] | None = None,
    ) -> None:
        super().__init__(python_type, protocol, supported_format)

    @abstractmethod
    def decode(
        self,
        ctx: FlyteContext,
        flyte_value: StoredDataset,
        current_task_metadata: StructuredDatasetMetadata,
    ) -> Any:
        """Read the table at ``flyte_value.uri`` (only the columns the metadata's type
        names, all if none), whole or as an iterator of parts."""

    def as_aloft_handler(self) -> aloft_handlers.StructuredDatasetDecoder:
        """This decoder as aloft's registry takes it."""
        return _Decoder(self)


class _Encoder(aloft_handlers.StructuredDatasetEncoder):
    def __init__(self, user: StructuredDatasetEncoder) -> None:
        super().__init__(user.python_type, user.protocol, user.supported_format or None)
        self.user = user
        self.who = f"encoder {type(user).__qualname__}"

    def encode(
        self,
        context: DataContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetValue:
        ctx = context_for(context)
        model_type = model_dataset_type(structured_dataset_type)
        stored = self.user.encode(ctx, structured_dataset, model_type)
        if not isinstance(stored, StoredDataset):
            raise TypeTransformerError(
                f"{self.who} returned {type(stored).__qualname__}, not a "
                "literals.StructuredDataset(uri=..., metadata=...)"
            )
        declared = stored.metadata.structured_dataset_type if stored.metadata else None
        fmt = (dataset_type(declared).format if declared is not None else "") or (
            self.supported_format
        )
        digest = ctx.file_access.uploaded_hash(stored.uri)
        if digest is None:
            try:
                digest = stored_hash(stored.uri)
            except FileNotFoundError:
                raise TypeTransformerError(
                    f"{self.who} returned {stored.uri}, where nothing is stored"
                ) from None
        return StructuredDatasetValue(uri=stored.uri, format=fmt or "parquet", hash=digest)


class _Decoder(aloft_handlers.StructuredDatasetDecoder):
    def __init__(self, user: StructuredDatasetDecoder) -> None:
        super().__init__(user.python_type, user.protocol, user.supported_format or None)
        self.user = user

    def decode(
        self,
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> Any:
        stored = StoredDataset(
            uri=flyte_value.uri,
            metadata=StructuredDatasetMetadata(ModelDatasetType(format=flyte_value.format)),
        )
        wanted = StructuredDatasetMetadata(model_dataset_type(current_task_metadata))
        return self.user.decode(context_for(context), stored, wanted)
