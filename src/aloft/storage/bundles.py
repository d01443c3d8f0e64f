"""Code bundles: a project's source tree as one deterministic, content-addressed tarball.

Registration packs the project folder (``pack``) and uploads the bytes under their digest
(``layout.bundle_uri``); a worker unpacks each bundle once per digest into a local cache
(``fetch``) and imports task modules from there. Packing the same tree always gives the same
bytes (sorted members, no timestamps or owners), so the digest names the code, not the
moment it was packed.

What is packed: every file under the root except what ``.gitignore`` and ``.aloftignore``
files exclude (at any depth, with git's rules: a deeper file overrides a shallower one) and
except caches and environments that are never source (``ALWAYS_IGNORED``). A symbolic link
is kept as a link when it points inside the root; one pointing outside is refused rather
than silently copied or left dangling.

A bundle comes from the blob store, so a worker trusts none of it: ``check`` refuses members
that would land outside the bundle's folder, links pointing outside it, special files, and
archives that unpack to more than ``MAX_BYTES`` or hold more than ``MAX_MEMBERS`` members.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import posixpath
import re
import shutil
import stat
import tarfile
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aloft.errors import InputError, PlatformError
from aloft.storage.config import aloft_home
from aloft.storage.context import store_for

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

MAX_BYTES = 1 << 30
"""The most a bundle may unpack to (its tar stream, headers included)."""

MAX_MEMBERS = 100_000
"""The most members a bundle may hold."""

IGNORE_FILES = (".gitignore", ".aloftignore")
"""Files whose gitignore-style patterns exclude paths from a bundle, in their folder and below."""

ALWAYS_IGNORED = (
    ".git/",
    "__pycache__/",
    "*.pyc",
    ".venv/",
    "venv/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".aloft/",
    "*.egg-info/",
    "node_modules/",
)
"""Patterns never packed, whatever the ignore files say."""

_DIGEST = re.compile(r"[0-9a-f]{64}")


class BundleError(InputError):
    """A code bundle cannot be packed, is unsafe or corrupt, or is missing."""


@dataclass(frozen=True)
class Bundle:
    """A packed source tree: its gzip'd tar bytes, their SHA-256 and the files they hold."""

    digest: str
    data: bytes
    files: tuple[str, ...]


# -- packing ----------------------------------------------------------------------------------


def pack(root: Path) -> Bundle:
    """Pack the source tree under ``root`` into a bundle, the same bytes every time."""
    if not root.exists():
        raise BundleError(f"cannot pack code bundle: {root} does not exist")
    if not root.is_dir():
        raise BundleError(f"cannot pack code bundle: {root} is not a folder")
    base = root.resolve()
    entries = sorted(_walk(base, "", [("", _spec(ALWAYS_IGNORED))]))
    buffer = io.BytesIO()
    files = []
    # No file name and mtime 0 in the gzip header: the same tree must give the same bytes.
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for name, path in entries:
            member = _member(name)
            if path.is_symlink():
                member.type = tarfile.SYMTYPE
                member.linkname = _link_target(base, name, path)
                member.mode = 0o777
                tar.addfile(member)
            elif path.is_file():
                data = _read(path, name)
                member.size = len(data)
                member.mode = 0o755 if path.stat().st_mode & stat.S_IXUSR else 0o644
                tar.addfile(member, io.BytesIO(data))
            else:  # fifos, sockets and devices are not source
                continue
            files.append(name)
            _check_size(tar.offset, len(files))
    data = buffer.getvalue()
    return Bundle(digest=hashlib.sha256(data).hexdigest(), data=data, files=tuple(files))


def _check_size(written: int, members: int) -> None:
    """Refuse at packing what a worker would refuse at unpacking (the end of the archive
    adds at most two records)."""
    if written + 2 * tarfile.RECORDSIZE > MAX_BYTES:
        raise BundleError(
            f"cannot pack code bundle: its files come to more than {MAX_BYTES} bytes; "
            "list the large ones in .aloftignore"
        )
    if members > MAX_MEMBERS:
        raise BundleError(f"cannot pack code bundle: it would hold more than {MAX_MEMBERS} files")


_Entry = tuple[str, Path]


def _walk(base: Path, folder: str, rules: list[tuple[str, GitIgnoreSpec]]) -> Iterator[_Entry]:
    """The files and links under ``base / folder`` that no rule ignores, as (name, path).

    ``rules`` are the ignore patterns in force, each with the folder it is relative to,
    outermost first; the first (``ALWAYS_IGNORED``) cannot be overridden."""
    here = base / folder
    rules = rules + [(folder, spec) for spec in _ignore_files_in(here)]
    try:
        children = list(os.scandir(here))
    except OSError as exc:
        raise BundleError(f"cannot pack code bundle: cannot list {here}: {exc}") from None
    for child in children:
        name = f"{folder}/{child.name}" if folder else child.name
        is_dir = child.is_dir(follow_symlinks=False)
        if _ignored(rules, name, is_dir):
            continue
        if is_dir:
            yield from _walk(base, name, rules)
        else:
            yield name, Path(child.path)


def _ignored(rules: list[tuple[str, GitIgnoreSpec]], name: str, is_dir: bool) -> bool:
    verdict = False
    for index, (folder, spec) in enumerate(rules):
        relative = name[len(folder) + 1 :] if folder else name
        matched = spec.check_file(relative + "/" if is_dir else relative).include
        if index == 0 and matched:
            return True
        if matched is not None:  # a later (deeper) file's verdict wins, negations included
            verdict = matched
    return verdict


def _ignore_files_in(folder: Path) -> Iterator[GitIgnoreSpec]:
    for file_name in IGNORE_FILES:
        path = folder / file_name
        if path.is_file():
            yield _spec(path.read_text(encoding="utf-8", errors="replace").splitlines())


def _spec(lines: tuple[str, ...] | list[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # only packing needs it, not every worker import

    return GitIgnoreSpec.from_lines(lines)


def _member(name: str) -> tarfile.TarInfo:
    """A member with no owner and no timestamp."""
    member = tarfile.TarInfo(name)
    member.mtime = 0
    member.uid = member.gid = 0
    member.uname = member.gname = ""
    return member


def _link_target(base: Path, name: str, path: Path) -> str:
    target = Path(os.path.realpath(path))
    if target != base and base not in target.parents:
        raise BundleError(
            f"code bundle member {name!r} is a link to {os.readlink(path)}, "
            f"outside the folder being packed ({base})"
        )
    folder = base / posixpath.dirname(name)
    return Path(os.path.relpath(target, folder)).as_posix()


def _read(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BundleError(f"cannot pack code bundle member {name!r}: {exc}") from None


# -- checking and unpacking -------------------------------------------------------------------


def check(data: bytes, digest: str | None = None) -> tuple[str, ...]:
    """The names of the files and links in bundle ``data``, once it is known to be safe.

    Raises ``BundleError`` naming the first problem: ``data`` does not hash to ``digest``, is
    not a gzip'd tarball, is too large, or holds a member that is unsafe to extract.
    """
    if digest is not None:
        _check_digest(digest)
        actual = hashlib.sha256(data).hexdigest()
        if actual != digest:
            raise BundleError(f"code bundle {digest} is corrupt: its bytes hash to {actual}")
    members: dict[str, tarfile.TarInfo] = {}
    try:
        with (
            gzip.GzipFile(fileobj=io.BytesIO(data), mode="rb") as unzipped,
            tarfile.open(fileobj=_Capped(unzipped, MAX_BYTES), mode="r|") as tar,
        ):
            for member in tar:
                if len(members) == MAX_MEMBERS:
                    raise BundleError(f"code bundle holds more than {MAX_MEMBERS} members")
                _check_member(member, members)
                members[member.name] = member
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BundleError(f"code bundle is not a readable gzip'd tarball: {exc}") from None
    files = tuple(name for name, member in members.items() if not member.isdir())
    if not files:
        raise BundleError("code bundle holds no files")
    return files


def _check_digest(digest: str) -> None:
    if not _DIGEST.fullmatch(digest):
        raise BundleError(f"{digest!r} is not a code bundle digest (64 lowercase hex digits)")


def _check_member(member: tarfile.TarInfo, earlier: dict[str, tarfile.TarInfo]) -> None:
    name = member.name
    parts = name.split("/")

    def refuse(problem: str) -> BundleError:
        return BundleError(f"code bundle member {name!r} {problem}")

    # A backslash is a separator on Windows, so "..\\x" could leave the folder there.
    if "\0" in name or "\\" in name:
        raise refuse("has a NUL or backslash in its name")
    if name.startswith("/"):
        raise refuse("has an absolute name")
    if ".." in parts:
        raise refuse("leaves the bundle folder")
    if any(part in ("", ".") for part in parts):
        raise refuse("is not a plain relative name")
    if name in earlier:
        raise refuse("appears twice")
    for depth in range(1, len(parts)):
        above = earlier.get("/".join(parts[:depth]))
        if above is not None and not above.isdir():  # writing through a link can leave
            raise refuse(f"lies under {above.name!r}, which is not a folder")
    if member.issym():
        target = posixpath.join(posixpath.dirname(name), member.linkname)
        if member.linkname.startswith("/") or _escapes(target):
            raise refuse(f"links to {member.linkname!r}, outside the bundle folder")
    elif member.islnk():
        target = posixpath.normpath(member.linkname)
        if member.linkname.startswith("/") or _escapes(target):
            raise refuse(f"is a hard link to {member.linkname!r}, outside the bundle folder")
        if not (target in earlier and earlier[target].isreg()):
            raise refuse(f"is a hard link to {member.linkname!r}, not a file before it")
    elif not (member.isreg() or member.isdir()):
        raise refuse("is a device, fifo or other special file")


def _escapes(path: str) -> bool:
    normal = posixpath.normpath(path)
    return normal == ".." or normal.startswith("../")


class _Capped:
    """A read-only stream that fails once more than ``limit`` bytes have been read from it:
    how a small archive that inflates to a huge one is refused while it is being read."""

    def __init__(self, source: gzip.GzipFile, limit: int) -> None:
        self._source = source
        self._left = limit

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._left -= len(data)
        if self._left < 0:
            raise BundleError(f"code bundle unpacks to more than {MAX_BYTES} bytes")
        return data

    def write(self, data: bytes) -> int:
        raise io.UnsupportedOperation("write")

    def tell(self) -> int:
        return self._source.tell()

    def seek(self, position: int) -> int:
        raise io.UnsupportedOperation("seek")

    def close(self) -> None:
        pass  # the source is closed by whoever opened it


def unpack(data: bytes, digest: str, into: Path) -> Path:
    """Check bundle ``data`` and extract it as the folder ``into``, atomically.

    The bundle is extracted beside ``into`` and renamed into place, so ``into`` is either
    absent or complete; if another process got there first, its folder is kept. A bundle
    that is refused leaves nothing behind.
    """
    check(data, digest)
    if into.is_dir():
        return into
    into.parent.mkdir(parents=True, exist_ok=True)
    temporary = into.parent / f".{into.name}.tmp-{uuid.uuid4().hex}"
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
                tar.extractall(temporary, filter="data")
            else:
                tar.extractall(temporary)  # check() has vetted every member
        temporary.mkdir(exist_ok=True)  # an empty bundle is an empty folder
    except tarfile.TarError as exc:
        shutil.rmtree(temporary, ignore_errors=True)
        raise BundleError(f"code bundle {digest} cannot be extracted: {exc}") from None
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    try:
        os.rename(temporary, into)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)
        if not into.is_dir():
            raise
    return into


# -- fetching ---------------------------------------------------------------------------------


def bundle_cache() -> Path:
    """The local folder workers unpack code bundles into, one subfolder per digest."""
    return aloft_home() / "bundles"


def fetch(uri: str, digest: str, cache: Path | None = None) -> Path:
    """The local folder holding bundle ``digest`` (stored at ``uri``), unpacked once per cache.

    A bundle missing at ``uri`` is a ``BundleError``; a store that cannot be read is a
    ``PlatformError``, since trying again later may work.
    """
    _check_digest(digest)
    folder = (cache if cache is not None else bundle_cache()) / digest
    if folder in _unpacked:
        return folder
    if not folder.is_dir():
        try:
            data = store_for(uri).read_bytes(uri)
        except FileNotFoundError:
            raise BundleError(f"no code bundle at {uri}") from None
        except (OSError, PlatformError) as exc:
            raise PlatformError(f"cannot read code bundle {uri}: {exc}") from exc
        unpack(data, digest, folder)
    _unpacked.add(folder)
    return folder


_unpacked: set[Path] = set()
"""Bundle folders this process has already found or unpacked: a warm worker looks once."""
