"""pandas DataFrames and ``StructuredDataset`` passed between tasks as parquet in the blob store."""

from __future__ import annotations

import datetime
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from aloft import kwtypes, task, workflow
from aloft.errors import ExecutionFailedError
from aloft.ir import StructuredDatasetValue, literal_hash
from aloft.runner import execute
from aloft.storage import current_data_context
from aloft.types import to_literal, to_python
from aloft.types.structured import StructuredDataset


def sample() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": [1, 2, 3],
            "b": ["x", "y", "z"],
            "c": [0.5, 1.5, 2.5],
            "flag": [True, False, True],
            "when": pd.to_datetime(["2024-01-01 00:00", "2024-06-30 12:00", "2025-12-31 23:59"]),
        }
    )


def stored_bytes(value: StructuredDatasetValue) -> bytes:
    return current_data_context().store.read_bytes(value.uri)


@task
def make() -> pd.DataFrame:
    return sample()


@task
def passthrough(df: pd.DataFrame) -> pd.DataFrame:
    return df


@workflow
def roundtrip_wf() -> pd.DataFrame:
    return passthrough(df=make())


def test_a_dataframe_passes_between_tasks_unchanged() -> None:
    pd.testing.assert_frame_equal(roundtrip_wf(), sample())


def test_the_value_is_a_parquet_file_in_the_store_hashed_as_written() -> None:
    execution = execute(roundtrip_wf, {})
    outputs = execution.node("n0").outputs
    assert outputs is not None
    value = outputs["o0"]
    assert isinstance(value, StructuredDatasetValue)
    assert value.format == "parquet"
    assert value.uri.startswith(current_data_context().store.root)
    assert "/n0/0/raw/" in value.uri and value.uri.endswith(".parquet")
    data = stored_bytes(value)
    assert data[:4] == b"PAR1"
    assert value.hash == hashlib.sha256(data).hexdigest()


def test_equal_frames_written_twice_have_equal_hashes() -> None:
    # pyarrow writes the same bytes for the same frame (no timestamps in the file), so equal
    # frames get equal content hashes even though they are stored at two places.
    first = to_literal(sample(), pd.DataFrame)
    second = to_literal(sample(), pd.DataFrame)
    other = to_literal(sample().assign(a=[1, 2, 4]), pd.DataFrame)
    assert isinstance(first, StructuredDatasetValue) and isinstance(second, StructuredDatasetValue)
    assert first.uri != second.uri
    assert first.hash == second.hash and literal_hash(first) == literal_hash(second)
    assert isinstance(other, StructuredDatasetValue) and other.hash != first.hash


def test_a_named_index_survives_and_a_default_one_stays_a_range() -> None:
    indexed = sample().set_index("b")
    back = to_python(to_literal(indexed, pd.DataFrame), pd.DataFrame)
    pd.testing.assert_frame_equal(back, indexed)
    plain = to_python(to_literal(sample(), pd.DataFrame), pd.DataFrame)
    assert isinstance(plain.index, pd.RangeIndex)


@task
def wide() -> pd.DataFrame:
    return pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": [0.5, 1.5]})


@task
def two_columns(df: Annotated[pd.DataFrame, kwtypes(a=int, c=float)]) -> list[str]:
    return [str(c) for c in df.columns]


@task
def opened_columns(sd: Annotated[StructuredDataset, kwtypes(c=float)]) -> list[str]:
    return [str(c) for c in sd.open(pd.DataFrame).all().columns]


@workflow
def subset_wf() -> tuple[list[str], list[str]]:
    df = wide()
    return two_columns(df=df), opened_columns(sd=df)


def test_only_the_declared_columns_arrive() -> None:
    assert subset_wf() == (["a", "c"], ["c"])


@task
def declared() -> Annotated[StructuredDataset, kwtypes(a=int, b=str)]:
    return StructuredDataset(dataframe=pd.DataFrame({"a": [1], "b": ["x"], "c": [0.5]}))


@task
def columns_of(df: pd.DataFrame) -> list[str]:
    return [str(c) for c in df.columns]


@workflow
def declared_output_wf() -> list[str]:
    return columns_of(df=declared())


def test_an_output_declaring_columns_stores_only_those() -> None:
    assert declared_output_wf() == ["a", "b"]


@task
def declares_missing() -> Annotated[pd.DataFrame, kwtypes(a=int, z=str)]:
    return pd.DataFrame({"a": [1]})


@workflow
def missing_column_wf() -> list[str]:
    return columns_of(df=declares_missing())


def test_a_declared_column_missing_from_the_frame_is_a_clear_error() -> None:
    with pytest.raises(ExecutionFailedError, match=r"has no column 'z'; its columns are 'a'"):
        missing_column_wf()


def test_reading_a_column_the_stored_table_lacks_is_a_clear_error() -> None:
    value = to_literal(pd.DataFrame({"a": [1]}), pd.DataFrame)
    with pytest.raises(Exception, match=r"has no column 'nope'; its columns are 'a'"):
        to_python(value, Annotated[pd.DataFrame, kwtypes(nope=int)])


@task
def open_as_many(sd: StructuredDataset) -> tuple[int, int, str, str]:
    frame = sd.open(pd.DataFrame).all()
    table = sd.open(pa.Table).all()
    parts = list(sd.open(pd.DataFrame).iter())
    assert sd.uri is not None and sd.uri.endswith(".parquet")
    return len(frame), table.num_rows, sd.file_format, type(parts[0]).__name__


@workflow
def open_wf() -> tuple[int, int, str, str]:
    return open_as_many(sd=make())


def test_a_structured_dataset_opens_as_the_type_asked_for() -> None:
    assert open_wf() == (3, 3, "parquet", "DataFrame")


def test_all_without_open_says_to_call_open() -> None:
    sd = to_python(to_literal(sample(), pd.DataFrame), StructuredDataset)
    with pytest.raises(ValueError, match=r"call open\(\)"):
        sd.all()


def test_a_dataset_made_in_the_task_opens_without_being_stored() -> None:
    df = sample()
    sd = StructuredDataset(dataframe=df)
    assert sd.open(pd.DataFrame).all() is df
    assert sd.open(pa.Table).all().num_rows == 3  # stored, then read as the other type


@task
def relay(sd: StructuredDataset) -> StructuredDataset:
    return sd


@workflow
def relay_wf() -> StructuredDataset:
    return relay(sd=make())


def test_a_dataset_returned_as_received_is_not_written_again() -> None:
    execution = execute(relay_wf, {})
    made = execution.node("n0").outputs
    relayed = execution.node("n1").outputs
    assert made is not None and relayed is not None
    assert relayed["o0"] == made["o0"]


@task
def as_csv() -> Annotated[pd.DataFrame, "csv"]:
    return sample().drop(columns=["when"])


@workflow
def csv_wf() -> pd.DataFrame:
    return passthrough(df=as_csv())


def test_a_format_annotation_stores_csv() -> None:
    execution = execute(csv_wf, {})
    outputs = execution.node("n0").outputs
    assert outputs is not None
    value = outputs["o0"]
    assert isinstance(value, StructuredDatasetValue) and value.format == "csv"
    assert stored_bytes(value).startswith(b"a,b,c,flag\n1,x,0.5,True\n")
    pd.testing.assert_frame_equal(execution.outputs(), sample().drop(columns=["when"]))


@task
def from_path(path: str) -> StructuredDataset:
    return StructuredDataset(uri=path, file_format="csv")


@workflow
def path_wf(path: str) -> pd.DataFrame:
    return passthrough(df=from_path(path=path))


def test_a_dataset_given_by_local_path_is_uploaded_to_the_store(tmp_path: Path) -> None:
    source = tmp_path / "input.csv"
    source.write_text("a,b\n1,x\n2,y\n")
    execution = execute(path_wf, {"path": str(source)})
    outputs = execution.node("n0").outputs
    assert outputs is not None
    value = outputs["o0"]
    assert isinstance(value, StructuredDatasetValue)
    assert value.uri.startswith(current_data_context().store.root)
    assert value.hash == hashlib.sha256(source.read_bytes()).hexdigest()
    expected = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    pd.testing.assert_frame_equal(execution.outputs(), expected)


def test_a_dataset_written_to_a_folder_the_user_chose(tmp_path: Path) -> None:
    target = tmp_path / "chosen"
    value = to_literal(StructuredDataset(dataframe=sample(), uri=str(target)), StructuredDataset)
    assert isinstance(value, StructuredDatasetValue)
    assert value.uri == f"file://{target}/00000.parquet"
    assert (target / "00000.parquet").is_file()


@dataclass
class Report:
    title: str
    table: pd.DataFrame


@task
def make_report() -> Report:
    return Report(title="sales", table=sample())


@task
def rows_of(report: Report) -> str:
    return f"{report.title}: {len(report.table)} rows, {list(report.table.columns)}"


@workflow
def report_wf() -> str:
    return rows_of(report=make_report())


def test_a_dataclass_with_a_dataframe_field() -> None:
    assert report_wf() == "sales: 3 rows, ['a', 'b', 'c', 'flag', 'when']"


@task
def not_a_frame() -> pd.DataFrame:
    return [1, 2]  # type: ignore[return-value]


@workflow
def wrong_value_wf() -> pd.DataFrame:
    return not_a_frame()


def test_a_value_that_is_not_a_frame_is_a_type_error() -> None:
    with pytest.raises(ExecutionFailedError, match="expected DataFrame, got list"):
        wrong_value_wf()


ROWS, COLUMNS = 1_000_000, 10


@task
def big() -> pd.DataFrame:
    data = np.random.default_rng(7).random((ROWS, COLUMNS))
    return pd.DataFrame(data, columns=[f"c{i}" for i in range(COLUMNS)])


@task
def summary(df: pd.DataFrame) -> tuple[int, int, float]:
    return df.shape[0], df.shape[1], float(sum(df[c].sum() for c in df.columns))


@workflow
def big_wf() -> tuple[int, int, float]:
    return summary(df=big())


def test_a_million_row_frame_passes_between_two_tasks() -> None:
    data = np.random.default_rng(7).random((ROWS, COLUMNS))
    start = time.perf_counter()
    rows, columns, total = big_wf()
    elapsed = time.perf_counter() - start
    assert (rows, columns) == (ROWS, COLUMNS)
    assert total == pytest.approx(float(data.sum()), rel=1e-12)
    assert elapsed < 30, f"took {elapsed:.2f}s"


def test_naive_and_aware_datetimes_keep_their_zone() -> None:
    aware = pd.DataFrame({"t": [datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)]})
    back = to_python(to_literal(aware, pd.DataFrame), pd.DataFrame)
    pd.testing.assert_frame_equal(back, aware)
