"""``FlyteDirectory``: a folder of files, local or in a blob store, passed by reference.

The literal type is ``BlobType(format=..., dimensionality=MULTIPART)``. A local folder is
uploaded file by file when the value is encoded, and its hash covers every file's relative
name and content; a task receiving one downloads the whole folder lazily, or lists it without
downloading (:meth:`FlyteDirectory.listdir`, :meth:`FlyteDirectory.crawl`). See
:mod:`aloft.types.blob_paths`.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from typing import Annotated, Any, Generic, TypeVar

from aloft.ir import BlobDimensionality
from aloft.storage import BlobStore, current_data_context
from aloft.types.blob_paths import BlobPath, BlobPathTransformer
from aloft.types.files import FileExt, FlyteFile
from aloft.types.transformer import TypeTransformer

T = TypeVar("T")


class FlyteDirectory(BlobPath, Generic[T]):
    """A folder: ``FlyteDirectory(path)`` for a local one, ``FlyteDirectory("s3://b/p")``
    for a remote one.

    Args:
        path: A local path or a remote URI.
        remote_path: Where to upload a local folder, instead of a fresh name in the store.
    """

    dimensionality = BlobDimensionality.MULTIPART

    @classmethod
    def new_remote(cls, stem: str | None = None, alt: str | None = None) -> FlyteDirectory[Any]:
        """A new folder in the blob store, under the running attempt's raw prefix, to fill with
        :meth:`new_file` and :meth:`new_dir`; returned from a task, it is passed on without a
        copy.

        Args:
            stem: The folder's name (a fresh folder above keeps it unique); random if not given.
            alt: Another bucket of the same object store to put it in.
        """
        return cls._new_in_store(stem, alt)

    def new_file(self, name: str) -> FlyteFile[Any]:
        """A file ``name`` in this folder: a local path, or a new remote file to ``open("w")``."""
        if self.downloaded:
            return FlyteFile(os.path.join(self.path, name))
        file: FlyteFile[Any] = FlyteFile.from_stored(
            f"{self.path.rstrip('/')}/{name}", store=self._store
        )
        file._writable = self._writable
        return file

    def new_dir(self, name: str) -> FlyteDirectory[Any]:
        """A folder ``name`` in this folder (made at once if this one is local)."""
        if self.downloaded:
            path = os.path.join(self.path, name)
            os.makedirs(path, exist_ok=True)
            return FlyteDirectory(path)
        folder: FlyteDirectory[Any] = FlyteDirectory.from_stored(
            f"{self.path.rstrip('/')}/{name}", store=self._store
        )
        folder._writable = self._writable
        return folder

    @staticmethod
    def listdir(directory: FlyteDirectory[Any]) -> list[FlyteFile[Any] | FlyteDirectory[Any]]:
        """The entries directly in ``directory``, sorted by name, as files and folders.

        A remote folder that was not downloaded is listed in the store, and its entries are
        remote (lazy) values in turn.
        """
        if directory.downloaded:
            with os.scandir(directory.path) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
            return [
                FlyteDirectory(entry.path) if entry.is_dir() else FlyteFile(entry.path)
                for entry in entries
            ]
        store = directory._store or current_data_context().store
        base = directory.path.rstrip("/")
        listed: list[dict[str, Any]] = store.filesystem(base).ls(base, detail=True, refresh=True)
        result: list[FlyteFile[Any] | FlyteDirectory[Any]] = []
        for info in sorted(listed, key=lambda info: str(info["name"])):
            uri = f"{base}/{str(info['name']).rstrip('/').rsplit('/', 1)[-1]}"
            kind = FlyteDirectory if info.get("type") == "directory" else FlyteFile
            result.append(kind.from_stored(uri, store=store))
        return result

    def crawl(
        self, maxdepth: int | None = None, topdown: bool = True, **kwargs: Any
    ) -> Iterator[tuple[str, Any]]:
        """Every file under this folder, without downloading it (flytekit's ``crawl``): pairs
        of the folder (the URI it came from, if remote) and a file's path relative to it, or,
        with ``detail=True``, a dict of that path to what the store says of the file.

        Args:
            maxdepth: How many levels of subfolders to go down (all if None).
            topdown: List a folder before its subfolders.
            **kwargs: Passed to the store's ``walk`` (``detail=True``).
        """
        base = self._remote_source or self._path
        fs = (self._store or current_data_context().store).filesystem(base)
        root = str(fs._strip_protocol(base)).rstrip("/")
        fs.invalidate_cache(root)
        for folder, _, files in fs.walk(root, maxdepth=maxdepth, topdown=topdown, **kwargs):
            relative = str(folder).rstrip("/")[len(root) + 1 :]
            for name in sorted(files):
                path = posixpath.join(relative, name)
                yield base, ({path: files[name]} if isinstance(files, dict) else path)

    @staticmethod
    def _local_problem(path: str) -> str | None:
        if os.path.isdir(path):
            return None
        if os.path.exists(path):
            return f"{path} is a file, not a folder (use FlyteFile)"
        return f"folder {path} does not exist"

    @staticmethod
    def _put(store: BlobStore, local: str, uri: str) -> str:
        return store.upload_directory(local, uri)

    @staticmethod
    def _fetch(store: BlobStore, uri: str, local: str) -> None:
        store.download_directory(uri, local)

    @staticmethod
    def _fingerprint(store: BlobStore, uri: str) -> str:
        return store.fingerprint_directory(uri)


# The formatted folders flytekit predefines (flytekit.types.directory).
TensorboardLogs = FlyteDirectory[Annotated[str, FileExt("tensorboard")]]
TFRecordsDirectory = FlyteDirectory[Annotated[str, FileExt("tfrecord")]]

TRANSFORMERS: tuple[TypeTransformer[Any], ...] = (BlobPathTransformer(FlyteDirectory),)
