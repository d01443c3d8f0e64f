"""Files and folders a task writes straight into the store (``FlyteFile.new_remote_file()``,
``FlyteDirectory.new_remote()``), and remote paths declared in code that touch nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from aloft import FlyteDirectory, FlyteFile, LaunchPlan, task, workflow
from aloft.ir import BlobValue, LiteralBinding
from aloft.storage import BlobStore, DataContext, data_context
from aloft.types import to_literal, to_python


@pytest.fixture
def store(tmp_path: Path) -> Iterator[BlobStore]:
    store = BlobStore(str(tmp_path / "store"))
    with data_context(DataContext(store, store.uri("raw", "test"), 1 << 20)):
        yield store


@task
def write_report(lines: int) -> FlyteFile:
    report = FlyteFile.new_remote_file("report.txt")
    with report.open("w") as handle:
        for i in range(lines):
            handle.write(f"line {i}\n")
    return report


@task
def count_lines(report: FlyteFile) -> int:
    with report.open("r") as handle:  # streamed, not downloaded
        return sum(1 for _ in handle)


@task
def write_folder(n: int) -> FlyteDirectory:
    folder = FlyteDirectory.new_remote("parts")
    for i in range(n):
        with folder.new_file(f"{i}.txt").open("wb") as handle:
            handle.write(str(i).encode())
    with folder.new_dir("nested").new_file("deep.txt").open("w") as handle:
        handle.write("deep")
    return folder


@task
def folder_total(folder: FlyteDirectory) -> int:
    root = Path(folder.download())
    return sum(int(p.read_text()) for p in root.glob("*.txt")) + len(
        (root / "nested" / "deep.txt").read_text()
    )


@workflow
def remote_wf(n: int) -> tuple[int, int]:
    return count_lines(report=write_report(lines=n)), folder_total(folder=write_folder(n=n))


def test_a_task_writes_files_and_folders_straight_into_the_store() -> None:
    assert remote_wf(n=4) == (4, 0 + 1 + 2 + 3 + len("deep"))


def test_a_new_remote_file_is_passed_on_by_reference_with_the_hash_of_its_bytes(
    store: BlobStore,
) -> None:
    new = FlyteFile.new_remote_file("out.bin")
    with new.open("wb") as handle:
        handle.write(b"abc")
        handle.write(b"def")
    literal = to_literal(new, FlyteFile)
    assert isinstance(literal, BlobValue)
    assert literal.uri == new.path and literal.uri.startswith(store.uri("raw", "test"))
    assert literal.uri.endswith("/out.bin")
    assert literal.hash == hashlib.sha256(b"abcdef").hexdigest()
    assert Path(literal.uri.removeprefix("file://")).read_bytes() == b"abcdef"


def test_nothing_appears_until_the_file_is_closed(store: BlobStore) -> None:
    new = FlyteFile.new_remote_file()
    handle = new.open("wb")
    handle.write(b"partial")
    assert not store.exists(new.path)
    handle.close()
    assert store.read_bytes(new.path) == b"partial"


def test_a_new_remote_file_is_written_from_the_start(store: BlobStore) -> None:
    with pytest.raises(ValueError, match="open it 'w', not 'a'"):
        FlyteFile.new_remote_file().open("a")
    with pytest.raises(ValueError, match=r"names another bucket, but the store .* local folder"):
        FlyteFile.new_remote_file(alt="other-bucket")


def test_a_decoded_remote_folder_lists_and_makes_entries_without_downloading(
    store: BlobStore,
) -> None:
    folder = FlyteDirectory.new_remote()
    with folder.new_file("a.txt").open("w") as handle:
        handle.write("a")
    value = to_python(to_literal(folder, FlyteDirectory), FlyteDirectory)
    assert [Path(str(e)).name for e in FlyteDirectory.listdir(value)] == ["a.txt"]
    assert not value.downloaded


# A remote path declared in code is not touched when the module is imported: with a protocol
# nothing serves, any access would fail the declarations below.
UNREACHABLE = FlyteFile("nosuchprotocol://bucket/data.csv")


@task
def size_of(f: FlyteFile = UNREACHABLE) -> int:
    return len(f.path)


@workflow
def declared_wf(f: FlyteFile = UNREACHABLE) -> tuple[int, int]:
    return size_of(f=FlyteFile("nosuchprotocol://bucket/other.csv")), size_of(f=f)


declared_plan = LaunchPlan.get_or_create(
    declared_wf, name="declared_plan", default_inputs={"f": FlyteFile("nosuchprotocol://b/x")}
)


def test_remote_paths_declared_in_code_touch_nothing_and_are_keyed_by_uri() -> None:
    default = size_of.interface.inputs["f"].default
    assert default == BlobValue(uri="nosuchprotocol://bucket/data.csv")
    constant = next(
        binding.data
        for node in declared_wf.closure.workflow.nodes
        for binding in node.inputs
        if isinstance(binding.data, LiteralBinding)
    )
    assert constant.value == BlobValue(uri="nosuchprotocol://bucket/other.csv")
    assert declared_plan.spec.default_inputs["f"] == BlobValue(uri="nosuchprotocol://b/x")
