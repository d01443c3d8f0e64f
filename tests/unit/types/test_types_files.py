"""FlyteFile: formats, uploads, pass-through of remote files, lazy downloads, workflows, CLI."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
import typing
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import fsspec
import pytest

from aloft import current_context, task, workflow
from aloft.errors import TypeTransformerError
from aloft.ir import (
    BlobDimensionality,
    BlobType,
    BlobValue,
    IntegerValue,
    describe,
    literal_hash,
)
from aloft.runner import execute
from aloft.storage import BlobStore, DataContext, data_context
from aloft.types import literal_type_of, parse_cli_value, python_type_name, to_literal, to_python
from aloft.types.files import CSVFile, FileExt, FlyteFile


@pytest.fixture
def store(tmp_path: Path) -> Iterator[BlobStore]:
    """Values are written to a store of this test's own."""
    store = BlobStore(str(tmp_path / "store"))
    with data_context(DataContext(store, store.uri("raw", "test"), 1 << 20)):
        yield store


def stored_files(store: BlobStore) -> list[Path]:
    root = Path(store.root.removeprefix("file://"))
    return sorted(p for p in root.rglob("*") if p.is_file())


def memory_file(data: bytes, name: str = "data.csv") -> str:
    """A remote file (fsspec's in-memory filesystem) at a fresh URI."""
    uri = f"memory://bucket-{uuid.uuid4().hex}/{name}"
    with fsspec.open(uri, "wb") as handle:
        handle.write(data)
    return uri


# -- formats ---------------------------------------------------------------------------------


def test_a_format_subscript_is_cached_and_read_as_flytekit_reads_it() -> None:
    assert FlyteFile["csv"] is FlyteFile["csv"]
    assert FlyteFile[typing.TypeVar("csv")] is FlyteFile["csv"]  # type: ignore[misc]
    assert FlyteFile[".csv"] is FlyteFile["csv"]
    assert FlyteFile[Annotated[str, FileExt("csv")]] is CSVFile
    assert FlyteFile[Annotated[str, FileExt("tar.gz")]].extension() == "tar.gz"
    assert FlyteFile[None] is FlyteFile  # type: ignore[misc]
    assert FlyteFile.extension() == ""
    assert issubclass(FlyteFile["csv"], FlyteFile)


def test_the_literal_type_records_the_format() -> None:
    assert literal_type_of(FlyteFile) == BlobType(
        format="", dimensionality=BlobDimensionality.SINGLE
    )
    assert literal_type_of(FlyteFile["csv"]) == BlobType(format="csv")
    assert literal_type_of(FlyteFile["csv"]) != literal_type_of(FlyteFile["json"])
    assert python_type_name(FlyteFile["csv"]) == describe(literal_type_of(FlyteFile["csv"]))
    assert python_type_name(FlyteFile) == "FlyteFile"


# -- encoding --------------------------------------------------------------------------------


def test_a_local_file_is_uploaded_and_hashed_by_its_bytes(store: BlobStore, tmp_path: Path) -> None:
    local = tmp_path / "report.csv"
    local.write_bytes(b"a,b\n1,2\n")
    literal = to_literal(FlyteFile(str(local)), FlyteFile["csv"])
    assert isinstance(literal, BlobValue)
    assert literal.uri.startswith(store.uri("raw", "test") + "/")
    assert literal.uri.endswith("/report.csv")
    assert literal.format == "csv" and literal.dimensionality is BlobDimensionality.SINGLE
    assert literal.hash == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert store.read_bytes(literal.uri) == b"a,b\n1,2\n"


@pytest.mark.parametrize("kind", [str, Path])
def test_a_str_or_path_is_accepted_for_a_file(
    store: BlobStore, tmp_path: Path, kind: type[str] | type[Path]
) -> None:
    local = tmp_path / "x.txt"
    local.write_text("hello")
    literal = to_literal(kind(local), FlyteFile)
    assert isinstance(literal, BlobValue) and store.read_bytes(literal.uri) == b"hello"


def test_the_hash_depends_on_the_content_not_the_path(store: BlobStore, tmp_path: Path) -> None:
    first, second, third = tmp_path / "a" / "one.bin", tmp_path / "b" / "two.bin", tmp_path / "c"
    for path in (first, second):
        path.parent.mkdir()
        path.write_bytes(b"same bytes" * 100)
    third.write_bytes(b"same bytez" * 100)  # one byte differs

    def hash_of(path: Path) -> str:
        return literal_hash(to_literal(FlyteFile(str(path)), FlyteFile))

    assert hash_of(first) == hash_of(second)
    assert hash_of(first) != hash_of(third)


def test_a_missing_local_file_is_a_clear_error(store: BlobStore, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(TypeTransformerError, match=f"file {missing} does not exist"):
        to_literal(FlyteFile(str(missing)), FlyteFile)
    with pytest.raises(TypeTransformerError, match="is a folder, not a file"):
        to_literal(str(tmp_path), FlyteFile)
    assert stored_files(store) == []


def test_a_value_that_is_no_file_is_a_mismatch(store: BlobStore) -> None:
    with pytest.raises(TypeTransformerError, match=r"expected FlyteFile\[csv\], got int 3"):
        to_literal(3, FlyteFile["csv"])


def test_remote_path_chooses_where_a_local_file_goes(store: BlobStore, tmp_path: Path) -> None:
    local = tmp_path / "x.txt"
    local.write_text("x")
    target = store.uri("chosen", "x.txt")
    literal = to_literal(FlyteFile(str(local), remote_path=target), FlyteFile)
    assert isinstance(literal, BlobValue) and literal.uri == target
    assert store.read_bytes(target) == b"x"


def test_remote_path_false_passes_the_local_path_itself(store: BlobStore, tmp_path: Path) -> None:
    local = tmp_path / "shared.txt"
    local.write_text("on a shared disk")
    literal = to_literal(FlyteFile(str(local), remote_path=False), FlyteFile)
    assert isinstance(literal, BlobValue)
    assert literal.uri == f"file://{local}"
    assert literal.hash == store.fingerprint(literal.uri)
    assert stored_files(store) == []


def test_a_remote_file_is_passed_through_by_uri_and_fingerprinted(store: BlobStore) -> None:
    uri = memory_file(b"remote rows")
    for value in (uri, FlyteFile(uri)):
        literal = to_literal(value, FlyteFile["csv"])
        assert literal == BlobValue(uri=uri, format="csv", hash=store.fingerprint(uri))
    assert stored_files(store) == []  # nothing was copied


def test_a_missing_remote_file_is_a_clear_error(store: BlobStore) -> None:
    uri = f"memory://bucket-{uuid.uuid4().hex}/gone.csv"
    with pytest.raises(TypeTransformerError, match=f"{uri} does not exist"):
        to_literal(uri, FlyteFile)


# -- decoding --------------------------------------------------------------------------------


def test_a_decoded_file_downloads_only_when_asked(store: BlobStore, tmp_path: Path) -> None:
    local = tmp_path / "data.csv"
    local.write_text("a,b\n")
    literal = to_literal(str(local), FlyteFile["csv"])
    assert isinstance(literal, BlobValue)

    value = to_python(literal, FlyteFile["csv"])
    assert type(value) is FlyteFile["csv"]
    assert not value.downloaded and value.path == literal.uri == value.remote_source
    downloaded = value.download()
    assert value.downloaded and value.path == downloaded != str(local)
    assert Path(downloaded).name == "data.csv" and Path(downloaded).read_text() == "a,b\n"
    assert value.download() == downloaded  # once

    again = to_python(literal, FlyteFile["csv"])
    os.fspath(again)
    assert again.downloaded


def test_open_streams_a_remote_file_without_downloading_it(store: BlobStore) -> None:
    value = to_python(to_literal(memory_file(b"line 1\nline 2\n"), FlyteFile), FlyteFile)
    with value.open("r", cache_type="none") as handle:
        assert handle.readline() == "line 1\n"
    assert not value.downloaded


def test_open_reads_the_file(store: BlobStore) -> None:
    literal = to_literal(memory_file(b"streamed"), FlyteFile)
    value = to_python(literal, FlyteFile)
    with value.open() as handle:
        assert handle.read() == b"streamed"
    with open(value, encoding="utf-8") as handle:
        assert handle.read() == "streamed"


def test_a_remote_input_cannot_be_opened_for_writing(store: BlobStore) -> None:
    value = to_python(to_literal(memory_file(b"x"), FlyteFile), FlyteFile)
    with pytest.raises(ValueError, match=r"cannot open .* for writing: it is remote"):
        value.open("wb")


def test_a_decoded_file_passes_through_without_a_copy(store: BlobStore, tmp_path: Path) -> None:
    local = tmp_path / "once.txt"
    local.write_text("uploaded once")
    literal = to_literal(str(local), FlyteFile)
    before = stored_files(store)
    value = to_python(literal, FlyteFile)
    assert to_literal(value, FlyteFile) == literal
    value.download()
    assert to_literal(value, FlyteFile) == literal
    assert stored_files(store) == before


def test_a_literal_of_another_kind_is_refused(store: BlobStore) -> None:
    with pytest.raises(TypeTransformerError, match="expected FlyteFile, got int literal 1"):
        to_python(IntegerValue(value=1), FlyteFile)
    folder = BlobValue(uri="file:///x", dimensionality=BlobDimensionality.MULTIPART)
    with pytest.raises(TypeTransformerError, match="expected FlyteFile, got blob literal"):
        to_python(folder, FlyteFile)


def test_equality_repr_and_str() -> None:
    assert FlyteFile("/tmp/a.csv") == FlyteFile("/tmp/a.csv") == "/tmp/a.csv"
    assert FlyteFile("/tmp/a.csv") != FlyteFile("/tmp/b.csv")
    assert FlyteFile["csv"]("s3://b/k") == FlyteFile("s3://b/k")
    assert repr(FlyteFile["csv"]("/tmp/a.csv")) == "FlyteFile[csv]('/tmp/a.csv')"
    assert str(FlyteFile("/tmp/a.csv")) == "/tmp/a.csv"
    assert FlyteFile("file:///tmp/a.csv").path == "/tmp/a.csv"
    remote = FlyteFile("s3://b/k.csv")
    assert remote.remote_source == remote.path == "s3://b/k.csv" and not remote.downloaded


# -- the command line ------------------------------------------------------------------------


def test_parse_text_takes_an_existing_path_or_a_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "in.csv").write_text("x")
    monkeypatch.chdir(tmp_path)
    value = parse_cli_value("in.csv", FlyteFile["csv"])
    assert type(value) is FlyteFile["csv"] and value.path == str(tmp_path / "in.csv")
    assert parse_cli_value("s3://bucket/in.csv", FlyteFile).remote_source == "s3://bucket/in.csv"
    with pytest.raises(TypeTransformerError, match=r"expected FlyteFile, got 'nope\.csv'"):
        parse_cli_value("nope.csv", FlyteFile)


def test_aloft_run_takes_a_file_path(tmp_path: Path) -> None:
    (tmp_path / "wf.py").write_text(
        textwrap.dedent(
            """
            from aloft import task, workflow
            from aloft.types.files import FlyteFile

            @task
            def count_rows(f: FlyteFile["csv"]) -> int:
                with open(f) as handle:
                    return len(handle.read().splitlines())

            @workflow
            def wf(f: FlyteFile["csv"]) -> int:
                return count_rows(f=f)
            """
        )
    )
    (tmp_path / "data.csv").write_text("a\nb\nc\n")
    result = subprocess.run(
        [sys.executable, "-m", "aloft", "run", "wf.py", "wf", "--f", "data.csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"
    missing = subprocess.run(
        [sys.executable, "-m", "aloft", "run", "wf.py", "wf", "--f", "missing.csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode == 2
    assert "--f" in missing.stderr and "missing.csv does not exist" in missing.stderr


# -- through workflows -----------------------------------------------------------------------

CsvFile = FlyteFile["csv"]  # flytekit users write FlyteFile["csv"] inline; linters read a name


@dataclass
class Report:
    title: str
    body: FlyteFile


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
def write_csv(rows: int) -> CsvFile:
    path = Path(current_context().working_directory) / "rows.csv"
    path.write_text("".join(f"{i},{i * i}\n" for i in range(rows)))
    return CsvFile(str(path))


@task
def sum_squares(f: CsvFile) -> int:
    with f.open("r") as handle:
        return sum(int(line.split(",")[1]) for line in handle)


@task
def make_report(title: str) -> Report:
    path = Path(current_context().working_directory) / "body.md"
    path.write_text(f"# {title}")
    return Report(title=title, body=FlyteFile(str(path)))


@task
def read_report(report: Report) -> str:
    return f"{report.title}|{Path(report.body.download()).read_text()}"


@task
def write_many(n: int) -> list[FlyteFile]:
    folder = Path(current_context().working_directory)
    paths = [folder / f"part-{i}.txt" for i in range(n)]
    for i, path in enumerate(paths):
        path.write_text(str(i))
    return [FlyteFile(str(p)) for p in paths]


@task
def join_all(files: list[FlyteFile]) -> str:
    return ",".join(Path(f).read_text() for f in files)


@workflow
def text_wf(text: str) -> str:
    return read_text(f=write_text(text=text))


@workflow
def csv_wf(rows: int) -> int:
    return sum_squares(f=write_csv(rows=rows))


@workflow
def report_wf(title: str) -> str:
    return read_report(report=make_report(title=title))


@workflow
def many_wf(n: int) -> str:
    return join_all(files=write_many(n=n))


@workflow
def produce_wf(text: str) -> FlyteFile:
    return write_text(text=text)


def test_a_file_written_by_one_task_is_read_by_the_next(store: BlobStore) -> None:
    assert text_wf(text="hello, file") == "hello, file"


def test_a_formatted_file_round_trips(store: BlobStore) -> None:
    assert csv_wf(rows=4) == 0 + 1 + 4 + 9


def test_a_dataclass_holding_a_file_round_trips(store: BlobStore) -> None:
    assert report_wf(title="Q3") == "Q3|# Q3"


def test_a_list_of_files_round_trips(store: BlobStore) -> None:
    assert many_wf(n=5) == "0,1,2,3,4"


def test_a_workflow_returns_a_lazy_file(store: BlobStore) -> None:
    execution = execute(produce_wf, {"text": "for the caller"})
    assert execution.succeeded, execution.error_message()
    literal = execution.output_literals()["o0"]
    assert isinstance(literal, BlobValue) and "/n0/0/raw/" in literal.uri
    value = execution.outputs()
    assert isinstance(value, FlyteFile) and not value.downloaded
    assert Path(value).read_text() == "for the caller"
