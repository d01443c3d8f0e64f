"""Code bundles: deterministic packing, ignore rules, refusing unsafe archives, the cache."""

from __future__ import annotations

import hashlib
import io
import os
import re
import tarfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from aloft.storage import BlobStore, bundles
from aloft.storage.bundles import BundleError, check, fetch, pack, unpack
from aloft.storage.layout import bundle_uri, bundles_prefix


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write(
        tmp_path / "project",
        {"app/__init__.py": "", "app/tasks.py": "VALUE = 1\n", "README.md": "hello\n"},
    )


def tarball(*members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    """A gzip'd tarball of exactly ``members``, however unsafe."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for member, data in members:
            member.size = len(data) if member.isreg() else 0
            tar.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return buffer.getvalue()


def member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


# -- packing ----------------------------------------------------------------------------------


def test_packing_the_same_tree_twice_gives_the_same_bytes_whatever_the_file_times(
    project: Path,
) -> None:
    first = pack(project)
    os.utime(project / "app" / "tasks.py", (1_000_000, 1_000_000))
    second = pack(project)
    assert second.data == first.data
    assert second.digest == first.digest == hashlib.sha256(first.data).hexdigest()
    assert first.files == ("README.md", "app/__init__.py", "app/tasks.py")


def test_changing_one_file_changes_the_digest(project: Path) -> None:
    before = pack(project).digest
    (project / "app" / "tasks.py").write_text("VALUE = 2\n")
    assert pack(project).digest != before


def test_ignored_files_are_left_out(project: Path) -> None:
    write(
        project,
        {
            ".gitignore": "build/\n*.log\n!keep.log\n",
            ".aloftignore": "data/\n",
            "build/out.py": "",
            "debug.log": "",
            "keep.log": "",
            "data/big.csv": "",
            "app/.gitignore": "local_settings.py\n",
            "app/local_settings.py": "",
            "local_settings.py": "",  # the nested rule applies only under app/
            ".git/HEAD": "",
            "app/__pycache__/tasks.cpython-311.pyc": "",
            "stale.pyc": "",
            ".venv/lib/site.py": "",
            "venv/lib/site.py": "",
            "node_modules/x/index.js": "",
            "app.egg-info/PKG-INFO": "",
            ".mypy_cache/x": "",
            ".pytest_cache/x": "",
            ".ruff_cache/x": "",
            ".aloft/x": "",
        },
    )
    assert pack(project).files == (
        ".aloftignore",
        ".gitignore",
        "README.md",
        "app/.gitignore",
        "app/__init__.py",
        "app/tasks.py",
        "keep.log",
        "local_settings.py",
    )


def test_an_ignore_file_cannot_bring_back_what_is_always_ignored(project: Path) -> None:
    write(project, {".gitignore": "!*.pyc\n!.venv/\n", "stale.pyc": "", ".venv/site.py": ""})
    assert pack(project).files == (".gitignore", "README.md", "app/__init__.py", "app/tasks.py")


def test_a_bundle_unpacks_to_the_same_files_with_their_executable_bit(
    project: Path, tmp_path: Path
) -> None:
    (project / "run.sh").write_text("#!/bin/sh\n")
    (project / "run.sh").chmod(0o700)
    bundle = pack(project)
    folder = unpack(bundle.data, bundle.digest, tmp_path / "out")
    assert (folder / "app" / "tasks.py").read_text() == "VALUE = 1\n"
    assert os.access(folder / "run.sh", os.X_OK)
    assert not os.access(folder / "README.md", os.X_OK)


def test_links_inside_the_tree_are_kept_as_relative_links(project: Path, tmp_path: Path) -> None:
    (project / "app" / "current.py").symlink_to(project / "app" / "tasks.py")
    (project / "docs").symlink_to("app")
    bundle = pack(project)
    folder = unpack(bundle.data, bundle.digest, tmp_path / "out")
    assert os.readlink(folder / "app" / "current.py") == "tasks.py"
    assert (folder / "docs" / "tasks.py").read_text() == "VALUE = 1\n"
    assert "docs/tasks.py" not in bundle.files  # the linked folder is not packed twice


def test_a_link_leaving_the_tree_is_refused_naming_it(project: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("key")
    (project / "app" / "key.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(BundleError, match=r"'app/key\.txt' is a link to .*secret\.txt, outside"):
        pack(project)


def test_special_files_are_skipped(project: Path) -> None:
    os.mkfifo(project / "pipe")
    assert "pipe" not in pack(project).files


def test_packing_a_missing_folder_or_a_file_is_refused(project: Path) -> None:
    with pytest.raises(BundleError, match="does not exist"):
        pack(project / "nowhere")
    with pytest.raises(BundleError, match=re.escape("README.md is not a folder")):
        pack(project / "README.md")


# -- checking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([member("/etc/evil.py")], "member '/etc/evil.py' has an absolute name"),
        ([member("../evil.py")], "member '../evil.py' leaves the bundle folder"),
        ([member("app/../../evil.py")], "member 'app/../../evil.py' leaves the bundle folder"),
        ([member("..\\evil.py")], r"member '..\\evil.py' has a NUL or backslash"),
        (
            [member("app/escape", tarfile.SYMTYPE, "../../etc/passwd")],
            "member 'app/escape' links to '../../etc/passwd', outside the bundle folder",
        ),
        (
            [member("escape", tarfile.SYMTYPE, "/etc/passwd")],
            "member 'escape' links to '/etc/passwd', outside",
        ),
        (
            [member("hard", tarfile.LNKTYPE, "../outside.py")],
            "member 'hard' is a hard link to '../outside.py', outside the bundle folder",
        ),
        (
            [member("hard", tarfile.LNKTYPE, "missing.py")],
            "member 'hard' is a hard link to 'missing.py', not a file before it",
        ),
        ([member("pipe", tarfile.FIFOTYPE)], "member 'pipe' is a device, fifo"),
        ([member("tty", tarfile.CHRTYPE)], "member 'tty' is a device, fifo"),
        (
            [member("here", tarfile.SYMTYPE, "."), member("here/evil.py")],
            "member 'here/evil.py' lies under 'here', which is not a folder",
        ),
        ([member("a.py"), member("a.py")], "member 'a.py' appears twice"),
    ],
)
def test_check_refuses_unsafe_members_naming_the_first(
    members: list[tarfile.TarInfo], message: str
) -> None:
    data = tarball(*((m, b"x = 1\n") for m in members))
    with pytest.raises(BundleError, match=re.escape(message)):
        check(data)


def test_check_lists_the_files_of_a_safe_bundle(project: Path) -> None:
    bundle = pack(project)
    assert check(bundle.data, bundle.digest) == bundle.files


def test_check_refuses_bytes_that_do_not_hash_to_the_digest(project: Path) -> None:
    bundle = pack(project)
    other = hashlib.sha256(b"other").hexdigest()
    with pytest.raises(BundleError, match=f"code bundle {other} is corrupt"):
        check(bundle.data, other)
    with pytest.raises(BundleError, match=re.escape("'../x' is not a code bundle digest")):
        check(bundle.data, "../x")


def test_check_refuses_what_is_not_a_gzipped_tarball(project: Path) -> None:
    plain = io.BytesIO()
    with tarfile.open(fileobj=plain, mode="w") as tar:
        tar.add(project / "README.md", "README.md")
    for data in (b"not a tarball", plain.getvalue(), pack(project).data[:40]):
        with pytest.raises(BundleError, match="not a readable gzip'd tarball"):
            check(data)


def test_check_refuses_a_bundle_that_unpacks_too_large(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "zeros.bin").write_bytes(bytes(200_000))  # compresses to almost nothing
    data = pack(project).data
    monkeypatch.setattr(bundles, "MAX_BYTES", 100_000)
    with pytest.raises(BundleError, match="unpacks to more than 100000 bytes"):
        check(data)
    monkeypatch.setattr(bundles, "MAX_BYTES", 1 << 30)
    monkeypatch.setattr(bundles, "MAX_MEMBERS", 2)
    with pytest.raises(BundleError, match="holds more than 2 members"):
        check(data)


# -- unpacking and fetching -------------------------------------------------------------------


def test_a_refused_bundle_leaves_nothing_behind(tmp_path: Path) -> None:
    data = tarball((member("ok.py"), b""), (member("../evil.py"), b"boom"))
    cache = tmp_path / "cache"
    cache.mkdir()
    with pytest.raises(BundleError, match=re.escape("'../evil.py' leaves the bundle folder")):
        unpack(data, hashlib.sha256(data).hexdigest(), cache / "bundle")
    assert list(cache.iterdir()) == []
    assert not (tmp_path / "evil.py").exists()


def test_unpacking_at_once_from_many_workers_gives_one_complete_folder(
    project: Path, tmp_path: Path
) -> None:
    bundle = pack(project)
    into = tmp_path / "cache" / bundle.digest
    with ThreadPoolExecutor(8) as pool:
        folders = list(pool.map(lambda _: unpack(bundle.data, bundle.digest, into), range(8)))
    assert folders == [into] * 8
    assert unpack(bundle.data, bundle.digest, into) == into
    assert [p.name for p in into.parent.iterdir()] == [bundle.digest]  # no temporary left
    assert (into / "app" / "tasks.py").read_text() == "VALUE = 1\n"


def test_fetch_unpacks_a_stored_bundle_once(project: Path, tmp_path: Path) -> None:
    bundle = pack(project)
    store = BlobStore(str(tmp_path / "store"))
    uri = bundle_uri(bundles_prefix(store.root), bundle.digest)
    assert uri == f"{store.root}/bundles/{bundle.digest}.tar.gz"
    store.write_bytes(uri, bundle.data)
    cache = tmp_path / "cache"
    folder = fetch(uri, bundle.digest, cache)
    assert folder == cache / bundle.digest
    assert (folder / "app" / "tasks.py").read_text() == "VALUE = 1\n"
    Path(uri.removeprefix("file://")).unlink()
    assert fetch(uri, bundle.digest, cache) == folder  # from the cache, not the store


def test_fetching_a_missing_bundle_names_its_uri(tmp_path: Path) -> None:
    digest = hashlib.sha256(b"nothing").hexdigest()
    uri = bundle_uri((tmp_path / "bundles").as_uri(), digest)
    with pytest.raises(BundleError, match=f"no code bundle at {uri}"):
        fetch(uri, digest, tmp_path / "cache")
    assert not (tmp_path / "cache" / digest).exists()
