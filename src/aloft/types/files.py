"""``FlyteFile``: one file, local or in a blob store, passed between tasks by reference.

``FlyteFile`` accepts a file of any format; ``FlyteFile["csv"]`` (or, as flytekit users write
it, ``FlyteFile[typing.TypeVar("csv")]``) records the format in the literal type
``BlobType(format="csv", dimensionality=SINGLE)``. A task returns ``FlyteFile(path)`` (or a
plain ``str``/``pathlib.Path``) for a file it wrote, and the file is uploaded when the output
is encoded; a task receiving one downloads it lazily, or streams it with ``open()``. A task
can also write straight into the store: ``FlyteFile.new_remote_file()``. See
:mod:`aloft.types.blob_paths` for how values are stored and hashed.
"""

from __future__ import annotations

import io
import os
from typing import IO, Annotated, Any, Generic, TypeVar

from aloft.storage import BlobStore, current_data_context
from aloft.types.blob_paths import BlobPath, BlobPathTransformer
from aloft.types.transformer import TypeTransformer

T = TypeVar("T")

_WRITE_MODES = frozenset("wax+")


class FlyteFile(BlobPath, Generic[T]):
    """A file: ``FlyteFile(path)`` for a local file, ``FlyteFile("s3://b/k")`` for a remote one.

    Args:
        path: A local path or a remote URI.
        remote_path: Where to upload a local file, instead of a fresh name in the store.
    """

    @classmethod
    def new_remote_file(cls, name: str | None = None, alt: str | None = None) -> FlyteFile[Any]:
        """A new file in the blob store, under the running attempt's raw prefix, to write with
        ``open("w")``/``open("wb")``; returned from a task, it is passed on without a copy.

        Args:
            name: The file's name (a fresh folder keeps it unique); random if not given.
            alt: Another bucket of the same object store to put it in.
        """
        return cls._new_in_store(name, alt)

    def open(
        self,
        mode: str = "rb",
        cache_type: str | None = None,
        cache_options: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> IO[Any]:
        """Open the file as the builtin ``open`` does; a remote file is streamed from the store,
        not downloaded (``cache_type`` and ``cache_options`` tune fsspec's read cache).

        Writing goes to a local file, or to a file made by :meth:`new_remote_file`; a remote
        input cannot be written.
        """
        if self.downloaded:
            return open(self.path, mode, **kwargs)  # the caller closes it
        store = self._store or current_data_context().store
        if _WRITE_MODES & set(mode):
            if not self._writable:
                raise ValueError(
                    f"cannot open {self.path} for writing: it is remote; write a local file and "
                    "return FlyteFile(local_path), or write FlyteFile.new_remote_file()"
                )
            return _writer(store, self, mode, **kwargs)
        options: dict[str, Any] = dict(kwargs)
        if cache_type is not None:
            options["cache_type"] = cache_type
        if cache_options is not None:
            options["cache_options"] = cache_options
        handle: IO[Any] = store.filesystem(self.path).open(self.path, mode, **options)
        return handle

    @staticmethod
    def _local_problem(path: str) -> str | None:
        if os.path.isfile(path):
            return None
        if os.path.isdir(path):
            return f"{path} is a folder, not a file (use FlyteDirectory)"
        return f"file {path} does not exist"

    @staticmethod
    def _put(store: BlobStore, local: str, uri: str) -> str:
        return store.upload_file(local, uri)

    @staticmethod
    def _fetch(store: BlobStore, uri: str, local: str) -> None:
        store.download_file(uri, local)

    @staticmethod
    def _fingerprint(store: BlobStore, uri: str) -> str:
        return store.fingerprint(uri)


class _StoreWriter(io.RawIOBase):
    """A binary file whose bytes stream into a blob of the store; the blob appears, and the
    file value learns its content hash, when it is closed."""

    def __init__(self, store: BlobStore, file: FlyteFile[Any]) -> None:
        super().__init__()
        self._file = file
        self._writing = store.open_write(file.path)
        self._writer = self._writing.__enter__()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._writer.write(chunk)
        return len(chunk)

    def close(self) -> None:
        if not self.closed:
            self._writing.__exit__(None, None, None)
            self._file._remote_hash = self._writer.hexdigest()
        super().close()


def _writer(store: BlobStore, file: FlyteFile[Any], mode: str, **kwargs: Any) -> IO[Any]:
    if "a" in mode or "+" in mode:
        raise ValueError(f"a new remote file is written from the start: open it 'w', not {mode!r}")
    raw = io.BufferedWriter(_StoreWriter(store, file))
    if "b" in mode:
        return raw
    return io.TextIOWrapper(raw, **kwargs)


class FileExt:
    """A format with a dot in it: ``FlyteFile[Annotated[str, FileExt("tar.gz")]]``."""

    def __init__(self, ext: str) -> None:
        self._ext = ext

    def __str__(self) -> str:
        return self._ext

    def __repr__(self) -> str:
        return f"FileExt({self._ext!r})"


# The formatted files flytekit predefines (flytekit.types.file).
CSVFile = FlyteFile[Annotated[str, FileExt("csv")]]
HDF5EncodedFile = FlyteFile[Annotated[str, FileExt("hdf5")]]
HTMLPage = FlyteFile[Annotated[str, FileExt("html")]]
JoblibSerializedFile = FlyteFile[Annotated[str, FileExt("joblib")]]
JPEGImageFile = FlyteFile[Annotated[str, FileExt("jpeg")]]
JSONLFile = FlyteFile[Annotated[str, FileExt("jsonl")]]
ONNXFile = FlyteFile[Annotated[str, FileExt("onnx")]]
PDFFile = FlyteFile[Annotated[str, FileExt("pdf")]]
PNGImageFile = FlyteFile[Annotated[str, FileExt("png")]]
PythonNotebook = FlyteFile[Annotated[str, FileExt("ipynb")]]
PythonPickledFile = FlyteFile[Annotated[str, FileExt("python_pickle")]]
SVGImageFile = FlyteFile[Annotated[str, FileExt("svg")]]
TFRecordFile = FlyteFile[Annotated[str, FileExt("tfrecord")]]

TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (BlobPathTransformer(FlyteFile),)
