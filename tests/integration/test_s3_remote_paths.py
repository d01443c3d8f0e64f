"""Remote files on S3 (moto's server, in this process): written straight into the store,
streamed on open, and declared in code without a request until they are read."""

from __future__ import annotations

import hashlib

import pytest
from s3_server import BUCKET, keys, s3_client

from aloft import FlyteDirectory, FlyteFile, task, workflow
from aloft.ir import BlobValue
from aloft.runner import execute
from aloft.storage import BlobStore

pytestmark = pytest.mark.integration

pytest.importorskip("s3fs")

DECLARED = f"s3://{BUCKET}/declared/input.txt"
"""Written by the test only after this module is imported: declaring it must not look."""

DECLARED_FILE = FlyteFile(DECLARED)


@task
def shout(f: FlyteFile = DECLARED_FILE) -> str:
    with f.open("r") as handle:  # streamed from S3
        return handle.read().upper()


@task
def write_lines(n: int) -> FlyteFile:
    out = FlyteFile.new_remote_file("lines.txt")
    with out.open("w") as handle:
        handle.writelines(f"{i}\n" for i in range(n))
    return out


@task
def fill_folder(n: int) -> FlyteDirectory:
    folder = FlyteDirectory.new_remote("shards")
    for i in range(n):
        with folder.new_file(f"shard-{i}.txt").open("w") as handle:
            handle.write("x" * i)
    return folder


@task
def total_size(folder: FlyteDirectory) -> int:
    return sum(len(entry.open("rb").read()) for entry in FlyteDirectory.listdir(folder))


@task
def count(f: FlyteFile) -> int:
    with f.open("rb") as handle:
        return handle.read().count(b"\n")


@workflow
def written_wf(n: int) -> tuple[int, int]:
    return count(f=write_lines(n=n)), total_size(folder=fill_folder(n=n))


@workflow
def declared_wf() -> str:
    return shout()


def test_a_file_declared_in_code_is_read_only_when_the_task_runs(
    store: BlobStore, endpoint: str
) -> None:
    assert shout.interface.inputs["f"].default == BlobValue(uri=DECLARED)
    s3_client(endpoint).put_object(Bucket=BUCKET, Key="declared/input.txt", Body=b"quiet")
    assert declared_wf() == "QUIET"


def test_new_remote_files_and_folders_are_written_in_place_on_s3(
    store: BlobStore, endpoint: str
) -> None:
    execution = execute(written_wf, {"n": 5})
    assert execution.outputs() == (5, 0 + 1 + 2 + 3 + 4), execution.error_message()
    produced = execution.node("n0").outputs
    assert produced is not None
    literal = produced["o0"]
    assert isinstance(literal, BlobValue) and literal.uri.startswith(f"s3://{BUCKET}/aloft/")
    body = "".join(f"{i}\n" for i in range(5)).encode()
    assert literal.hash == hashlib.sha256(body).hexdigest()
    key = literal.uri.removeprefix(f"s3://{BUCKET}/")
    assert keys(endpoint, key) == [key]  # the object the task wrote, passed on without a copy
