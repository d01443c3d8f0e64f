"""``FlyteFile``: one file, local or in a blob store, passed between tasks by reference.

``FlyteFile`` accepts a file of any format; ``FlyteFile["csv"]`` (or, as flytekit users write
it, ``FlyteFile[typing.TypeVar("csv")]``) records the format in the literal type
``BlobType(format="csv", dimensionality=SINGLE)``. A task returns ``FlyteFile(path)`` (or a
plain ``str``/``pathlib.Path``) for a file it wrote, and the file is uploaded when the output
is encoded; a task receiving one downloads it lazily. See :mod:`aloft.types.blob_paths` for
how values are stored and hashed.
"""

from __future__ import annotations

import os
from typing import IO, Annotated, Any, Generic, TypeVar

from aloft.storage import BlobStore
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

    def open(self, mode: str = "rb", **kwargs: Any) -> IO[Any]:
        """Open the file (downloading it first if it is remote), as the builtin ``open``.

        Writing is to the local file; a remote file that was not downloaded cannot be written.
        """
        if _WRITE_MODES & set(mode) and not self.downloaded:
            raise ValueError(
                f"cannot open {self.path} for writing: it is remote; write a local file and "
                "return FlyteFile(local_path)"
            )
        return open(self.download(), mode, **kwargs)  # the caller closes it

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
