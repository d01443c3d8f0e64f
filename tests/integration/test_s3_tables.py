"""Dataframes, arrays and offloaded literals through workflows on an S3 blob store."""

from __future__ import annotations

from typing import Annotated

import numpy as np
import pandas as pd
import polars as pl
import pytest
from s3_server import BUCKET

from aloft import StructuredDataset, kwtypes, task, workflow
from aloft.ir import BlobValue, OffloadedValue, StructuredDatasetValue
from aloft.runner import execute
from aloft.storage import BlobStore, DataContext, data_context

pytestmark = pytest.mark.integration

PREFIX = f"s3://{BUCKET}/aloft/"


@task
def make_frame(n: int) -> pd.DataFrame:
    return pd.DataFrame({"a": range(n), "b": [i * 0.5 for i in range(n)], "c": ["x"] * n})


@task
def column_sum(df: Annotated[StructuredDataset, kwtypes(b=float)]) -> float:
    frame = df.open(pd.DataFrame).all()
    assert list(frame.columns) == ["b"]
    return float(frame["b"].sum())


@task
def make_polars(n: int) -> pl.DataFrame:
    return pl.DataFrame({"x": list(range(n))})


@task
def pandas_total(df: pd.DataFrame) -> int:
    return int(df["x"].sum())


@task
def make_array(n: int) -> np.ndarray:
    return np.arange(n, dtype=np.int32).reshape(2, -1)


@task
def array_shape(a: np.ndarray) -> list[int]:
    return [*a.shape, int(a.sum())]


@task
def many(n: int) -> list[int]:
    return list(range(n))


@task
def count(values: list[int]) -> int:
    return len(values)


@workflow
def frames_wf(n: int) -> tuple[float, int]:
    return column_sum(df=make_frame(n=n)), pandas_total(df=make_polars(n=n))


@workflow
def array_wf(n: int) -> list[int]:
    return array_shape(a=make_array(n=n))


@workflow
def offload_wf(n: int) -> int:
    return count(values=many(n=n))


def test_tables_round_trip_through_s3_with_column_subsets_and_across_libraries(
    store: BlobStore,
) -> None:
    execution = execute(frames_wf, {"n": 100})
    assert execution.outputs() == (sum(i * 0.5 for i in range(100)), sum(range(100)))
    produced = execution.node("n0").outputs
    assert produced is not None
    table = produced["o0"]
    assert isinstance(table, StructuredDatasetValue) and table.uri.startswith(PREFIX)
    assert table.hash


def test_arrays_round_trip_through_s3(store: BlobStore) -> None:
    execution = execute(array_wf, {"n": 10})
    assert execution.outputs() == [2, 5, 45]
    produced = execution.node("n0").outputs
    assert produced is not None
    array = produced["o0"]
    assert isinstance(array, BlobValue) and array.uri.startswith(PREFIX)


def test_large_literals_are_offloaded_to_s3(store: BlobStore) -> None:
    with data_context(DataContext(store, store.uri("raw", "small"), offload_threshold_bytes=100)):
        execution = execute(offload_wf, {"n": 1000})
    assert execution.outputs() == 1000
    produced = execution.node("n0").outputs
    assert produced is not None
    offloaded = produced["o0"]
    assert isinstance(offloaded, OffloadedValue) and offloaded.uri.startswith(PREFIX)
