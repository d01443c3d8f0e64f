"""Files, folders and pickles through workflows on an S3 blob store (moto's S3 server).

The server runs in this process on a free local port; nothing leaves the machine. The test
skips only if the server cannot start.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from s3_server import BUCKET, keys, s3_client

from aloft import current_context, task, workflow
from aloft.ir import BlobDimensionality, BlobValue, PickleValue, literal_hash
from aloft.runner import execute
from aloft.storage import BlobStore
from aloft.types import to_literal
from aloft.types.directories import FlyteDirectory
from aloft.types.files import FlyteFile
from aloft.types.pickles import AloftPickleWarning

pytestmark = pytest.mark.integration

pytest.importorskip("s3fs")


# -- the workflows ---------------------------------------------------------------------------


class Payload:
    def __init__(self, data: bytes) -> None:
        self.data = data


@task
def write_text(text: str) -> FlyteFile:
    path = Path(current_context().working_directory) / "note.txt"
    path.write_text(text)
    return FlyteFile(str(path))


@task
def read_text(f: FlyteFile) -> str:
    with open(f, encoding="utf-8") as handle:
        return handle.read()


@task
def write_folder(n: int) -> FlyteDirectory:
    root = Path(current_context().working_directory) / "out"
    for i in range(n):
        (root / f"d{i % 3}").mkdir(parents=True, exist_ok=True)
        (root / f"d{i % 3}" / f"{i}.txt").write_text(str(i * i))
    return FlyteDirectory(str(root))


@task
def sum_folder(d: FlyteDirectory) -> int:
    return sum(int(p.read_text()) for p in Path(d).rglob("*.txt"))


with pytest.warns(AloftPickleWarning):

    @task
    def make_payload(size: int) -> Payload:
        return Payload(os.urandom(size))

    @task
    def payload_size(p: Payload) -> int:
        return len(p.data)

    @workflow
    def payload_wf(size: int) -> int:
        return payload_size(p=make_payload(size=size))


@workflow
def text_wf(text: str) -> str:
    return read_text(f=write_text(text=text))


@workflow
def read_wf(f: FlyteFile) -> str:
    return read_text(f=f)


@workflow
def folder_wf(n: int) -> int:
    return sum_folder(d=write_folder(n=n))


# -- the tests -------------------------------------------------------------------------------


def test_a_file_round_trips_through_s3(store: BlobStore) -> None:
    execution = execute(text_wf, {"text": "over s3"})
    assert execution.outputs() == "over s3", execution.error_message()
    produced = execution.node("n0").outputs
    assert produced is not None
    literal = produced["o0"]
    assert isinstance(literal, BlobValue) and literal.uri.startswith(f"s3://{BUCKET}/aloft/")
    assert store.read_bytes(literal.uri) == b"over s3"


def test_a_folder_round_trips_through_s3(store: BlobStore) -> None:
    n = 30
    assert folder_wf(n=n) == sum(i * i for i in range(n))


def test_a_large_pickle_round_trips_through_s3(store: BlobStore) -> None:
    execution = execute(payload_wf, {"size": 200_000})
    assert execution.outputs() == 200_000, execution.error_message()
    produced = execution.node("n0").outputs
    assert produced is not None
    literal = produced["o0"]
    assert isinstance(literal, PickleValue) and literal.uri.startswith(f"s3://{BUCKET}/aloft/")


def test_same_content_same_hash_on_s3(store: BlobStore, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"identical")
    (tmp_path / "b.txt").write_bytes(b"identical")
    first = to_literal(str(tmp_path / "a.txt"), FlyteFile)
    second = to_literal(str(tmp_path / "b.txt"), FlyteFile)
    assert isinstance(first, BlobValue) and isinstance(second, BlobValue)
    assert first.uri != second.uri and literal_hash(first) == literal_hash(second)


def test_a_remote_s3_file_is_passed_through_and_fingerprinted(
    store: BlobStore, endpoint: str
) -> None:
    uri = f"s3://{BUCKET}/external/data.csv"
    s3_client(endpoint).put_object(Bucket=BUCKET, Key="external/data.csv", Body=b"a,b\n1,2\n")
    before = keys(endpoint, "aloft/raw/t/")
    literal = to_literal(FlyteFile(uri), FlyteFile)
    assert literal == BlobValue(uri=uri, hash=store.fingerprint(uri))
    assert keys(endpoint, "aloft/raw/t/") == before  # not copied

    execution = execute(read_wf, {"f": FlyteFile(uri)})
    assert execution.outputs() == "a,b\n1,2\n", execution.error_message()
    assert execution.spec.inputs["f"] == literal

    # Even after a listing of its folder (which s3fs caches), a change shows in the hash.
    assert len(FlyteDirectory.listdir(FlyteDirectory(f"s3://{BUCKET}/external"))) == 1
    s3_client(endpoint).put_object(Bucket=BUCKET, Key="external/data.csv", Body=b"a,b\n3,4\n")
    assert literal_hash(to_literal(uri, FlyteFile)) != literal_hash(literal)


def test_a_remote_s3_folder_is_passed_through_and_fingerprinted(
    store: BlobStore, endpoint: str
) -> None:
    client = s3_client(endpoint)
    for name in ("x.txt", "nested/y.txt"):
        client.put_object(Bucket=BUCKET, Key=f"shared/folder/{name}", Body=name.encode())
    uri = f"s3://{BUCKET}/shared/folder"
    literal = to_literal(uri, FlyteDirectory)
    assert literal == BlobValue(
        uri=uri,
        dimensionality=BlobDimensionality.MULTIPART,
        hash=store.fingerprint_directory(uri),
    )
    listed = FlyteDirectory.listdir(FlyteDirectory(uri))
    assert [Path(entry.path).name for entry in listed] == ["nested", "x.txt"]
    client.put_object(Bucket=BUCKET, Key="shared/folder/z.txt", Body=b"z")
    assert literal_hash(to_literal(uri, FlyteDirectory)) != literal_hash(literal)
