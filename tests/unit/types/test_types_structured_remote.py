"""Tables and arrays on a store that is not the local disk (fsspec's in-memory filesystem
stands in for s3, gcs, abfs: every read and write goes through fsspec)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Annotated

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from aloft import kwtypes, task, workflow
from aloft.errors import TypeTransformerError
from aloft.ir import BlobValue, StructuredDatasetValue
from aloft.runner import execute
from aloft.storage import BlobStore, DataContext, data_context
from aloft.types import to_literal, to_python
from aloft.types.structured import StructuredDataset

FRAME = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"], "c": [0.5, 1.5, 2.5]})


@pytest.fixture
def store() -> Iterator[BlobStore]:
    store = BlobStore(f"memory://aloft-{uuid.uuid4().hex[:8]}")
    with data_context(DataContext(store, store.uri("raw", "t"), 1 << 20)):
        yield store


@task
def make() -> pd.DataFrame:
    return FRAME


@task
def as_polars(df: Annotated[pl.DataFrame, kwtypes(a=int, b=str)]) -> pl.DataFrame:
    return df.with_columns(pl.col("a") * 10)


@task
def as_arrow(table: pa.Table) -> int:
    return sum(table.column("a").to_pylist())


@workflow
def remote_wf() -> int:
    return as_arrow(table=as_polars(df=make()))


def test_a_workflow_passes_tables_through_a_remote_store(store: BlobStore) -> None:
    execution = execute(remote_wf, {})
    assert execution.outputs() == 60
    outputs = execution.node("n0").outputs
    assert outputs is not None
    value = outputs["o0"]
    assert isinstance(value, StructuredDatasetValue) and value.uri.startswith("memory://")
    assert value.hash == hashlib.sha256(store.read_bytes(value.uri)).hexdigest()


def test_csv_on_a_remote_store(store: BlobStore) -> None:
    value = to_literal(FRAME, Annotated[pd.DataFrame, "csv"])
    assert isinstance(value, StructuredDatasetValue) and value.format == "csv"
    pd.testing.assert_frame_equal(to_python(value, pd.DataFrame), FRAME)
    assert to_python(value, pl.DataFrame)["b"].to_list() == ["x", "y", "z"]


def test_a_remote_folder_of_parts_reads_as_one_table(store: BlobStore) -> None:
    folder = store.uri("external", "parts")
    for i, part in enumerate((FRAME.iloc[:2], FRAME.iloc[2:])):
        to_literal(StructuredDataset(dataframe=part, uri=f"{folder}/p{i}"), StructuredDataset)
    value = to_literal(StructuredDataset(uri=folder), StructuredDataset)
    assert isinstance(value, StructuredDatasetValue)
    assert value.uri == folder and value.hash  # passed by reference, keyed by its listing
    assert sorted(to_python(value, pd.DataFrame)["a"].tolist()) == [1, 2, 3]
    assert to_python(value, pl.DataFrame).height == 3


def test_a_remote_uri_that_does_not_exist_is_a_clear_error(store: BlobStore) -> None:
    with pytest.raises(TypeTransformerError, match="nothing is stored there"):
        to_literal(StructuredDataset(uri=store.uri("nope.parquet")), StructuredDataset)


def test_a_numpy_array_on_a_remote_store(store: BlobStore) -> None:
    array = np.arange(12, dtype=np.int32).reshape(3, 4)
    value = to_literal(array, np.ndarray)
    assert isinstance(value, BlobValue) and value.uri.startswith("memory://")
    back = to_python(value, np.ndarray)
    assert back.dtype == np.int32 and back.shape == (3, 4)
    np.testing.assert_array_equal(back, array)
