"""pyarrow Tables and polars frames between tasks, and across libraries (polars -> pandas)."""

from __future__ import annotations

from typing import Annotated

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from aloft import kwtypes, task, workflow
from aloft.ir import StructuredDatasetType, StructuredDatasetValue
from aloft.types import literal_type_of, to_literal, to_python
from aloft.types.structured import StructuredDataset


@task
def arrow_table() -> pa.Table:
    return pa.table({"a": [1, 2, 3], "b": ["x", "y", "z"], "c": [0.5, None, 2.5]})


@task
def arrow_sum(table: pa.Table) -> int:
    return sum(table.column("a").to_pylist())


@task
def arrow_columns(table: Annotated[pa.Table, kwtypes(b=str)]) -> list[str]:
    return list(table.column_names)


@workflow
def arrow_wf() -> tuple[int, list[str], pa.Table]:
    table = arrow_table()
    return arrow_sum(table=table), arrow_columns(table=table), table


def test_an_arrow_table_passes_between_tasks() -> None:
    total, columns, table = arrow_wf()
    assert (total, columns) == (6, ["b"])
    assert table.equals(pa.table({"a": [1, 2, 3], "b": ["x", "y", "z"], "c": [0.5, None, 2.5]}))


@task
def polars_frame() -> pl.DataFrame:
    return pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})


@task
def pandas_reader(df: pd.DataFrame) -> str:
    return f"{type(df).__name__} {list(df.columns)} {df['a'].tolist()} {df['b'].tolist()}"


@task
def polars_reader(df: pl.DataFrame) -> int:
    return int(df["a"].sum())


@task
def pandas_frame() -> pd.DataFrame:
    return pd.DataFrame({"a": [10, 20], "b": ["p", "q"]})


@workflow
def across_wf() -> tuple[str, int]:
    return pandas_reader(df=polars_frame()), polars_reader(df=pandas_frame())


def test_a_polars_frame_reads_as_pandas_and_a_pandas_frame_as_polars() -> None:
    assert across_wf() == ("DataFrame ['a', 'b'] [1, 2, 3] ['x', 'y', 'z']", 30)


@task
def lazy() -> pl.LazyFrame:
    return pl.LazyFrame({"a": [1, 2, 3]}).with_columns((pl.col("a") * 10).alias("b"))


@task
def lazy_reader(frame: Annotated[pl.LazyFrame, kwtypes(b=int)]) -> list[int]:
    return frame.collect()["b"].to_list()


@workflow
def lazy_wf() -> list[int]:
    return lazy_reader(frame=lazy())


def test_a_lazy_frame_is_collected_when_stored_and_read_lazily() -> None:
    assert lazy_wf() == [10, 20, 30]


@task
def wrapped() -> StructuredDataset:
    return StructuredDataset(dataframe=pl.DataFrame({"a": [1, 2], "z": [0.1, 0.2]}))


@task
def as_every_type(sd: Annotated[StructuredDataset, kwtypes(a=int)]) -> list[str]:
    kinds = [sd.open(t).all() for t in (pd.DataFrame, pa.Table, pl.DataFrame)]
    names = [k.column_names if isinstance(k, pa.Table) else list(k.columns) for k in kinds]
    return [f"{type(k).__name__}:{n}" for k, n in zip(kinds, names, strict=True)]


@workflow
def wrapped_wf() -> list[str]:
    return as_every_type(sd=wrapped())


def test_a_structured_dataset_of_polars_opens_as_any_library() -> None:
    assert wrapped_wf() == ["DataFrame:['a']", "Table:['a']", "DataFrame:['a']"]


def test_every_dataframe_type_has_the_same_literal_type() -> None:
    for py_type in (pd.DataFrame, pl.DataFrame, pl.LazyFrame, pa.Table, StructuredDataset):
        assert literal_type_of(py_type) == StructuredDatasetType()


def test_polars_writes_the_same_bytes_for_the_same_frame() -> None:
    frame = pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    first, second = to_literal(frame, pl.DataFrame), to_literal(frame.clone(), pl.DataFrame)
    assert isinstance(first, StructuredDatasetValue) and isinstance(second, StructuredDatasetValue)
    assert first.hash == second.hash and first.uri != second.uri


def test_arrow_and_polars_csv_round_trips() -> None:
    table = pa.table({"a": [1, 2], "b": ["x", "y"]})
    value = to_literal(table, Annotated[pa.Table, "csv"])
    assert isinstance(value, StructuredDatasetValue) and value.format == "csv"
    assert to_python(value, pa.Table).equals(table)
    assert to_python(value, pl.DataFrame).equals(pl.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    polars_csv = to_literal(pl.DataFrame({"a": [3]}), Annotated[pl.DataFrame, "csv"])
    assert isinstance(polars_csv, StructuredDatasetValue) and polars_csv.format == "csv"
    assert to_python(polars_csv, pd.DataFrame)["a"].tolist() == [3]


def test_a_polars_value_for_a_pandas_output_is_a_type_error() -> None:
    message = r"expected DataFrame, got DataFrame \(a polars\.\S+, not a pandas\.\S+\)"
    with pytest.raises(Exception, match=message):
        to_literal(pl.DataFrame({"a": [1]}), pd.DataFrame)
