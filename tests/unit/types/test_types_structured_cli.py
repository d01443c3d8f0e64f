"""Tables as command-line inputs: the path or URL of a parquet or CSV file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Annotated

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from aloft import kwtypes
from aloft.errors import TypeTransformerError
from aloft.types import parse_cli_value
from aloft.types.structured import StructuredDataset

FRAME = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    csv = tmp_path / "data.csv"
    FRAME.to_csv(csv, index=False)
    parquet = tmp_path / "data.parquet"
    pq.write_table(pa.Table.from_pandas(FRAME), parquet)
    return {"csv": csv, "parquet": parquet}


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_file_parses_as_a_pandas_frame(files: dict[str, Path], kind: str) -> None:
    pd.testing.assert_frame_equal(parse_cli_value(str(files[kind]), pd.DataFrame), FRAME)


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_file_parses_as_polars_and_arrow(files: dict[str, Path], kind: str) -> None:
    assert parse_cli_value(str(files[kind]), pl.DataFrame)["a"].to_list() == [1, 2, 3]
    assert parse_cli_value(str(files[kind]), pa.Table).column("b").to_pylist() == ["x", "y", "z"]


def test_declared_columns_apply_to_a_file(files: dict[str, Path]) -> None:
    df = parse_cli_value(str(files["csv"]), Annotated[pd.DataFrame, kwtypes(b=str)])
    assert list(df.columns) == ["b"]


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_a_file_parses_as_a_structured_dataset_pointing_at_it(
    files: dict[str, Path], kind: str
) -> None:
    sd = parse_cli_value(str(files[kind]), StructuredDataset)
    assert isinstance(sd, StructuredDataset)
    assert sd.uri == f"file://{files[kind]}" and sd.file_format == kind
    pd.testing.assert_frame_equal(sd.open(pd.DataFrame).all(), FRAME)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TypeTransformerError, match=r"no such file or folder: '.*nope\.csv'"):
        parse_cli_value(str(tmp_path / "nope.csv"), pd.DataFrame)


WORKFLOW = """
    import pandas as pd
    from aloft import task, workflow
    from aloft.types.structured import StructuredDataset

    @task
    def total(df: pd.DataFrame) -> int:
        return int(df["a"].sum())

    @task
    def width(sd: StructuredDataset) -> int:
        return len(sd.open(pd.DataFrame).all().columns)

    @workflow
    def wf(df: pd.DataFrame, sd: StructuredDataset) -> tuple[int, int]:
        return total(df=df), width(sd=sd)
"""


def test_aloft_run_reads_table_inputs_from_files(files: dict[str, Path], tmp_path: Path) -> None:
    program = tmp_path / "tables.py"
    program.write_text(textwrap.dedent(WORKFLOW))
    argv = ["run", str(program), "wf", "--df", "data.csv", "--sd", "data.parquet"]
    result = subprocess.run(
        [sys.executable, "-m", "aloft", *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "o0: 6\no1: 2\n"


def test_aloft_run_names_the_input_of_a_missing_file(tmp_path: Path) -> None:
    program = tmp_path / "tables.py"
    program.write_text(textwrap.dedent(WORKFLOW))
    argv = ["run", str(program), "wf", "--df", "missing.csv", "--sd", "missing.csv"]
    result = subprocess.run(
        [sys.executable, "-m", "aloft", *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "--df" in result.stderr and "no such file or folder" in result.stderr
