"""The local blob store: atomic, hashing writes; folders; fingerprints."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from aloft.storage import BlobStore


@pytest.fixture
def store(tmp_path: Path) -> BlobStore:
    return BlobStore(str(tmp_path / "blobs"))


def test_writes_return_the_sha256_of_the_bytes_and_read_back(store: BlobStore) -> None:
    uri = store.uri("a", "b.bin")
    digest = store.write_bytes(uri, b"payload")
    assert digest == hashlib.sha256(b"payload").hexdigest()
    assert store.read_bytes(uri) == b"payload"
    assert uri.startswith("file://")


def test_a_failed_write_leaves_nothing_behind(store: BlobStore, tmp_path: Path) -> None:
    uri = store.uri("x", "half.bin")
    with pytest.raises(RuntimeError), store.open_write(uri) as writer:
        writer.write(b"first half")
        raise RuntimeError("crash mid-write")
    assert not store.exists(uri)
    assert list((tmp_path / "blobs" / "x").iterdir()) == []


def test_a_reader_never_sees_a_partial_blob(store: BlobStore) -> None:
    uri = store.uri("x", "big.bin")
    with store.open_write(uri) as writer:
        writer.write(b"part one ")
        assert not store.exists(uri)
        writer.write(b"part two")
    assert store.read_bytes(uri) == b"part one part two"


def test_folders_round_trip_and_hash_by_names_and_contents(
    store: BlobStore, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.txt").write_text("b")
    first = store.upload_directory(source, store.uri("dir1"))
    second = store.upload_directory(source, store.uri("dir2"))
    assert first == second
    target = tmp_path / "copy"
    store.download_directory(store.uri("dir1"), target)
    assert (target / "sub" / "b.txt").read_text() == "b"
    (source / "a.txt").write_text("A")
    assert store.upload_directory(source, store.uri("dir3")) != first


def test_a_fingerprint_changes_when_the_file_changes(store: BlobStore) -> None:
    uri = store.uri("f.txt")
    store.write_bytes(uri, b"one")
    before = store.fingerprint(uri)
    assert before == store.fingerprint(uri)
    store.write_bytes(uri, b"three")
    assert store.fingerprint(uri) != before
