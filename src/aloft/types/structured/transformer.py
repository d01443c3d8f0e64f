"""The type transformer of tables: ``StructuredDataset`` and every dataframe type with handlers.

Every dataset type has the literal type ``StructuredDatasetType(columns, format)``, empty
columns and format meaning "any", so a ``pd.DataFrame`` output feeds a ``pl.DataFrame`` input
and a ``StructuredDataset`` one alike; every value is a ``StructuredDatasetValue`` (uri,
format, hash of the bytes written).
"""

from __future__ import annotations

from typing import Any, ClassVar

from aloft.ir import Literal, LiteralType, StructuredDatasetValue
from aloft.storage import current_data_context
from aloft.types import engine
from aloft.types.messages import literal_mismatch, mismatch
from aloft.types.structured import codec, handlers
from aloft.types.structured.dataset import StructuredDataset
from aloft.types.structured.handlers import Handler
from aloft.types.structured.spec import dataset_spec, is_dataset_metadata, split_annotated
from aloft.types.transformer import TypeTransformer


def is_dataset_type(py_type: Any) -> bool:
    """Whether ``py_type`` is ``StructuredDataset`` (or a subclass) or a dataframe class."""
    if not isinstance(py_type, type):
        return False
    return issubclass(py_type, StructuredDataset) or handlers.is_dataframe_type(py_type)


class StructuredDatasetTransformerEngine(TypeTransformer[Any]):
    """``StructuredDataset``, dataframe types, and their ``Annotated`` forms declaring
    columns or a format.

    The class-level registry attributes and :meth:`register` keep flytekit's spelling.
    """

    name = "StructuredDataset/DataFrame"
    ENCODERS: ClassVar[dict[type[Any], dict[str, dict[str, Any]]]] = handlers.ENCODERS
    DECODERS: ClassVar[dict[type[Any], dict[str, dict[str, Any]]]] = handlers.DECODERS
    DEFAULT_FORMATS: ClassVar[dict[type[Any], str]] = handlers.DEFAULT_FORMATS
    DEFAULT_PROTOCOLS: ClassVar[dict[type[Any], str]] = handlers.DEFAULT_PROTOCOLS
    Renderers: ClassVar[dict[type[Any], Any]] = {}

    @staticmethod
    def register(
        h: Handler,
        default_for_type: bool = False,
        override: bool = False,
        default_format_for_type: bool = False,
        default_storage_for_type: bool = False,
    ) -> None:
        """Register an encoder or decoder; see :func:`aloft.types.structured.register`."""
        register(h, default_for_type, override, default_format_for_type, default_storage_for_type)

    @classmethod
    def register_renderer(cls, python_type: type[Any], renderer: Any) -> None:
        """Keep a deck renderer for a dataframe type (decks will use it)."""
        cls.Renderers[python_type] = renderer

    def handles(self, py_type: Any) -> bool:
        base, metadata = split_annotated(py_type)
        if metadata and not all(is_dataset_metadata(item) for item in metadata):
            return False
        return is_dataset_type(base)

    def literal_type(self, py_type: Any) -> LiteralType:
        return dataset_spec(py_type).literal_type()

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        return codec.encode(value, dataset_spec(py_type), current_data_context())

    def to_python(self, literal: Literal, py_type: Any) -> Any:
        if type(literal) is not StructuredDatasetValue:
            raise literal_mismatch(py_type, literal)
        spec = dataset_spec(py_type)
        if issubclass(spec.base, StructuredDataset):
            dataset = spec.base(uri=literal.uri, file_format=literal.format)
            dataset._literal = literal
            dataset._dataset_type = spec.literal_type()
            return dataset
        return codec.open_as(literal, spec.base, spec.literal_type())

    def parse_text(self, text: str, py_type: Any) -> Any:
        return codec.from_location(text, dataset_spec(py_type))

    def from_json_value(self, data: Any, py_type: Any) -> Any:
        spec = dataset_spec(py_type)
        if isinstance(data, dict) and isinstance(data.get("uri"), str):
            fmt = data.get("file_format") or data.get("format") or ""
            if issubclass(spec.base, StructuredDataset):
                return spec.base(uri=data["uri"], file_format=str(fmt))
            data = data["uri"]
        if isinstance(data, str):
            return codec.from_location(data, spec)
        raise mismatch(py_type, data, "give the path or URL of a parquet or CSV file")


TRANSFORMER = StructuredDatasetTransformerEngine()


class _DataframeTypeTransformer(TypeTransformer[Any]):
    """Owns one dataframe class registered by a user, so the type engine re-resolves it."""

    def __init__(self, py_type: type[Any]) -> None:
        self._py_type = py_type
        self.name = py_type.__qualname__

    def handles(self, py_type: Any) -> bool:
        base, _ = split_annotated(py_type)
        return base is self._py_type and TRANSFORMER.handles(py_type)

    def literal_type(self, py_type: Any) -> LiteralType:
        return TRANSFORMER.literal_type(py_type)

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        return TRANSFORMER.to_literal(value, py_type)

    def to_python(self, literal: Literal, py_type: Any) -> Any:
        return TRANSFORMER.to_python(literal, py_type)

    def parse_text(self, text: str, py_type: Any) -> Any:
        return TRANSFORMER.parse_text(text, py_type)

    def from_json_value(self, data: Any, py_type: Any) -> Any:
        return TRANSFORMER.from_json_value(data, py_type)


def register(
    handler: Handler,
    default_for_type: bool = False,
    override: bool = False,
    default_format_for_type: bool = False,
    default_storage_for_type: bool = False,
) -> None:
    """Register a ``StructuredDatasetEncoder`` or ``StructuredDatasetDecoder``.

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
    handler = handlers.adapted(handler)
    known = handlers.is_dataframe_type(handler.python_type)
    handlers.add_handler(
        handler, default_for_type, override, default_format_for_type, default_storage_for_type
    )
    if not known:  # a new dataframe class: let the type engine resolve it again
        engine.register_transformer(_DataframeTypeTransformer(handler.python_type))
