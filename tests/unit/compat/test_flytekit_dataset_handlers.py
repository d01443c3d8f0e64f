"""Structured dataset encoders and decoders written with flytekit's signatures."""

from __future__ import annotations

import csv
import os
from typing import Annotated, Any

import pytest

from aloft import (
    FlyteContext,
    StructuredDataset,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
    StructuredDatasetTransformerEngine,
    kwtypes,
    task,
    workflow,
)
from aloft.compat import literals
from aloft.compat.literal_types import StructuredDatasetType
from aloft.compat.literals import StructuredDatasetMetadata
from aloft.errors import ExecutionFailedError


class Rows:
    """A table as a list of dicts: a dataframe type aloft knows nothing of."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows


class RowsToCSV(StructuredDatasetEncoder):
    def encode(
        self,
        ctx: FlyteContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> literals.StructuredDataset:
        rows = structured_dataset.dataframe.rows
        local_dir = ctx.file_access.get_random_local_directory()
        with open(os.path.join(local_dir, "00000"), "w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        path = ctx.file_access.get_random_remote_directory()
        ctx.file_access.upload_directory(local_dir, path)
        return literals.StructuredDataset(
            uri=path,
            metadata=StructuredDatasetMetadata(StructuredDatasetType(format="rows-csv")),
        )


class CSVToRows(StructuredDatasetDecoder):
    def decode(
        self,
        ctx: FlyteContext,
        flyte_value: literals.StructuredDataset,
        current_task_metadata: StructuredDatasetMetadata,
    ) -> Rows:
        local_dir = ctx.file_access.get_random_local_directory()
        ctx.file_access.get_data(flyte_value.uri, local_dir, is_multipart=True)
        with open(os.path.join(local_dir, "00000"), newline="") as handle:
            rows = list(csv.DictReader(handle))
        declared = current_task_metadata.structured_dataset_type
        if declared is not None and declared.columns:
            wanted = [column.name for column in declared.columns]
            rows = [{name: row[name] for name in wanted} for row in rows]
        return Rows(rows)


class NotAStoredDataset(StructuredDatasetEncoder):
    def encode(self, ctx: Any, structured_dataset: Any, structured_dataset_type: Any) -> Any:
        return "s3://somewhere"


class Bad:
    rows: list[Any] = []


StructuredDatasetTransformerEngine.register(RowsToCSV(Rows, None, "rows-csv"))
StructuredDatasetTransformerEngine.register(CSVToRows(Rows, None, "rows-csv"))
StructuredDatasetTransformerEngine.register(NotAStoredDataset(Bad, None, "bad"))


@task
def make_rows() -> Rows:
    return Rows([{"a": "1", "b": "x"}, {"a": "2", "b": "y"}])


@task
def first_column(sd: Annotated[StructuredDataset, kwtypes(a=int)]) -> list[str]:
    return [row["a"] + "|" + ",".join(sorted(row)) for row in sd.open(Rows).all().rows]


@workflow
def rows_wf() -> list[str]:
    return first_column(sd=make_rows())


def test_a_flytekit_encoder_and_decoder_carry_a_table_between_tasks() -> None:
    assert rows_wf() == ["1|a", "2|a"]


def test_the_stored_format_is_what_the_encoder_returned() -> None:
    stored = make_rows()
    assert isinstance(stored, Rows)
    assert [row["b"] for row in stored.rows] == ["x", "y"]


def test_an_encoder_returning_something_else_is_named() -> None:
    @task
    def bad() -> Bad:
        return Bad()

    with pytest.raises(ExecutionFailedError, match="encoder NotAStoredDataset returned str"):
        bad()
