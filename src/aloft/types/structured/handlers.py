"""Encoders and decoders: how one dataframe type is written to and read from one format.

Handlers are keyed by (dataframe type, protocol, format). The protocol is the storage
protocol they work with (``s3``, ``file``, ``bq``...) or ``None`` for any fsspec protocol;
the format is the storage format (``parquet``, ``csv``) or ``""`` for any.

The built-in handlers for pandas, pyarrow and polars are registered the first time a type of
that library is seen, so aloft never imports a dataframe library the program did not import.

How to add a dataframe library
------------------------------
Subclass :class:`StructuredDatasetEncoder` and :class:`StructuredDatasetDecoder` for your
dataframe type and format, and register each with :func:`aloft.types.structured.register`
(or flytekit's spelling, ``StructuredDatasetTransformerEngine.register``). An encoder writes with
:func:`aloft.types.structured.blobs.write_blob` so the value gets its content hash while it is
written; a decoder reads the columns ``dataset_type`` asks for (all when it has none).
"""

from __future__ import annotations

import importlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from aloft.errors import TypeTransformerError
from aloft.ir import StructuredDatasetType, StructuredDatasetValue
from aloft.storage import DataContext
from aloft.types.messages import python_type_name
from aloft.types.structured.blobs import GENERIC_FORMAT

if TYPE_CHECKING:
    from aloft.types.structured.dataset import StructuredDataset

ANY_PROTOCOL = "any"
"""The protocol key of handlers that work with every fsspec protocol (flytekit's ``fsspec``)."""

_BUILTIN_MODULES = {
    "pandas": "aloft.types.structured.pandas_handlers",
    "pyarrow": "aloft.types.structured.arrow_handlers",
    "polars": "aloft.types.structured.polars_handlers",
}


class DatasetHandler(ABC):  # noqa: B024 - the subclasses add the abstract method
    """What encoders and decoders share: the (type, protocol, format) they are keyed by."""

    def __init__(
        self,
        python_type: type[Any],
        protocol: str | None = None,
        supported_format: str | None = None,
    ) -> None:
        self._python_type = python_type
        self._protocol = _clean_protocol(protocol)
        self._supported_format = supported_format or GENERIC_FORMAT

    @property
    def python_type(self) -> type[Any]:
        """The dataframe class this handler is for."""
        return self._python_type

    @property
    def protocol(self) -> str | None:
        """The storage protocol, or None for any."""
        return self._protocol

    @property
    def supported_format(self) -> str:
        """The storage format, or ``""`` for any."""
        return self._supported_format

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {python_type_name(self.python_type)} "
            f"{self.protocol or ANY_PROTOCOL}/{self.supported_format or 'any format'}>"
        )


class StructuredDatasetEncoder(DatasetHandler):
    """Writes dataframes of ``python_type`` in ``supported_format`` to storage.

    Args:
        python_type: The dataframe class this encoder writes.
        protocol: The storage protocol it writes to (``"s3"`` or ``"s3://"``), or None for any.
        supported_format: The format it writes; empty for any.
    """

    @abstractmethod
    def encode(
        self,
        context: DataContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetValue:
        """Store ``structured_dataset.dataframe``; returns where, in which format, its hash.

        Args:
            context: The store and the prefix new data goes under (``context.new_uri``).
            structured_dataset: The dataset; its ``uri``, if set, is the folder to write to.
            structured_dataset_type: The declared type; its columns, if any, are the only
                ones to store.
        """


class StructuredDatasetDecoder(DatasetHandler):
    """Reads tables stored in ``supported_format`` as dataframes of ``python_type``.

    Args:
        python_type: The dataframe class this decoder returns.
        protocol: The storage protocol it reads from, or None for any.
        supported_format: The format it reads; empty for any.
        additional_protocols: Accepted for flytekit compatibility; unused.
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
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> Any:
        """Read the table at ``flyte_value.uri`` as a dataframe, or an iterator of parts.

        Args:
            context: The store in force (its fsspec options apply to its protocol).
            flyte_value: The stored table.
            current_task_metadata: The type the reading task declared: read only its columns
                (all columns when it has none).
        """


Handler = StructuredDatasetEncoder | StructuredDatasetDecoder
H = TypeVar("H", StructuredDatasetEncoder, StructuredDatasetDecoder)


def adapted(handler: Any) -> Handler:
    """``handler`` as an aloft encoder or decoder. A handler written against another API
    (flytekit's signatures, :mod:`aloft.compat.structured`) provides ``as_aloft_handler()``,
    which returns its aloft form; anything else is a ``TypeError``."""
    if isinstance(handler, StructuredDatasetEncoder | StructuredDatasetDecoder):
        return handler
    convert = getattr(handler, "as_aloft_handler", None)
    if callable(convert):
        converted = convert()
        if isinstance(converted, StructuredDatasetEncoder | StructuredDatasetDecoder):
            return converted
    raise TypeError(f"expected a StructuredDatasetEncoder or Decoder, got {handler!r}")


class DuplicateHandlerError(ValueError):
    """A handler is already registered for that (type, protocol, format)."""


ENCODERS: dict[type[Any], dict[str, dict[str, StructuredDatasetEncoder]]] = {}
DECODERS: dict[type[Any], dict[str, dict[str, StructuredDatasetDecoder]]] = {}
DEFAULT_FORMATS: dict[type[Any], str] = {}
DEFAULT_PROTOCOLS: dict[type[Any], str] = {}
_lock = threading.RLock()
_loaded_libraries: set[str] = set()


def add_handler(
    handler: Handler,
    default_for_type: bool = False,
    override: bool = False,
    default_format_for_type: bool = False,
    default_storage_for_type: bool = False,
) -> None:
    """Add an encoder or decoder to the registry (the public entry point is
    :func:`aloft.types.structured.register`, which also tells the type engine about new types).

    Args:
        handler: The encoder or decoder.
        default_for_type: Use its format and protocol for dataframes of its type returned
            without a ``StructuredDataset`` (only for a handler with a protocol).
        override: Replace a handler already registered for the same key.
        default_format_for_type: Use its format by default for its type.
        default_storage_for_type: Use its protocol by default for its type.

    Raises:
        DuplicateHandlerError: a handler is registered for that key and ``override`` is false.
    """
    handler = adapted(handler)
    if handler.protocol is None and default_for_type:
        raise ValueError(f"{handler!r} works with any protocol, so it cannot be the default")
    load_builtin_handlers(handler.python_type)
    with _lock:
        _add(handler, override)
        py_type = handler.python_type
        fmt = handler.supported_format
        wants_format = default_for_type or default_format_for_type
        if wants_format and fmt and (override or py_type not in DEFAULT_FORMATS):
            DEFAULT_FORMATS[py_type] = fmt
        wants_protocol = default_for_type or default_storage_for_type
        if wants_protocol and handler.protocol and (override or py_type not in DEFAULT_PROTOCOLS):
            DEFAULT_PROTOCOLS[py_type] = handler.protocol


def _add(handler: Handler, override: bool) -> None:
    if isinstance(handler, StructuredDatasetEncoder):
        _put(ENCODERS, handler, override)
    else:
        _put(DECODERS, handler, override)


def _put(table: dict[type[Any], dict[str, dict[str, H]]], handler: H, override: bool) -> None:
    protocol = handler.protocol or ANY_PROTOCOL
    by_format = table.setdefault(handler.python_type, {}).setdefault(protocol, {})
    fmt = handler.supported_format
    if fmt in by_format and not override:
        raise DuplicateHandlerError(
            f"a handler is already registered for {python_type_name(handler.python_type)}, "
            f"protocol {protocol!r}, format {fmt!r}: {by_format[fmt]!r} (pass override=True)"
        )
    by_format[fmt] = handler


def load_builtin_handlers(py_type: Any) -> None:
    """Register the built-in handlers of the library ``py_type`` comes from, if aloft has some.

    The library is imported already (``py_type`` is one of its classes), so this costs
    nothing more than importing aloft's handler module for it.
    """
    library = getattr(py_type, "__module__", None)
    if not isinstance(library, str):
        return
    library = library.partition(".")[0]
    module = _BUILTIN_MODULES.get(library)
    if module is None or library in _loaded_libraries:
        return
    with _lock:
        if library in _loaded_libraries:
            return
        _loaded_libraries.add(library)  # first: registering asks this function again
        try:
            importlib.import_module(module).register_handlers()
        except BaseException:
            _loaded_libraries.discard(library)
            raise


def is_dataframe_type(py_type: Any) -> bool:
    """Whether ``py_type`` is a class some encoder or decoder is registered for."""
    if not isinstance(py_type, type):
        return False
    load_builtin_handlers(py_type)
    return py_type in ENCODERS or py_type in DECODERS


def encoder_type_of(value: Any) -> type[Any] | None:
    """The class (``type(value)`` or a base of it) encoders are registered for, if any."""
    for cls in type(value).__mro__:
        load_builtin_handlers(cls)
        if cls in ENCODERS:
            return cls
    return None


def find_encoder(df_type: type[Any], protocol: str, fmt: str) -> StructuredDatasetEncoder:
    """The encoder for ``df_type`` to ``fmt`` (``""``: the type's default) on ``protocol``."""
    return _find(ENCODERS, "encoder", df_type, protocol, fmt)


def find_decoder(df_type: type[Any], protocol: str, fmt: str) -> StructuredDatasetDecoder:
    """The decoder of ``fmt`` (``""``: the type's default) on ``protocol`` into ``df_type``."""
    return _find(DECODERS, "decoder", df_type, protocol, fmt)


def _find(
    table: dict[type[Any], dict[str, dict[str, H]]],
    what: str,
    df_type: type[Any],
    protocol: str,
    fmt: str,
) -> H:
    load_builtin_handlers(df_type)
    by_protocol = table.get(df_type, {})
    wanted = fmt or DEFAULT_FORMATS.get(df_type, GENERIC_FORMAT)
    for key in (protocol, ANY_PROTOCOL):
        by_format = by_protocol.get(key)
        if not by_format:
            continue
        for candidate in (wanted, GENERIC_FORMAT):
            if candidate in by_format:
                return by_format[candidate]
        if not fmt and len(by_format) == 1:
            return next(iter(by_format.values()))
    known = [
        f"{proto}/{name or 'any format'}"
        for proto, formats in by_protocol.items()
        for name in formats
    ]
    raise TypeTransformerError(
        f"no {what} for {python_type_name(df_type)} in format {fmt or wanted or 'any'!r} "
        f"on protocol {protocol!r}; registered: {', '.join(known) or 'none'}"
    )


def iterate(result: Any) -> Iterator[Any]:
    """A decoder's result as parts: an iterator as it is, a whole table as one part."""
    if isinstance(result, Iterator):
        return result
    return iter([result])


def _clean_protocol(protocol: str | None) -> str | None:
    if protocol is None:
        return None
    if protocol == "":
        raise ValueError("use None, not an empty string, for a handler that serves any protocol")
    cleaned = protocol.replace("://", "")
    return "file" if cleaned in ("", "/") else cleaned
