"""pandas, pyarrow, polars and numpy are optional: never imported unless the program uses them,
and a missing one is an error naming the extra to install."""

from __future__ import annotations

import subprocess
import sys
import textwrap

HEAVY = ("pandas", "pyarrow", "polars", "numpy")


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_plain_workflow_imports_no_dataframe_library() -> None:
    result = run_python(
        f"""
        import sys
        import aloft
        from aloft import task, workflow
        from aloft.types import literal_type_of

        @task
        def double(n: int) -> int:
            return n * 2

        @workflow
        def wf(n: int) -> list[int]:
            return [double(n=n), double(n=double(n=n))]

        assert wf(n=2) == [4, 8]
        import aloft.types.structured, aloft.types.arrays  # the transformers load lazily
        literal_type_of(dict[str, list[float]])
        print(sorted(m for m in {HEAVY!r} if m in sys.modules))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_pandas_without_pyarrow_names_the_extra_to_install() -> None:
    result = run_python(
        """
        import sys
        sys.modules["pyarrow"] = None  # as if pyarrow were not installed
        import pandas as pd
        from aloft import task, workflow
        from aloft.errors import ExecutionFailedError

        @task
        def make() -> pd.DataFrame:
            return pd.DataFrame({"a": [1]})

        @workflow
        def wf() -> pd.DataFrame:
            return make()

        try:
            wf()
        except ExecutionFailedError as error:
            print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "task __main__.make" in result.stdout
    assert "writing a pandas DataFrame as parquet needs pyarrow, which is not installed" in (
        result.stdout
    )
    assert "pip install 'aloft[pandas]'" in result.stdout


def test_polars_works_without_pyarrow_until_pandas_reads_its_table() -> None:
    result = run_python(
        """
        import sys
        sys.modules["pyarrow"] = None
        import pandas as pd
        import polars as pl
        from aloft import task, workflow
        from aloft.errors import ExecutionFailedError

        @task
        def make() -> pl.DataFrame:
            return pl.DataFrame({"a": [1, 2]})

        @task
        def total(df: pl.DataFrame) -> int:
            return int(df["a"].sum())

        @task
        def as_pandas(df: pd.DataFrame) -> int:
            return len(df)

        @workflow
        def polars_only() -> int:
            return total(df=make())

        @workflow
        def to_pandas() -> int:
            return as_pandas(df=make())

        print(polars_only())
        try:
            to_pandas()
        except ExecutionFailedError as error:
            print(error)
        """
    )
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.strip().splitlines()
    assert first == "3"
    assert "reading a parquet table needs pyarrow" in second
    assert "pip install 'aloft[pandas]'" in second
