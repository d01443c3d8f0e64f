"""Dataset literal types, the compiler's rule for them, and user-registered handlers."""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
import pytest

from aloft import kwtypes, task, workflow
from aloft.errors import CompileError, TypeTransformerError
from aloft.ir import (
    SimpleKind,
    SimpleType,
    StructField,
    StructuredDatasetType,
    StructuredDatasetValue,
)
from aloft.storage import DataContext
from aloft.types import literal_type_of, to_literal, to_python
from aloft.types.structured import (
    DuplicateHandlerError,
    StructuredDataset,
    StructuredDatasetDecoder,
    StructuredDatasetEncoder,
    StructuredDatasetTransformerEngine,
)
from aloft.types.structured.blobs import locate, write_blob

INT = SimpleType(simple=SimpleKind.INTEGER)
STR = SimpleType(simple=SimpleKind.STRING)
FLOAT = SimpleType(simple=SimpleKind.FLOAT)


@dataclass
class Point:
    x: int
    y: float


@pytest.mark.parametrize(
    ("py_type", "expected"),
    [
        (StructuredDataset, StructuredDatasetType()),
        (pd.DataFrame, StructuredDatasetType()),
        (
            Annotated[StructuredDataset, kwtypes(a=int, b=str)],
            StructuredDatasetType(
                columns=(StructField(name="a", type=INT), StructField(name="b", type=STR))
            ),
        ),
        (Annotated[pd.DataFrame, "csv"], StructuredDatasetType(format="csv")),
        (
            Annotated[StructuredDataset, {"a": int}, "parquet"],
            StructuredDatasetType(columns=(StructField(name="a", type=INT),), format="parquet"),
        ),
        (
            Annotated[StructuredDataset, kwtypes(p=Point, n=np.int32)],
            StructuredDatasetType(
                columns=(
                    StructField(name="p.x", type=INT),
                    StructField(name="p.y", type=FLOAT),
                    StructField(name="n", type=INT),
                )
            ),
        ),
        (
            Annotated[StructuredDataset, Point],
            StructuredDatasetType(
                columns=(StructField(name="x", type=INT), StructField(name="y", type=FLOAT))
            ),
        ),
    ],
)
def test_literal_types(py_type: Any, expected: StructuredDatasetType) -> None:
    assert literal_type_of(py_type) == expected


def test_two_formats_is_an_error() -> None:
    with pytest.raises(TypeTransformerError, match="declares two formats, 'csv' and 'parquet'"):
        literal_type_of(Annotated[StructuredDataset, "csv", "parquet"])


def test_an_unsupported_column_type_names_the_column() -> None:
    with pytest.raises(TypeTransformerError, match="column 'x'"):
        literal_type_of(Annotated[StructuredDataset, kwtypes(x=object)])


@task
def any_columns() -> pd.DataFrame:
    return pd.DataFrame({"a": [1], "b": ["x"]})


@task
def ab() -> Annotated[StructuredDataset, kwtypes(a=int, b=str)]:
    return StructuredDataset(dataframe=pd.DataFrame({"a": [1], "b": ["x"]}))


@task
def wants_a(df: Annotated[pd.DataFrame, kwtypes(a=int)]) -> int:
    return len(df.columns)


@task
def wants_a_as_str(df: Annotated[pd.DataFrame, kwtypes(a=str)]) -> int:
    return len(df.columns)


@task
def wants_c(df: Annotated[pd.DataFrame, kwtypes(c=int)]) -> int:
    return len(df.columns)


@task
def csv_out() -> Annotated[pd.DataFrame, "csv"]:
    return pd.DataFrame({"a": [1]})


@task
def wants_parquet(df: Annotated[pd.DataFrame, "parquet"]) -> int:
    return len(df)


@task
def wants_any(df: pd.DataFrame) -> int:
    return len(df)


def test_compatible_tables_compile_and_run() -> None:
    @workflow
    def ok() -> tuple[int, int, int]:
        return wants_a(df=any_columns()), wants_a(df=ab()), wants_any(df=csv_out())

    assert ok() == (1, 1, 1)


@pytest.mark.parametrize(
    ("producer", "consumer", "reason"),
    [
        (ab, wants_c, "it has no column 'c'; its columns are 'a', 'b'"),
        (ab, wants_a_as_str, "its column 'a' is int, not str"),
        (csv_out, wants_parquet, "it is stored as csv, not parquet"),
    ],
)
def test_incompatible_tables_do_not_compile(producer: Any, consumer: Any, reason: str) -> None:
    expected = "expected StructuredDataset, found StructuredDataset .*: " + re.escape(reason)
    with pytest.raises(CompileError, match=expected):

        @workflow
        def bad() -> int:
            return consumer(df=producer())  # type: ignore[no-any-return]


class Rows:
    """A toy dataframe library: a list of dict rows."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows


class RowsToJsonLines(StructuredDatasetEncoder):
    def __init__(self, python_type: type[Rows] = Rows) -> None:
        super().__init__(python_type, None, "jsonl")

    def encode(
        self,
        context: DataContext,
        structured_dataset: StructuredDataset,
        structured_dataset_type: StructuredDatasetType,
    ) -> StructuredDatasetValue:
        uri = context.new_uri("rows.jsonl")
        rows = structured_dataset.dataframe.rows
        text = "".join(json.dumps(row) + "\n" for row in rows).encode()
        digest = write_blob(context, uri, lambda sink: sink.write(text))
        return StructuredDatasetValue(uri=uri, hash=digest)


class JsonLinesToRows(StructuredDatasetDecoder):
    def __init__(self, protocol: str | None = None, python_type: type[Rows] = Rows) -> None:
        super().__init__(python_type, protocol, "jsonl")

    def decode(
        self,
        context: DataContext,
        flyte_value: StructuredDatasetValue,
        current_task_metadata: StructuredDatasetType,
    ) -> Rows:
        location = locate(context, flyte_value.uri)
        with location.open(location.path) as handle:
            rows = [json.loads(line) for line in handle]
        wanted = [c.name for c in current_task_metadata.columns]
        if wanted:
            rows = [{k: row[k] for k in wanted} for row in rows]
        if self.protocol == "file":
            rows.append({"via": "file decoder"})
        return self.python_type(rows)  # type: ignore[no-any-return]


StructuredDatasetTransformerEngine.register(RowsToJsonLines())
StructuredDatasetTransformerEngine.register(JsonLinesToRows())


@task
def make_rows() -> Rows:
    return Rows([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])


@task
def read_rows(rows: Annotated[Rows, kwtypes(a=int)]) -> list[dict[str, int]]:
    return rows.rows


@workflow
def rows_wf() -> list[dict[str, int]]:
    return read_rows(rows=make_rows())


def test_a_registered_library_passes_between_tasks() -> None:
    assert literal_type_of(Rows) == StructuredDatasetType()
    assert rows_wf() == [{"a": 1}, {"a": 2}]


def test_the_format_of_the_handler_is_recorded_and_decides_the_decoder() -> None:
    value = to_literal(Rows([{"a": 1}]), Rows)
    assert isinstance(value, StructuredDatasetValue) and value.format == "jsonl"
    with pytest.raises(TypeTransformerError, match="no decoder for DataFrame in format 'jsonl'"):
        to_python(value, pd.DataFrame)


def test_registering_twice_is_an_error_unless_overriding() -> None:
    with pytest.raises(DuplicateHandlerError, match="already registered"):
        StructuredDatasetTransformerEngine.register(JsonLinesToRows())
    StructuredDatasetTransformerEngine.register(JsonLinesToRows(), override=True)


def test_a_protocol_specific_handler_wins_over_a_generic_one() -> None:
    class LocalRows(Rows):
        pass

    StructuredDatasetTransformerEngine.register(RowsToJsonLines(LocalRows))
    StructuredDatasetTransformerEngine.register(JsonLinesToRows(python_type=LocalRows))
    value = to_literal(LocalRows([{"a": 1}]), LocalRows)
    assert to_python(value, LocalRows).rows == [{"a": 1}]
    StructuredDatasetTransformerEngine.register(JsonLinesToRows("file://", LocalRows))
    assert to_python(value, LocalRows).rows == [{"a": 1}, {"via": "file decoder"}]
    decoders = StructuredDatasetTransformerEngine.DECODERS[LocalRows]
    assert set(decoders) == {"any", "file"}


def test_a_handler_for_any_protocol_cannot_be_the_default() -> None:
    with pytest.raises(ValueError, match="cannot be the default"):
        StructuredDatasetTransformerEngine.register(RowsToJsonLines(), default_for_type=True)


def test_kwtypes_gives_ordered_columns() -> None:
    assert kwtypes(b=str, a=int) == OrderedDict([("b", str), ("a", int)])
