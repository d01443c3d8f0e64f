"""Code bundles that try to leave their folder, each with its true digest: what a hostile
client could upload."""

from __future__ import annotations

import hashlib
import io
import tarfile


def _bundle(*members: tarfile.TarInfo) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for member in members:
            data = b"print('escaped')\n" if member.isfile() else b""
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data) if data else None)
    data = buffer.getvalue()
    return hashlib.sha256(data).hexdigest(), data


def _file(name: str) -> tarfile.TarInfo:
    return tarfile.TarInfo(name)


def _link(name: str, target: str, *, hard: bool = False) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.LNKTYPE if hard else tarfile.SYMTYPE
    info.linkname = target
    return info


def escaping_bundles() -> dict[str, tuple[str, bytes]]:
    """Bundles by what they try: a parent path, an absolute path, links out of the folder."""
    return {
        "parent path": _bundle(_file("ok.py"), _file("../evil.py")),
        "nested parent path": _bundle(_file("pkg/../../evil.py")),
        "absolute path": _bundle(_file("/tmp/evil.py")),
        "symlink to an absolute path": _bundle(_link("passwd", "/etc/passwd")),
        "symlink upwards": _bundle(_link("up", "../../outside")),
        "hard link out": _bundle(_link("hard", "../outside", hard=True)),
    }
