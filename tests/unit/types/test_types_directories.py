"""FlyteDirectory: uploads hashed by names and contents, lazy downloads, listing, workflows."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest

from aloft import current_context, task, workflow
from aloft.errors import TypeTransformerError
from aloft.ir import BlobDimensionality, BlobType, BlobValue, literal_hash
from aloft.storage import BlobStore, DataContext, data_context
from aloft.types import literal_type_of, parse_cli_value, python_type_name, to_literal, to_python
from aloft.types.directories import FlyteDirectory, TensorboardLogs
from aloft.types.files import FlyteFile


@pytest.fixture
def store(tmp_path: Path) -> Iterator[BlobStore]:
    """Values are written to a store of this test's own."""
    store = BlobStore(str(tmp_path / "store"))
    with data_context(DataContext(store, store.uri("raw", "test"), 1 << 20)):
        yield store


def make_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    root.mkdir(parents=True, exist_ok=True)
    return root


def read_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in root.rglob("*") if p.is_file()}


TREE = {"a.txt": "alpha", "sub/b.txt": "beta", "sub/deeper/c.txt": "gamma"}


def test_the_literal_type_is_a_multipart_blob() -> None:
    assert literal_type_of(FlyteDirectory) == BlobType(dimensionality=BlobDimensionality.MULTIPART)
    assert literal_type_of(FlyteDirectory["parquet"]) == BlobType(
        format="parquet", dimensionality=BlobDimensionality.MULTIPART
    )
    assert FlyteDirectory["x"] is FlyteDirectory["x"]
    assert TensorboardLogs.extension() == "tensorboard"
    assert python_type_name(FlyteDirectory["x"]) == "FlyteDirectory[x]"


def test_a_local_folder_is_uploaded_and_downloaded_lazily(store: BlobStore, tmp_path: Path) -> None:
    source = make_tree(tmp_path / "data", TREE)
    literal = to_literal(FlyteDirectory(str(source)), FlyteDirectory)
    assert isinstance(literal, BlobValue)
    assert literal.dimensionality is BlobDimensionality.MULTIPART
    assert literal.uri.startswith(store.uri("raw", "test")) and literal.uri.endswith("/data")

    value = to_python(literal, FlyteDirectory)
    assert isinstance(value, FlyteDirectory) and not value.downloaded
    local = Path(value.download())
    assert local.name == "data" and local != source
    assert read_tree(local) == TREE


def test_the_hash_covers_names_and_contents(store: BlobStore, tmp_path: Path) -> None:
    def hash_of(files: dict[str, str], where: str) -> str:
        return literal_hash(to_literal(str(make_tree(tmp_path / where, files)), FlyteDirectory))

    original = hash_of(TREE, "one")
    assert hash_of(TREE, "two") == original
    assert hash_of({**TREE, "a.txt": "alphb"}, "three") != original
    renamed = {("A.txt" if k == "a.txt" else k): v for k, v in TREE.items()}
    assert hash_of(renamed, "four") != original


def test_an_empty_folder_round_trips(store: BlobStore, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    value = to_python(to_literal(str(empty), FlyteDirectory), FlyteDirectory)
    assert Path(value.download()).is_dir() and read_tree(Path(value.path)) == {}


def test_a_missing_folder_or_a_file_is_a_clear_error(store: BlobStore, tmp_path: Path) -> None:
    with pytest.raises(TypeTransformerError, match=f"folder {tmp_path / 'gone'} does not exist"):
        to_literal(str(tmp_path / "gone"), FlyteDirectory)
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(TypeTransformerError, match="is a file, not a folder"):
        to_literal(FlyteDirectory(str(tmp_path / "f.txt")), FlyteDirectory)
    with pytest.raises(TypeTransformerError, match="expected FlyteDirectory, got FlyteFile"):
        to_literal(FlyteFile(str(tmp_path / "f.txt")), FlyteDirectory)


def test_listdir_lists_local_and_remote_folders(store: BlobStore, tmp_path: Path) -> None:
    source = make_tree(tmp_path / "data", TREE)
    local_entries = FlyteDirectory.listdir(FlyteDirectory(str(source)))
    assert [(type(e).__name__, Path(e.path).name) for e in local_entries] == [
        ("FlyteFile", "a.txt"),
        ("FlyteDirectory", "sub"),
    ]

    value = to_python(to_literal(str(source), FlyteDirectory), FlyteDirectory)
    remote_entries = FlyteDirectory.listdir(value)
    assert not value.downloaded  # listing did not download
    assert [type(e).__name__ for e in remote_entries] == ["FlyteFile", "FlyteDirectory"]
    assert all(not e.downloaded and e.path.startswith(value.path) for e in remote_entries)
    first, sub = remote_entries
    assert Path(first).read_text() == "alpha"
    assert isinstance(sub, FlyteDirectory)
    assert read_tree(Path(sub.download())) == {"b.txt": "beta", "deeper/c.txt": "gamma"}


def test_a_remote_folder_is_passed_through_and_fingerprinted(store: BlobStore) -> None:
    base = f"memory://bucket-{uuid.uuid4().hex}/folder"
    for name, text in TREE.items():
        with fsspec.open(f"{base}/{name}", "w") as handle:
            handle.write(text)
    literal = to_literal(base, FlyteDirectory)
    assert literal == BlobValue(
        uri=base,
        dimensionality=BlobDimensionality.MULTIPART,
        hash=store.fingerprint_directory(base),
    )
    with fsspec.open(f"{base}/new.txt", "w") as handle:
        handle.write("more")
    assert literal_hash(to_literal(base, FlyteDirectory)) != literal_hash(literal)
    assert read_tree(Path(to_python(literal, FlyteDirectory).download()))["sub/b.txt"] == "beta"
    missing = f"memory://bucket-{uuid.uuid4().hex}/nothing"
    with pytest.raises(TypeTransformerError, match=f"{missing} does not exist"):
        to_literal(missing, FlyteDirectory)


def test_parse_text_takes_an_existing_folder_or_a_url(tmp_path: Path) -> None:
    value = parse_cli_value(str(tmp_path), FlyteDirectory)
    assert isinstance(value, FlyteDirectory) and value.path == str(tmp_path)
    assert parse_cli_value("s3://b/prefix", FlyteDirectory).remote_source == "s3://b/prefix"
    (tmp_path / "file").write_text("x")
    with pytest.raises(TypeTransformerError, match="is a file, not a folder"):
        parse_cli_value(str(tmp_path / "file"), FlyteDirectory)


def test_aloft_run_takes_a_folder(tmp_path: Path) -> None:
    (tmp_path / "wf.py").write_text(
        textwrap.dedent(
            """
            import os
            from aloft import task, workflow
            from aloft.types.directories import FlyteDirectory

            @task
            def count(d: FlyteDirectory) -> int:
                return sum(len(files) for _, _, files in os.walk(d))

            @workflow
            def wf(d: FlyteDirectory) -> int:
                return count(d=d)
            """
        )
    )
    make_tree(tmp_path / "inputs", TREE)
    result = subprocess.run(
        [sys.executable, "-m", "aloft", "run", "wf.py", "wf", "--d", "inputs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"


# -- through workflows -----------------------------------------------------------------------

N_FILES = 1000


@task
def write_folder(n: int) -> FlyteDirectory:
    root = Path(current_context().working_directory) / "many"
    for i in range(n):
        shard = root / f"shard-{i % 10}"
        shard.mkdir(parents=True, exist_ok=True)
        (shard / f"file-{i:04d}.txt").write_text(f"content {i}\n" * (i % 3 + 1))
    return FlyteDirectory(str(root))


@task
def check_folder(d: FlyteDirectory, n: int) -> int:
    root = Path(d)
    found = 0
    for i in range(n):
        path = root / f"shard-{i % 10}" / f"file-{i:04d}.txt"
        if path.read_text() == f"content {i}\n" * (i % 3 + 1):
            found += 1
    extra = sum(1 for p in root.rglob("*") if p.is_file()) - n
    return found - extra


@workflow
def folder_wf(n: int) -> int:
    return check_folder(d=write_folder(n=n), n=n)


def test_a_folder_of_a_thousand_files_round_trips(store: BlobStore) -> None:
    assert folder_wf(n=N_FILES) == N_FILES


def test_crawl_lists_every_file_below_a_folder_as_flytekit(
    store: BlobStore, tmp_path: Path
) -> None:
    source = make_tree(tmp_path / "data", TREE)
    local = FlyteDirectory(str(source))
    expected = ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]
    assert sorted(list(local.crawl())) == [(str(source), name) for name in expected]
    assert [name for _, name in local.crawl(maxdepth=1)] == ["a.txt"]

    value = to_python(to_literal(str(source), FlyteDirectory), FlyteDirectory)
    crawled = sorted(value.crawl())
    assert not value.downloaded  # crawling did not download
    assert crawled == [(value.remote_source, name) for name in expected]
    base, details = next(iter(value.crawl(detail=True)))
    assert list(details) == ["a.txt"] and details["a.txt"]["size"] == len("alpha")
    with FlyteFile.from_source(f"{base}/sub/b.txt").open("r") as handle:
        assert handle.read() == "beta"


@task
def copy_folder(fd: FlyteDirectory) -> FlyteDirectory:
    copy = FlyteDirectory.new_remote("folder-copy")
    for base, name in fd.crawl():
        with (
            FlyteFile(f"{base}/{name}").open("rb") as source,
            copy.new_file(name).open("wb") as out,
        ):
            out.write(source.read())
    return copy


def test_a_task_copies_a_folder_it_crawls_as_flytekit_s_streaming_example(
    store: BlobStore, tmp_path: Path
) -> None:
    source = make_tree(tmp_path / "data", TREE)
    copied = copy_folder(fd=FlyteDirectory(str(source)))
    assert read_tree(Path(copied.download())) == TREE
