"""dataframe: pandas DataFrames of N rows passed between three tasks (prefect). Default
N=1,000,000."""

import sys

import pandas as pd
from prefect import flow, task

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


@flow
def dataframe_flow(n: int = N) -> int:
    return column_sum(add(make(n)))


if __name__ == "__main__":
    print(f"RESULT {dataframe_flow(n=N)}")
