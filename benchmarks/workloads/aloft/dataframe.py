"""dataframe: pandas DataFrames of N rows passed between three tasks (aloft). Default
N=1,000,000."""

import sys

import pandas as pd

from aloft import task, workflow

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


@task
def make(n: int) -> pd.DataFrame:
    return pd.DataFrame({"a": range(n)}).assign(b=lambda df: df["a"] * 2)


@task
def add(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(c=df["a"] + df["b"])


@task
def column_sum(df: pd.DataFrame) -> int:
    return int(df["c"].sum())


@workflow
def dataframe_wf(n: int = N) -> int:
    return column_sum(df=add(df=make(n=n)))


if __name__ == "__main__":
    print(f"RESULT {dataframe_wf(n=N)}")
