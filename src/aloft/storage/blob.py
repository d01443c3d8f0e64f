"""The blob store: bytes, files and folders at URLs, through fsspec.

Every write is atomic (DESIGN.md, principle 4): on a local filesystem the data goes to a
temporary name and is renamed into place; object stores (s3, gcs, abfs) make a single upload
visible at once. Every write also returns the SHA-256 of what was written, computed as the
bytes stream past, so content hashes never need a second read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from aloft.errors import InputError

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

CHUNK = 1 << 20


class UnknownProtocol(InputError):
    """A URI names a protocol no installed fsspec filesystem serves."""


def check_protocol(uri: str) -> None:
    """``UnknownProtocol`` unless an installed fsspec filesystem serves the protocol of
    ``uri``; asks fsspec's registry only, so nothing is opened or fetched."""
    from fsspec import get_filesystem_class

    try:
        get_filesystem_class(uri.split("://", 1)[0])
    except (ImportError, ValueError) as exc:
        raise UnknownProtocol(f"cannot open {uri}: {exc}") from exc


class HashingWriter:
    """A writable file that hashes what passes through it."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        """Write ``data`` and fold it into the hash."""
        self._digest.update(data)
        self.size += len(data)
        return self._target.write(data)

    def hexdigest(self) -> str:
        """The SHA-256 of everything written so far."""
        return self._digest.hexdigest()


class BlobStore:
    """A folder of blobs at ``root`` (a local path or an fsspec URL such as ``s3://bucket/x``)."""

    def __init__(self, root: str, storage_options: dict[str, Any] | None = None) -> None:
        self.root = _normalise(root)
        self.storage_options = dict(storage_options or {})

    def __repr__(self) -> str:
        return f"BlobStore({self.root!r})"

    @cached_property
    def protocol(self) -> str:
        """``file``, ``s3``, ``gs``, ..."""
        return self.root.split("://", 1)[0]

    def filesystem(self, uri: str) -> AbstractFileSystem:
        """The fsspec filesystem serving ``uri``, with this store's options for its protocol."""
        from fsspec.core import url_to_fs

        options = self.storage_options if uri.startswith(self.protocol + "://") else {}
        try:
            fs, _ = url_to_fs(uri, **options)
        except (ImportError, ValueError) as exc:  # no retry helps: the protocol is unknown
            raise UnknownProtocol(f"cannot open {uri}: {exc}") from exc
        return fs

    def uri(self, *parts: str) -> str:
        """The URI of ``parts`` joined under the store's root."""
        return "/".join([self.root.rstrip("/"), *(p.strip("/") for p in parts if p)])

    # -- writing ------------------------------------------------------------------------------

    @contextmanager
    def open_write(self, uri: str) -> Iterator[HashingWriter]:
        """Write a blob at ``uri`` atomically; the writer's ``hexdigest()`` is its hash."""
        if uri.startswith("file://"):  # the common case, without fsspec's per-call cost
            with _local_write(_local_path(uri)) as writer:
                yield writer
            return
        fs = self.filesystem(uri)
        local = _is_local(fs)
        target = f"{uri}.tmp-{uuid.uuid4().hex}" if local else uri
        if local:
            fs.makedirs(fs._parent(uri), exist_ok=True)
        try:
            with fs.open(target, "wb") as handle:
                yield HashingWriter(handle)
            if local:
                os.replace(_local_path(target), _local_path(uri))
        except BaseException:
            if local and fs.exists(target):
                fs.rm(target)
            raise

    def remove(self, uri: str) -> None:
        """Remove the blob or the folder at ``uri`` and all under it; nothing there is fine."""
        if uri.startswith("file://"):
            path = _local_path(uri)
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.exists(path):
                os.remove(path)
            return
        fs = self.filesystem(uri)
        with contextlib.suppress(FileNotFoundError):
            fs.rm(_strip_protocol(fs, uri), recursive=True)

    def write_bytes(self, uri: str, data: bytes) -> str:
        """Store ``data`` at ``uri``; returns its hash."""
        with self.open_write(uri) as writer:
            writer.write(data)
        return writer.hexdigest()

    def write_new(self, uri: str, data: bytes) -> None:
        """Store ``data`` at ``uri``, a name no one else writes and no one reads before the
        writer says it is done (an attempt's outputs document, published by the attempt's
        result). Such a write needs no rename to be atomic, which on a local disk costs
        more than the write itself; object stores make every upload atomic anyway."""
        if not uri.startswith("file://"):
            self.write_bytes(uri, data)
            return
        path = Path(_local_path(uri))
        try:
            path.write_bytes(data)
        except FileNotFoundError:  # the first write into this folder
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    def upload_file(self, local: str | os.PathLike[str], uri: str) -> str:
        """Copy a local file to ``uri``; returns the hash of its bytes."""
        with open(local, "rb") as source, self.open_write(uri) as writer:
            while chunk := source.read(CHUNK):
                writer.write(chunk)
        return writer.hexdigest()

    def upload_directory(self, local: str | os.PathLike[str], uri: str) -> str:
        """Copy a local folder to ``uri``; returns a hash of its file names and contents."""
        root = Path(local)
        entries = []
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = path.relative_to(root).as_posix()
            entries.append(f"{relative}\0{self.upload_file(path, f'{uri}/{relative}')}\n")
        return hashlib.sha256("".join(entries).encode()).hexdigest()

    # -- reading ------------------------------------------------------------------------------

    def read_bytes(self, uri: str) -> bytes:
        """The bytes stored at ``uri``."""
        if uri.startswith("file://"):
            return Path(_local_path(uri)).read_bytes()
        with self.filesystem(uri).open(uri, "rb") as handle:
            data: bytes = handle.read()
        return data

    def download_file(self, uri: str, local: str | os.PathLike[str]) -> None:
        """Copy the blob at ``uri`` to a local file."""
        Path(local).parent.mkdir(parents=True, exist_ok=True)
        self.filesystem(uri).get_file(uri, str(local))

    def download_directory(self, uri: str, local: str | os.PathLike[str]) -> None:
        """Copy every blob under ``uri`` into a local folder, keeping relative paths."""
        fs = self.filesystem(uri)
        base = _strip_protocol(fs, uri).rstrip("/")
        fs.invalidate_cache(base)  # list what is there now, not a cached listing
        Path(local).mkdir(parents=True, exist_ok=True)  # even for an empty folder
        for path in fs.find(base):
            target = Path(local) / path[len(base) + 1 :]
            target.parent.mkdir(parents=True, exist_ok=True)
            fs.get_file(path, str(target))

    def exists(self, uri: str) -> bool:
        """Whether anything is stored at ``uri`` now (not in a cached listing)."""
        fs = self.filesystem(uri)
        fs.invalidate_cache(_strip_protocol(fs, uri))
        return bool(fs.exists(uri))

    def fingerprint(self, uri: str) -> str:
        """A hash of ``uri`` and what the store says of it (etag, size, modification time):
        how a file passed through by reference is keyed without reading it."""
        fs = self.filesystem(uri)
        fs.invalidate_cache(_strip_protocol(fs, uri))  # s3fs answers from stale listings
        info = fs.info(uri)
        return hashlib.sha256("\n".join([uri, *_facts(info)]).encode()).hexdigest()

    def fingerprint_directory(self, uri: str) -> str:
        """A hash of ``uri`` and, for every blob under it, its relative name and what the store
        says of it: how a folder passed through by reference is keyed without reading it.

        Raises ``FileNotFoundError`` if nothing is stored at or under ``uri``.
        """
        fs = self.filesystem(uri)
        base = _strip_protocol(fs, uri).rstrip("/")
        fs.invalidate_cache(base)
        found: dict[str, dict[str, Any]] = fs.find(base, detail=True)
        if not found and not fs.exists(base):
            raise FileNotFoundError(uri)
        lines = [uri.rstrip("/")]
        for path in sorted(found):
            lines.append("\0".join([path[len(base) + 1 :], *_facts(found[path])]))
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@contextmanager
def _local_write(path: str) -> Iterator[HashingWriter]:
    """Write ``path`` through a temporary file renamed into place when the block succeeds."""
    temporary = f"{path}.tmp-{uuid.uuid4().hex}"
    try:
        handle = open(temporary, "wb")  # noqa: SIM115 - closed below, before the rename
    except FileNotFoundError:  # the first write into this folder
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle = open(temporary, "wb")  # noqa: SIM115
    try:
        with handle:
            yield HashingWriter(handle)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise


_FACT_KEYS = ("ETag", "etag", "size", "mtime", "LastModified", "last_modified", "md5Hash")


def _facts(info: dict[str, Any]) -> list[str]:
    return [f"{key}={info[key]}" for key in _FACT_KEYS if info.get(key) is not None]


def _normalise(root: str) -> str:
    if "://" in root:
        return root.rstrip("/")
    return "file://" + str(Path(root).expanduser().resolve())


def _is_local(fs: AbstractFileSystem) -> bool:
    protocol = fs.protocol
    return "file" in (protocol if isinstance(protocol, tuple) else (protocol,))


def _local_path(uri: str) -> str:
    return uri[len("file://") :] if uri.startswith("file://") else uri


def _strip_protocol(fs: AbstractFileSystem, uri: str) -> str:
    stripped: str = fs._strip_protocol(uri)
    return stripped
