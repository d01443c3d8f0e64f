"""dataframe: a pandas DataFrame of N rows x 10 float64 columns made by one task and
checksummed by another, passed as an in-memory return value with Prefect's default result
handling (prefect). Default N=1,000,000."""

import sys

import numpy as np
import pandas as pd
from prefect import flow, task

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


@task
def make(n: int) -> pd.DataFrame:
    values = np.random.default_rng(42).random((n, 10))
    return pd.DataFrame(values, columns=[f"c{i}" for i in range(10)])


@task
def checksum(df: pd.DataFrame) -> int:
    return int((df * 1000).round().astype("int64").to_numpy().sum())


@flow
def dataframe_flow(n: int = N) -> int:
    return checksum(make(n))


if __name__ == "__main__":
    print(f"RESULT {dataframe_flow(n=N)}")
