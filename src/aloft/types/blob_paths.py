"""What ``FlyteFile`` and ``FlyteDirectory`` share: a path that is local or remote, a format
chosen by subscripting the class, lazy downloads, and one transformer to ``BlobValue``.

A value names its data in one of two ways:

- a local path (``/tmp/out.csv``): encoding uploads it under the data context's raw prefix and
  records the SHA-256 of what was written as the literal's hash;
- a remote URI (``s3://bucket/key``), given by the user or decoded from a literal: encoding
  passes the URI through without copying it. Its hash is the one the literal carried, or the
  store's fingerprint of the URI (etag, size, modification time), unless a ``HashMethod``
  supplies the hash.

Decoding gives a value that points at the literal's URI and downloads it, into a temporary
folder, only when the task asks for it (``download()``, ``os.fspath()``); ``FlyteFile.open``
streams it without a download. A value made from a URI touches nothing either until it is
read: declared in code (a default, a constant), it is not even fingerprinted
(:func:`aloft.types.declaring`).

``FlyteFile.new_remote_file()`` and ``FlyteDirectory.new_remote()`` name fresh locations under
the attempt's raw prefix for the task to write to directly; such a value is passed on by
reference, without a copy.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import typing
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from aloft.errors import TypeTransformerError
from aloft.ir import BlobDimensionality, BlobType, BlobValue, Literal, LiteralType
from aloft.storage import BlobStore, current_data_context
from aloft.storage.blob import check_protocol
from aloft.types.hash_method import user_hash_in_force
from aloft.types.messages import literal_mismatch, mismatch, text_mismatch
from aloft.types.transformer import TypeTransformer

P = TypeVar("P", bound="BlobPath")

_specialised: dict[tuple[type[Any], str], type[Any]] = {}
_lock = threading.Lock()
_download_root: Path | None = None


def is_remote(path: str) -> bool:
    """Whether ``path`` is a remote URI (``s3://...``), as opposed to a local path or file://."""
    return "://" in path and not path.startswith("file://")


def format_name(item: Any) -> str:
    """The format a subscript names, as flytekit reads it: ``"csv"``, ``".csv"``,
    ``TypeVar("csv")`` and ``Annotated[str, FileExt("csv")]`` all give ``csv``."""
    if item is None:
        return ""
    if isinstance(item, typing.TypeVar):
        item = item.__name__
    elif typing.get_origin(item) is typing.Annotated and typing.get_args(item)[0] is str:
        item = str(typing.get_args(item)[1])
    if not isinstance(item, str):
        raise TypeError(f"a format is a str or a TypeVar, got {item!r}")
    return item.strip().lstrip("~").lstrip(".")


class BlobPath(os.PathLike[str]):
    """A file or folder that is local or in a blob store; ``Cls["fmt"]`` adds a format."""

    _format: ClassVar[str] = ""
    dimensionality: ClassVar[BlobDimensionality] = BlobDimensionality.SINGLE

    def __class_getitem__(cls, item: Any) -> Any:
        """``FlyteFile["csv"]``: the subclass for that format, the same class every time."""
        fmt = format_name(item)
        if not fmt:
            return cls
        with _lock:
            specialised = _specialised.get((cls, fmt))
            if specialised is None:
                namespace = {
                    "_format": fmt,
                    "__module__": cls.__module__,
                    "__qualname__": f"{cls.__qualname__}[{fmt}]",
                }
                specialised = type(cls.__name__, (cls,), namespace)
                _specialised[(cls, fmt)] = specialised
        return specialised

    def __init__(
        self, path: str | os.PathLike[str], remote_path: str | os.PathLike[str] | bool | None = None
    ) -> None:
        """Name local data by ``path``, or remote data by its URI.

        Args:
            path: A local path (``file://`` accepted) or a remote URI such as ``s3://b/k``.
            remote_path: Where to upload local data, instead of a fresh name in the store;
                ``False`` passes the local path itself, without uploading (as in flytekit:
                only for paths every worker can read).
        """
        text = os.fspath(path)
        remote = is_remote(text)
        self._path = text if remote else text.removeprefix("file://")
        self._remote_path: str | None = None
        if remote_path is not None and not isinstance(remote_path, bool):
            self._remote_path = os.fspath(remote_path)
        self._upload = remote_path is not False
        self._remote_source: str | None = text if remote else None
        self._remote_hash = ""
        self._store: BlobStore | None = None
        self._downloaded = not remote
        self._writable = False

    @classmethod
    def from_stored(cls: type[P], uri: str, digest: str = "", store: BlobStore | None = None) -> P:
        """A lazy value for data stored at ``uri`` (with content hash ``digest``) in ``store``."""
        value = cls.__new__(cls)
        value._path = uri  # even a file:// URI: it is in the store, to be copied out
        value._remote_path = None
        value._upload = True
        value._remote_source = uri
        value._remote_hash = digest
        value._store = store
        value._downloaded = False
        value._writable = False
        return value

    @classmethod
    def from_source(cls: type[P], source: str | os.PathLike[str]) -> P:
        """A value for the data at ``source`` (flytekit's name): a remote URI is read lazily,
        as a task input is; a local path is used where it is."""
        text = os.fspath(source)
        if is_remote(text):
            check_protocol(text)
            return cls.from_stored(text)
        return cls(text)

    @classmethod
    def _new_in_store(cls: type[P], name: str | None, alt: str | None) -> P:
        """A value naming a fresh location under the data context's raw prefix (in bucket
        ``alt`` instead of the store's own, as flytekit's ``alt``), for the task to write."""
        context = current_data_context()
        uri = context.new_uri(name or "")
        if alt:
            protocol, separator, rest = uri.partition("://")
            if not separator or protocol == "file":
                raise ValueError(
                    f"alt={alt!r} names another bucket, but the store {context.store.root} is a "
                    "local folder"
                )
            uri = f"{protocol}://{alt.strip('/')}/{rest.partition('/')[2]}"
        value = cls.from_stored(uri, store=context.store)
        value._writable = True
        return value

    @classmethod
    def extension(cls) -> str:
        """The format this class was subscripted with (``""`` for any)."""
        return cls._format

    @property
    def path(self) -> str:
        """The local path, or the remote URI until the data is downloaded."""
        return self._path

    @property
    def remote_source(self) -> str | None:
        """The URI the data came from, if it is remote."""
        return self._remote_source

    @property
    def remote_path(self) -> str | None:
        """Where local data will be uploaded, if the user chose it."""
        return self._remote_path

    @property
    def downloaded(self) -> bool:
        """Whether ``path`` is local (always true for values made from a local path)."""
        return self._downloaded

    def download(self) -> str:
        """Fetch remote data into a temporary folder (once); returns the local path."""
        if not self._downloaded:
            uri = self._path
            name = uri.rstrip("/").rsplit("/", 1)[-1] or "data"
            local = str(_new_download_folder() / name)
            store = self._store or current_data_context().store
            self._fetch(store, uri, local)
            self._path = local
            self._downloaded = True
        return self._path

    def __fspath__(self) -> str:
        return self.download()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, BlobPath):
            if self._remote_source is not None and other._remote_source is not None:
                return self._remote_source == other._remote_source
            return self._path == other._path
        if isinstance(other, str | os.PathLike):
            return self._path == os.fspath(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable: the path changes when downloaded

    def __repr__(self) -> str:
        source = self._remote_source
        extra = f", remote_source={source!r}" if source and source != self._path else ""
        return f"{type(self).__qualname__}({self._path!r}{extra})"

    def __str__(self) -> str:
        return self._path

    # -- what files and folders do differently -------------------------------------------------

    @staticmethod
    def _local_problem(path: str) -> str | None:
        """Why ``path`` cannot be uploaded as this kind of value, or None if it can."""
        raise NotImplementedError

    @staticmethod
    def _put(store: BlobStore, local: str, uri: str) -> str:
        """Upload ``local`` to ``uri``; returns the content hash."""
        raise NotImplementedError

    @staticmethod
    def _fetch(store: BlobStore, uri: str, local: str) -> None:
        """Download ``uri`` to ``local``."""
        raise NotImplementedError

    @staticmethod
    def _fingerprint(store: BlobStore, uri: str) -> str:
        """The store's fingerprint of remote data at ``uri``."""
        raise NotImplementedError


class BlobPathTransformer(TypeTransformer[BlobPath]):
    """``base`` and its formatted subclasses ↔ ``BlobValue``; on the command line a path or URL."""

    def __init__(self, base: type[BlobPath]) -> None:
        self.base = base
        self.name = f"{base.__name__}[format]"

    def handles(self, py_type: Any) -> bool:
        return isinstance(py_type, type) and issubclass(py_type, self.base)

    def literal_type(self, py_type: Any) -> LiteralType:
        return BlobType(format=py_type.extension(), dimensionality=self.base.dimensionality)

    def to_literal(self, value: Any, py_type: Any) -> Literal:
        item = self._coerce(value, py_type)
        store = current_data_context().store
        if item.remote_source is not None or not item._upload:
            uri, digest = item.remote_source or _file_uri(item), item._remote_hash
            if not digest and not user_hash_in_force():
                digest = self._fingerprint(item, store, uri)
        else:
            uri, digest = self._upload_local(item)
        return BlobValue(
            uri=uri,
            format=py_type.extension(),
            dimensionality=self.base.dimensionality,
            hash=digest,
        )

    def to_python(self, literal: Literal, py_type: Any) -> BlobPath:
        if not isinstance(literal, BlobValue) or literal.dimensionality != self.base.dimensionality:
            raise literal_mismatch(py_type, literal)
        value: BlobPath = py_type.from_stored(
            literal.uri, literal.hash, current_data_context().store
        )
        return value

    def from_json_value(self, data: Any, py_type: Any) -> BlobPath:
        if not isinstance(data, str):
            raise mismatch(py_type, data, "give a local path or a URL")
        return self.parse_text(data, py_type)

    def parse_text(self, text: str, py_type: Any) -> BlobPath:
        if is_remote(text):
            check_protocol(text)  # a typo in a URL is said now, not when a task reads it
            value: BlobPath = py_type(text)
            return value
        path = Path(text.removeprefix("file://")).expanduser()
        problem = py_type._local_problem(str(path))
        if problem:
            raise text_mismatch(py_type, text, problem)
        value = py_type(str(path.resolve()))
        return value

    def _coerce(self, value: Any, py_type: Any) -> BlobPath:
        if isinstance(value, self.base):
            return value
        if isinstance(value, str | os.PathLike) and not isinstance(value, BlobPath):
            coerced: BlobPath = py_type(value)
            return coerced
        raise mismatch(py_type, value, "give a local path, a URL or a " + self.base.__name__)

    @staticmethod
    def _upload_local(item: BlobPath) -> tuple[str, str]:
        problem = item._local_problem(item.path)
        if problem:
            raise TypeTransformerError(problem)
        context = current_data_context()
        uri = item.remote_path or context.new_uri(Path(item.path).name)
        return uri, item._put(context.store, item.path, uri)

    @staticmethod
    def _fingerprint(item: BlobPath, store: BlobStore, uri: str) -> str:
        try:
            return item._fingerprint(store, uri)
        except FileNotFoundError:
            raise TypeTransformerError(f"{uri} does not exist") from None


def _file_uri(item: BlobPath) -> str:
    problem = item._local_problem(item.path)
    if problem:
        raise TypeTransformerError(problem)
    return "file://" + str(Path(item.path).resolve())


def _new_download_folder() -> Path:
    """A fresh folder under this process's download root, which is removed at exit."""
    global _download_root
    with _lock:
        if _download_root is None:
            _download_root = Path(tempfile.mkdtemp(prefix="aloft-downloads-"))
            atexit.register(shutil.rmtree, _download_root, True)
    return Path(tempfile.mkdtemp(dir=_download_root))
