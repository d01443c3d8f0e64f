"""Storing a dataset and opening a stored one: the steps around the encoders and decoders.

Storing picks the encoder by the dataframe's type, the protocol it is written to and the
declared (or default) format, and records the value the encoder returns on the dataset, so
returning the same dataset again does not write it twice. A dataset given by URI alone is
passed by reference (a local file outside the store is uploaded first). Opening picks the
decoder by the requested type, the value's protocol and its format.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from aloft.errors import AloftError, TypeTransformerError
from aloft.ir import StructuredDatasetType, StructuredDatasetValue
from aloft.storage import DataContext, current_data_context
from aloft.types.hash_method import user_hash_in_force
from aloft.types.messages import mismatch, python_type_name
from aloft.types.structured import handlers
from aloft.types.structured.blobs import (
    guess_format,
    is_local,
    local_path,
    normalise_uri,
    protocol_of,
)
from aloft.types.structured.dataset import StructuredDataset
from aloft.types.structured.spec import DatasetSpec


def encode(value: Any, spec: DatasetSpec, context: DataContext) -> StructuredDatasetValue:
    """Store ``value`` (a ``StructuredDataset`` or a dataframe) declared as ``spec``."""
    if isinstance(value, StructuredDataset):
        dataset = value
    elif issubclass(spec.base, StructuredDataset) or isinstance(value, spec.base):
        dataset = StructuredDataset(dataframe=value)
    else:
        raise mismatch(spec.base, value, _same_name_hint(spec.base, value))
    if dataset.literal is not None:
        return dataset.literal
    if dataset.dataframe is None:
        return _reference(dataset, spec, context)
    df_type = handlers.encoder_type_of(dataset.dataframe)
    if df_type is None:
        raise mismatch(
            spec.base, dataset.dataframe, "no StructuredDatasetEncoder is registered for it"
        )
    protocol = handlers.DEFAULT_PROTOCOLS.get(df_type) or protocol_of(
        dataset.uri or context.raw_prefix
    )
    encoder = handlers.find_encoder(df_type, protocol, spec.format or dataset.file_format)
    stored = encoder.encode(context, dataset, spec.literal_type())
    if encoder.supported_format and stored.format != encoder.supported_format:
        stored = msgspec.structs.replace(stored, format=encoder.supported_format)
    dataset._literal = stored
    return stored


def open_as(
    value: StructuredDatasetValue,
    df_type: type[Any],
    dataset_type: StructuredDatasetType | None,
    context: DataContext | None = None,
) -> Any:
    """Read the stored table ``value`` as a whole ``df_type``, with only the columns
    ``dataset_type`` declares (all when it declares none)."""
    result = _decode(value, df_type, dataset_type, context)
    if isinstance(result, Iterator):
        raise TypeTransformerError(
            f"the decoder of {python_type_name(df_type)} returns the table in parts: "
            "read it with .iter()"
        )
    return result


def read_dataset(dataset: StructuredDataset, df_type: type[Any]) -> Any:
    """``dataset.open(df_type).all()``."""
    if dataset.literal is None and isinstance(dataset.dataframe, df_type):
        return dataset.dataframe
    return open_as(_stored(dataset), df_type, dataset._dataset_type)


def iter_dataset(dataset: StructuredDataset, df_type: type[Any]) -> Iterator[Any]:
    """``dataset.open(df_type).iter()``."""
    if dataset.literal is None and isinstance(dataset.dataframe, df_type):
        return iter([dataset.dataframe])
    return handlers.iterate(_decode(_stored(dataset), df_type, dataset._dataset_type, None))


def from_location(text: str, spec: DatasetSpec) -> Any:
    """A command-line value: the parquet or CSV file (or folder) at path or URL ``text``,
    as a ``StructuredDataset`` pointing at it or read as the annotated dataframe type."""
    uri = normalise_uri(text.strip())
    if is_local(uri) and not Path(local_path(uri)).exists():
        raise TypeTransformerError(f"no such file or folder: {text.strip()!r}")
    fmt = spec.format or guess_format(uri)
    if issubclass(spec.base, StructuredDataset):
        dataset = spec.base(uri=uri, file_format=fmt)
        dataset._dataset_type = spec.literal_type()
        return dataset
    value = StructuredDatasetValue(uri=uri, format=fmt)
    return open_as(value, spec.base, spec.literal_type())


def _decode(
    value: StructuredDatasetValue,
    df_type: type[Any],
    dataset_type: StructuredDatasetType | None,
    context: DataContext | None,
) -> Any:
    context = context or current_data_context()
    columns = dataset_type.columns if dataset_type is not None else ()
    decoder = handlers.find_decoder(df_type, protocol_of(value.uri), value.format)
    requested = StructuredDatasetType(columns=columns, format=value.format)
    try:
        return decoder.decode(context, value, requested)
    except AloftError:
        raise
    except Exception as exc:  # the data itself is malformed (a bad CSV, say): the input's fault
        reason = (str(exc).strip().splitlines() or [""])[0][:300]
        raise TypeTransformerError(
            f"cannot read {value.uri} as a {value.format} table: {type(exc).__name__}: {reason}"
        ) from None


def _same_name_hint(expected: type[Any], value: Any) -> str:
    """Tell a polars DataFrame from a pandas one when the message would name both alike."""
    found = type(value)
    if found.__qualname__ != expected.__qualname__:
        return ""
    return (
        f"a {found.__module__}.{found.__qualname__}, "
        f"not a {expected.__module__}.{expected.__qualname__}"
    )


def _stored(dataset: StructuredDataset) -> StructuredDatasetValue:
    """The stored value of a dataset, storing its dataframe first if it has not been."""
    if dataset.literal is not None:
        return dataset.literal
    if dataset.dataframe is not None:
        return encode(dataset, DatasetSpec(base=StructuredDataset), current_data_context())
    if dataset.uri:
        uri = normalise_uri(dataset.uri)
        return StructuredDatasetValue(uri=uri, format=dataset.file_format or guess_format(uri))
    raise ValueError("this StructuredDataset has neither a dataframe nor a uri")


def _reference(
    dataset: StructuredDataset, spec: DatasetSpec, context: DataContext
) -> StructuredDatasetValue:
    """A dataset given by URI: uploaded if it is a local file outside the store, else passed
    by reference, keyed by what the store says of it."""
    if not dataset.uri:
        raise TypeTransformerError("a StructuredDataset needs a dataframe or a uri")
    uri = normalise_uri(dataset.uri)
    fmt = spec.format or dataset.file_format or guess_format(uri)
    store = context.store
    if is_local(uri) and not uri.startswith(store.root.rstrip("/") + "/"):
        path = Path(local_path(uri))
        if not path.exists():
            raise TypeTransformerError(f"no dataset at {dataset.uri}: no such file or folder")
        target = context.new_uri(path.name)
        if path.is_dir():
            digest = store.upload_directory(path, target)
        else:
            digest = store.upload_file(path, target)
        return StructuredDatasetValue(uri=target, format=fmt, hash=digest)
    if user_hash_in_force():
        return StructuredDatasetValue(uri=uri, format=fmt)
    try:
        if store.filesystem(uri).isdir(uri):
            digest = store.fingerprint_directory(uri)
        else:
            digest = store.fingerprint(uri)
    except FileNotFoundError:
        raise TypeTransformerError(
            f"no dataset at {dataset.uri}: nothing is stored there"
        ) from None
    return StructuredDatasetValue(uri=uri, format=fmt, hash=digest)
