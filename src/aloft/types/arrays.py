"""numpy arrays ↔ ``.npy`` files in the blob store (flytekit's ``NumpyArrayTransformer``).

``np.ndarray`` (and ``numpy.typing.NDArray[...]``) has the literal type
``BlobType(format="NumpyArray")``; a value is written with ``np.save`` straight into the
store's hashing writer, so its hash is that of the ``.npy`` bytes, and read back with
``np.load``. Pickled object arrays are refused unless the annotation allows them:
``Annotated[np.ndarray, kwtypes(allow_pickle=True)]``; ``kwtypes(mmap_mode="r")`` maps a
locally stored array instead of reading it.

numpy is never imported here: an annotation can only be a numpy type if the program imported
numpy already.
"""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Annotated, Any, get_args, get_origin

from aloft.errors import TypeTransformerError
from aloft.ir import BlobType, BlobValue, Literal, LiteralType
from aloft.storage import current_data_context
from aloft.types.messages import literal_mismatch, mismatch, text_mismatch
from aloft.types.transformer import TypeTransformer

NUMPY_ARRAY_FORMAT = "NumpyArray"


@dataclass(frozen=True)
class _Options:
    allow_pickle: bool = False
    mmap_mode: str | None = None


class NumpyArrayTransformer(TypeTransformer[Any]):
    """``np.ndarray`` ↔ a ``.npy`` blob; dtype and shape are kept."""

    name = "numpy.ndarray"
    _type = BlobType(format=NUMPY_ARRAY_FORMAT)

    def handles(self, py_type: Any) -> bool:
        numpy = sys.modules.get("numpy")
        if numpy is None:
            return False
        base, metadata = _split(py_type)
        if not all(isinstance(item, dict) for item in metadata):
            return False
        return base is numpy.ndarray or get_origin(base) is numpy.ndarray

    def literal_type(self, py_type: Any) -> LiteralType:
        return self._type

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        numpy = _numpy()
        if not isinstance(value, numpy.ndarray):
            raise mismatch(py_type, value)
        options = _options(py_type)
        context = current_data_context()
        uri = context.new_uri("array.npy")
        try:
            with context.store.open_write(uri) as writer:
                numpy.save(writer, value, allow_pickle=options.allow_pickle)
        except ValueError as error:  # an object array while allow_pickle is false
            raise TypeTransformerError(
                f"cannot store the array: {error} "
                "(annotate it Annotated[np.ndarray, kwtypes(allow_pickle=True)] to allow it)"
            ) from None
        return BlobValue(uri=uri, format=NUMPY_ARRAY_FORMAT, hash=writer.hexdigest())

    def to_python(self, literal: Literal, py_type: Any) -> Any:
        if type(literal) is not BlobValue:
            raise literal_mismatch(py_type, literal)
        return _load(literal.uri, _options(py_type))

    def parse_text(self, text: str, py_type: Any) -> Any:
        stripped = text.strip()
        if stripped.startswith("["):
            try:
                data = json.loads(stripped)
            except ValueError as error:
                raise text_mismatch(py_type, text, f"not valid JSON: {error}") from None
            return self.from_json_value(data, py_type)
        try:
            return _load(stripped, _options(py_type))
        except (OSError, ValueError) as error:
            raise text_mismatch(
                py_type, text, f"give a .npy file or a JSON list ({type(error).__name__})"
            ) from None

    def from_json_value(self, data: Any, py_type: Any) -> Any:
        if isinstance(data, str):
            return self.parse_text(data, py_type)
        if not isinstance(data, list | int | float | bool):
            raise mismatch(py_type, data, "give a JSON list or the path of a .npy file")
        try:
            return _numpy().asarray(data)
        except ValueError:  # rows of different lengths
            raise mismatch(
                py_type, data, "the rows of an array must have the same length"
            ) from None


def _numpy() -> ModuleType:
    try:
        return importlib.import_module("numpy")  # already imported: a dict lookup
    except ImportError:
        raise TypeTransformerError(
            "numpy arrays need numpy, which is not installed: pip install 'aloft[numpy]'"
        ) from None


def _split(py_type: Any) -> tuple[Any, tuple[Any, ...]]:
    if get_origin(py_type) is Annotated:
        base, *metadata = get_args(py_type)
        return base, tuple(metadata)
    return py_type, ()


def _options(py_type: Any) -> _Options:
    _, metadata = _split(py_type)
    merged: dict[str, Any] = {}
    for item in metadata:
        merged.update(item)
    unknown = sorted(set(merged) - {"allow_pickle", "mmap_mode"})
    if unknown:
        raise TypeTransformerError(
            f"unknown numpy array option {unknown[0]!r}; the options are allow_pickle, mmap_mode"
        )
    return _Options(bool(merged.get("allow_pickle", False)), merged.get("mmap_mode"))


def _load(uri: str, options: _Options) -> Any:
    numpy = _numpy()
    if "://" not in uri or uri.startswith("file://"):
        path = uri.removeprefix("file://")
        return numpy.load(path, allow_pickle=options.allow_pickle, mmap_mode=options.mmap_mode)
    with current_data_context().store.filesystem(uri).open(uri, "rb") as handle:
        return numpy.load(handle, allow_pickle=options.allow_pickle)


TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (NumpyArrayTransformer(),)
