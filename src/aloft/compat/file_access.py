"""``FileAccessProvider``: flytekit's ``ctx.file_access``, over aloft's blob store.

Random local paths are made in a folder of this process (removed when it exits); random
remote paths lie under the raw prefix of the data context in force, which in a task is the
attempt's own folder, so what a transformer uploads is removed with a failed attempt like
any other output. Every upload records the SHA-256 of what it wrote, which becomes the
content hash of the literal that points at it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from aloft.errors import UserError
from aloft.storage import store_for
from aloft.types.blob_paths import is_remote
from aloft.types.structured.blobs import normalise_uri

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem


class FileAccessError(UserError):
    """Data could not be copied to or from a store."""


_sandbox_lock = threading.Lock()
_sandbox: Path | None = None


def process_sandbox() -> Path:
    """This process's folder for random local paths, removed when the process exits."""
    global _sandbox
    with _sandbox_lock:
        if _sandbox is None:
            _sandbox = Path(tempfile.mkdtemp(prefix="aloft-sandbox-"))
            atexit.register(shutil.rmtree, _sandbox, True)
    return _sandbox


class FileAccessProvider:
    """Local scratch paths, remote paths under the raw output prefix, and copies between them.

    Args:
        local_sandbox_dir: The folder random local paths are made in.
        raw_output_prefix: The URI random remote paths are made under.
        data_config: Accepted for flytekit compatibility; store options come from aloft's
            configuration.
        execution_metadata: Accepted for flytekit compatibility.
    """

    def __init__(
        self,
        local_sandbox_dir: str | os.PathLike[str],
        raw_output_prefix: str,
        data_config: Any = None,
        execution_metadata: dict[str, Any] | None = None,
    ) -> None:
        if not local_sandbox_dir:
            raise ValueError("FileAccessProvider needs a local_sandbox_dir")
        self._sandbox = Path(local_sandbox_dir)
        self._sandbox.mkdir(parents=True, exist_ok=True)
        self._raw_output_prefix = raw_output_prefix.rstrip("/")
        self._data_config = data_config
        self._uploaded: dict[str, str] = {}

    @property
    def local_sandbox_dir(self) -> Path:
        """The folder random local paths are made in."""
        return self._sandbox

    @property
    def raw_output_prefix(self) -> str:
        """The URI random remote paths are made under."""
        return self._raw_output_prefix

    @property
    def data_config(self) -> Any:
        """What was passed as ``data_config``."""
        return self._data_config

    @property
    def raw_output_fs(self) -> AbstractFileSystem:
        """The fsspec filesystem of the raw output prefix."""
        return self.get_filesystem_for_path(self._raw_output_prefix)

    @staticmethod
    def is_remote(path: str | os.PathLike[str]) -> bool:
        """Whether ``path`` is a URI of a protocol other than ``file``."""
        return is_remote(os.fspath(path))

    @staticmethod
    def strip_file_header(path: str, trim_trailing_sep: bool = False) -> str:
        """``path`` without a leading ``file://``."""
        stripped = path.removeprefix("file://")
        return stripped.rstrip("/") if trim_trailing_sep else stripped

    @staticmethod
    def get_random_string() -> str:
        """A random hex string."""
        return uuid.uuid4().hex

    @staticmethod
    def get_file_tail(file_path_or_file_name: str) -> str:
        """The last part of a path."""
        return os.path.basename(file_path_or_file_name.rstrip("/"))

    def get_random_local_path(self, file_path_or_file_name: str | None = None) -> str:
        """A new local path in the sandbox, ending in the given file's name if one is given
        (its folder is not created)."""
        key = self.get_random_string()
        tail = self.get_file_tail(file_path_or_file_name) if file_path_or_file_name else ""
        return str(self._sandbox / key / tail) if tail else str(self._sandbox / key)

    def get_random_local_directory(self) -> str:
        """A new, empty local folder in the sandbox."""
        path = self.get_random_local_path()
        Path(path).mkdir(parents=True, exist_ok=True)
        return path

    def get_random_remote_path(self, file_path_or_file_name: str | None = None) -> str:
        """A new URI under the raw output prefix, ending in the given file's name if any."""
        tail = self.get_file_tail(file_path_or_file_name) if file_path_or_file_name else ""
        return self.join(self._raw_output_prefix, self.get_random_string(), tail)

    def get_random_remote_directory(self) -> str:
        """A new URI under the raw output prefix, for a folder."""
        return self.get_random_remote_path()

    def generate_new_custom_path(
        self, fs: Any = None, alt: str | None = None, stem: str | None = None
    ) -> str:
        """A new URI under the raw output prefix ending in ``stem`` (else a random string);
        ``alt`` replaces the prefix's first part (the bucket)."""
        prefix = self._raw_output_prefix
        if alt:
            scheme, sep, rest = prefix.partition("://")
            _, _, tail = rest.partition("/")
            prefix = f"{scheme}{sep}{alt}/{tail}" if sep else f"/{alt}/{tail}"
        return self.join(prefix, stem or self.get_random_string())

    @staticmethod
    def join(*paths: str, unstrip: bool = False, fs: Any = None) -> str:
        """Parts joined with ``/`` (the first keeps its protocol)."""
        parts = [p for p in paths if p]
        if not parts:
            return ""
        first, rest = parts[0].rstrip("/"), [p.strip("/") for p in parts[1:]]
        return "/".join([first, *rest])

    def get_filesystem_for_path(
        self, path: str = "", anonymous: bool = False, **kwargs: Any
    ) -> AbstractFileSystem:
        """The fsspec filesystem of ``path``, with aloft's store options for its protocol."""
        uri = _uri(path or self._raw_output_prefix)
        return store_for(uri).filesystem(uri)

    def exists(self, path: str) -> bool:
        """Whether anything is stored at ``path`` (a local path or a URI)."""
        uri = _uri(path)
        try:
            return store_for(uri).exists(uri)
        except Exception as exc:
            raise FileAccessError(f"cannot tell whether {path} exists: {_why(exc)}") from exc

    def get_data(
        self, remote_path: str, local_path: str, is_multipart: bool = False, **kwargs: Any
    ) -> None:
        """Copy the file (or, ``is_multipart``, the folder) at ``remote_path`` to
        ``local_path``."""
        uri = _uri(remote_path)
        try:
            store = store_for(uri)
            if is_multipart:
                store.download_directory(uri, local_path)
            else:
                store.download_file(uri, local_path)
        except Exception as exc:
            raise FileAccessError(
                f"cannot copy {remote_path} to {local_path} (multipart={is_multipart}): {_why(exc)}"
            ) from exc

    def put_data(
        self,
        local_path: str | os.PathLike[str],
        remote_path: str,
        is_multipart: bool = False,
        **kwargs: Any,
    ) -> str:
        """Copy the local file (or, ``is_multipart``, folder) to ``remote_path``; returns it."""
        uri = _uri(remote_path)
        try:
            store = store_for(uri)
            if is_multipart:
                digest = store.upload_directory(os.fspath(local_path), uri)
            else:
                digest = store.upload_file(os.fspath(local_path), uri)
        except Exception as exc:
            raise FileAccessError(
                f"cannot copy {os.fspath(local_path)} to {remote_path} "
                f"(multipart={is_multipart}): {_why(exc)}"
            ) from exc
        self._uploaded[uri.rstrip("/")] = digest
        return remote_path

    def download(self, remote_path: str, local_path: str, **kwargs: Any) -> None:
        """Copy one file from ``remote_path`` to ``local_path``."""
        self.get_data(remote_path, local_path, **kwargs)

    def download_directory(self, remote_path: str, local_path: str, **kwargs: Any) -> None:
        """Copy a folder from ``remote_path`` to ``local_path``."""
        self.get_data(remote_path, local_path, is_multipart=True, **kwargs)

    def upload(self, file_path: str, to_path: str, **kwargs: Any) -> str:
        """Copy one local file to ``to_path``."""
        return self.put_data(file_path, to_path, **kwargs)

    def upload_directory(self, local_path: str, remote_path: str, **kwargs: Any) -> str:
        """Copy a local folder to ``remote_path``."""
        return self.put_data(local_path, remote_path, is_multipart=True, **kwargs)

    def put_raw_data(
        self,
        lpath: str | os.PathLike[str] | bytes | IO[Any],
        upload_prefix: str | None = None,
        file_name: str | None = None,
        read_chunk_size_bytes: int = 1024,
        encoding: str = "utf-8",
        skip_raw_data_prefix: bool = False,
        **kwargs: Any,
    ) -> str:
        """Store a local file or folder, bytes or a readable stream under
        ``{raw output prefix}/{upload_prefix}/{file_name}``; returns where."""
        prefix = self.get_random_string() if upload_prefix is None else upload_prefix
        if isinstance(lpath, str | os.PathLike):
            name = file_name or self.get_file_tail(os.fspath(lpath))
        else:
            name = file_name or self.get_random_string()
        base = "" if skip_raw_data_prefix else self._raw_output_prefix
        target = self.join(base, prefix, name)
        if isinstance(lpath, str | os.PathLike):
            return self.put_data(lpath, target, is_multipart=os.path.isdir(lpath))
        data = lpath if isinstance(lpath, bytes) else lpath.read()
        if isinstance(data, str):
            data = data.encode(encoding)
        uri = _uri(target)
        self._uploaded[uri] = store_for(uri).write_bytes(uri, bytes(data))
        return target

    def uploaded_hash(self, path: str) -> str | None:
        """The SHA-256 of what this provider uploaded to ``path``, if it did."""
        return self._uploaded.get(_uri(path).rstrip("/"))


def stored_hash(path: str) -> str:
    """The store's fingerprint of the file or folder at ``path`` (a local path or a URI);
    ``FileNotFoundError`` if nothing is stored there."""
    uri = _uri(path)
    store = store_for(uri)
    if store.filesystem(uri).isdir(uri):
        return store.fingerprint_directory(uri)
    return store.fingerprint(uri)


def _uri(path: str | os.PathLike[str]) -> str:
    return normalise_uri(os.fspath(path))


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
