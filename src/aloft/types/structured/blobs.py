"""Where datasets are stored, and the plumbing every handler shares.

Handlers write through :func:`write_blob`, which streams the bytes through the blob store's
hashing writer, so a dataset's content hash is computed as it is written (never by reading it
back). They read through :func:`locate`, which turns a URI into a local path (read directly,
the fastest way) or a path on an fsspec filesystem with the store's options.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any

from aloft.errors import TypeTransformerError
from aloft.ir import StructuredDatasetType
from aloft.storage import DataContext, HashingWriter

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

PARQUET = "parquet"
CSV = "csv"
GENERIC_FORMAT = ""
"""An empty format: any format (a literal type), or the dataframe type's default (a value)."""


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise a ``TypeTransformerError`` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package = module.partition(".")[0]
        raise TypeTransformerError(
            f"{purpose} needs {package}, which is not installed: pip install 'aloft[{extra}]'"
        ) from None


def protocol_of(uri: str) -> str:
    """``s3`` for ``s3://bucket/key``; ``file`` for a local path or ``file://`` URI."""
    scheme, sep, _ = uri.partition("://")
    return scheme if sep else "file"


def is_local(uri: str) -> bool:
    """Whether ``uri`` is a local path or a ``file://`` URI."""
    return protocol_of(uri) == "file"


def local_path(uri: str) -> str:
    """The filesystem path of a local ``uri``."""
    return uri[len("file://") :] if uri.startswith("file://") else uri


def normalise_uri(uri: str) -> str:
    """A URL as it is; a local path made absolute, as a ``file://`` URI."""
    if not is_local(uri):
        return uri
    return "file://" + str(Path(local_path(uri)).expanduser().resolve())


def guess_format(uri: str) -> str:
    """``csv`` for a ``.csv`` file, else ``parquet`` (a parquet file or a folder of them)."""
    return CSV if uri.rstrip("/").lower().endswith(".csv") else PARQUET


def column_names(dataset_type: StructuredDatasetType | None) -> list[str] | None:
    """The columns a dataset type asks for, or None for all of them."""
    if dataset_type is None or not dataset_type.columns:
        return None
    return [column.name for column in dataset_type.columns]


def check_columns(available: Sequence[str], wanted: Sequence[str] | None, where: str) -> None:
    """Raise a clear error if a declared column is missing from a table."""
    if wanted is None:
        return
    missing = [name for name in wanted if name not in set(available)]
    if missing:
        raise TypeTransformerError(
            f"{where} has no column {', '.join(repr(m) for m in missing)}; "
            f"its columns are {', '.join(repr(str(a)) for a in available) or '(none)'}"
        )


class _Sink(io.RawIOBase):
    """The file-like face of a :class:`HashingWriter` that pyarrow, polars and pandas expect."""

    def __init__(self, writer: HashingWriter) -> None:
        super().__init__()
        self._writer = writer

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._writer.write(data)
        return memoryview(data).nbytes

    def tell(self) -> int:
        return self._writer.size


def write_blob(context: DataContext, uri: str, write: Callable[[IO[bytes]], object]) -> str:
    """Call ``write`` with a file open on ``uri`` in ``context``'s store; returns the hash of
    the bytes written. The blob appears at ``uri`` only if ``write`` succeeds."""
    with context.store.open_write(uri) as writer:
        sink = _Sink(writer)
        write(sink)  # type: ignore[arg-type]  # a RawIOBase is a binary file
    return writer.hexdigest()


def target_uri(context: DataContext, uri: str | None, name: str) -> str:
    """Where an encoder writes file ``name``: in the folder the user gave, or a fresh one."""
    if uri:
        return f"{normalise_uri(uri).rstrip('/')}/{name}"
    return context.new_uri(name)


@dataclass(frozen=True)
class Location:
    """A dataset's file or folder: a local path (``filesystem`` None) or an fsspec path."""

    path: str
    filesystem: AbstractFileSystem | None

    def is_dir(self) -> bool:
        """Whether the dataset is a folder of parts."""
        if self.filesystem is None:
            return Path(self.path).is_dir()
        return bool(self.filesystem.isdir(self.path))

    def files(self) -> list[str]:
        """The file itself, or the folder's data files in name order (hidden and ``_`` files
        such as ``_SUCCESS`` left out, except flytekit's ``.csv`` part name)."""
        if not self.is_dir():
            return [self.path]
        if self.filesystem is None:
            names = sorted(p for p in Path(self.path).rglob("*") if p.is_file())
            return [str(p) for p in names if _is_data_file(p.name)]
        found = sorted(self.filesystem.find(self.path))
        return [p for p in found if _is_data_file(p.rsplit("/", 1)[-1])]

    def open(self, path: str) -> IO[bytes]:
        """Open one of :meth:`files` for reading."""
        if self.filesystem is None:
            return open(path, "rb")
        handle: IO[bytes] = self.filesystem.open(path, "rb")
        return handle


def _is_data_file(name: str) -> bool:
    return name == ".csv" or not name.startswith((".", "_"))


def locate(context: DataContext, uri: str) -> Location:
    """Where ``uri`` is, with the store's fsspec options when it is on the store's protocol."""
    if is_local(uri):
        path = local_path(uri)
        if not Path(path).exists():
            raise TypeTransformerError(f"no dataset at {uri}: no such file or folder")
        return Location(path, None)
    filesystem = context.store.filesystem(uri)
    stripped: str = filesystem._strip_protocol(uri)
    return Location(stripped, filesystem)
