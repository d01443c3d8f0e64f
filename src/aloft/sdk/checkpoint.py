"""Checkpoints: what an attempt saves so that a retry of the same node can resume from it.

``current_context().checkpoint`` is flytekit's ``Checkpoint``: ``write(bytes)`` /
``read()``, ``save(path or reader)`` / ``restore(path)``, ``prev_exists()``, and, for a whole
folder, ``write_dir(path)`` / ``read_dir(path)``. What an attempt saves goes to the blob store
under its own folder (``{attempt}/checkpoints/``), written as it is saved, so it outlives the
worker and the engine; what it reads comes from the latest earlier attempt of the node that
saved one. A failed attempt's checkpoint is kept (only its offloaded outputs are removed).

A checkpoint larger than the configured limit (``ALOFT_CHECKPOINT_MAX_BYTES``,
``[storage] checkpoint_max_bytes``, 1 GiB by default) is refused before anything is written.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from aloft.errors import UserError
from aloft.storage import load_storage_config, store_for

SINGLE_FILE = "_dst_cp"
"""The file ``write(bytes)`` and ``save(reader)`` keep the checkpoint in (flytekit's name)."""


class CheckpointTooLargeError(UserError, ValueError):
    """A checkpoint is larger than the configured limit."""


class Checkpoint:
    """The checkpoint of one attempt, and the one it resumes from.

    Args:
        destination: The blob-store folder this attempt's checkpoint is written to.
        previous: The checkpoint folders of the node's earlier attempts, latest first; the
            first that holds anything is the one restored.
        max_bytes: The largest checkpoint allowed; the configured limit if None.
    """

    def __init__(
        self, destination: str, previous: Sequence[str] = (), max_bytes: int | None = None
    ) -> None:
        self._destination = destination.rstrip("/")
        self._previous = tuple(previous)
        self._max_bytes = max_bytes
        self._looked = False
        self._found: str | None = None  # the previous checkpoint, once looked for
        self._restored: Path | None = None
        self._saved: dict[str, int] = {}  # relative name -> size, of what this attempt saved
        self._scratch: str | None = None

    @property
    def destination(self) -> str:
        """Where this attempt's checkpoint is written."""
        return self._destination

    def prev_exists(self) -> bool:
        """Whether an earlier attempt of this node saved a checkpoint."""
        return self._previous_folder() is not None

    def restore(self, path: str | os.PathLike[str] | None = None) -> Path | None:
        """Download the previous checkpoint into folder ``path`` (a temporary folder if None)
        and return it; None if there is none. Downloads once: later calls return the same
        folder."""
        if self._restored is not None:
            return self._restored
        source = self._previous_folder()
        if source is None:
            return None
        target = Path(path) if path is not None else Path(self._scratch_dir()) / "prev_cp"
        if target.exists() and not target.is_dir():
            raise ValueError(f"a checkpoint is restored into a folder; {target} is a file")
        store_for(source).download_directory(source, target)
        self._restored = target
        return target

    def read(self) -> bytes | None:
        """The bytes of the previous checkpoint, when it is a single file (what ``write``
        saves); None if there is none. A checkpoint of several files is a ``ValueError``:
        use ``read_dir``."""
        folder = self.restore()
        if folder is None:
            return None
        files = [p for p in folder.rglob("*") if p.is_file()]
        if not files:
            return None
        if len(files) > 1:
            raise ValueError(
                f"the checkpoint holds {len(files)} files, not one: read it with read_dir()"
            )
        return files[0].read_bytes()

    def read_dir(self, path: str | os.PathLike[str] | None = None) -> Path | None:
        """The previous checkpoint as a local folder (``path``, or a temporary one); None if
        there is none."""
        return self.restore(path)

    def write(self, data: bytes) -> None:
        """Save ``data`` as the checkpoint, replacing what this attempt wrote before."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"write() takes bytes, got {type(data).__name__}")
        self._check_size({SINGLE_FILE: len(data)}, replace=True)
        self._clear()
        store_for(self._destination).write_bytes(f"{self._destination}/{SINGLE_FILE}", bytes(data))
        self._saved = {SINGLE_FILE: len(data)}

    def write_dir(self, path: str | os.PathLike[str]) -> None:
        """Save the folder at ``path`` as the checkpoint, replacing what this attempt wrote
        before."""
        folder = Path(path)
        if not folder.is_dir():
            raise ValueError(f"write_dir() saves a folder; {folder} is not one")
        sizes = _sizes(folder)
        self._check_size(sizes, replace=True)
        self._clear()
        store_for(self._destination).upload_directory(folder, self._destination)
        self._saved = sizes

    def save(self, cp: str | os.PathLike[str] | io.IOBase) -> None:
        """Add to the checkpoint, as flytekit does: a file (kept by its name), a folder (its
        files), or a reader (its bytes, as ``write`` keeps them)."""
        if isinstance(cp, io.IOBase):
            data = cp.read()
            self.write(data.encode() if isinstance(data, str) else data)
            return
        if not isinstance(cp, str | os.PathLike):
            raise ValueError(f"save() takes a path or a reader, got {type(cp).__name__}")
        path = Path(cp)
        store = store_for(self._destination)
        if path.is_dir():
            sizes = _sizes(path)
            self._check_size(sizes)
            store.upload_directory(path, self._destination)
        elif path.is_file():
            sizes = {path.name: path.stat().st_size}
            self._check_size(sizes)
            store.upload_file(path, f"{self._destination}/{path.name}")
        else:
            raise ValueError(f"nothing to save at {path}")
        self._saved.update(sizes)

    def cleanup(self) -> None:
        """Remove the local copies this checkpoint made."""
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def _previous_folder(self) -> str | None:
        if not self._looked:
            self._found = next((uri for uri in self._previous if _holds_files(uri)), None)
            self._looked = True
        return self._found

    def _check_size(self, adding: dict[str, int], *, replace: bool = False) -> None:
        kept = {} if replace else {k: v for k, v in self._saved.items() if k not in adding}
        total = sum(kept.values()) + sum(adding.values())
        limit = self._max_bytes
        if limit is None:
            limit = self._max_bytes = load_storage_config().checkpoint_max_bytes
        if total > limit:
            raise CheckpointTooLargeError(
                f"the checkpoint would be {_size(total)}, over the limit of {_size(limit)} "
                "(ALOFT_CHECKPOINT_MAX_BYTES, or [storage] checkpoint_max_bytes in the config "
                "file); save less, or raise the limit"
            )

    def _clear(self) -> None:
        if self._saved:
            store_for(self._destination).remove(self._destination)

    def _scratch_dir(self) -> str:
        if self._scratch is None:
            self._scratch = tempfile.mkdtemp(prefix="aloft-checkpoint-")
        return self._scratch


def _holds_files(uri: str) -> bool:
    """Whether anything is stored under the folder ``uri``."""
    if uri.startswith("file://"):
        path = uri[len("file://") :]
        return os.path.isdir(path) and any(files for _, _, files in os.walk(path))
    fs = store_for(uri).filesystem(uri)
    fs.invalidate_cache()
    try:
        return bool(fs.find(uri))
    except FileNotFoundError:
        return False


def _sizes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_size for p in folder.rglob("*") if p.is_file()
    }


def _size(count: int) -> str:
    """``512 bytes``, ``1.5 KiB``, ``3.0 MiB``, ``2.0 GiB``."""
    if count < 1024:
        return f"{count} bytes"
    value = count / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"
