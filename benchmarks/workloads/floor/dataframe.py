"""dataframe: the three DataFrame functions called directly on N rows (floor). Default
N=1,000,000."""

import sys

import pandas as pd

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def make(n: int) -> pd.DataFrame:
    return pd.DataFrame({"a": range(n)}).assign(b=lambda df: df["a"] * 2)


def add(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(c=df["a"] + df["b"])


def column_sum(df: pd.DataFrame) -> int:
    return int(df["c"].sum())


if __name__ == "__main__":
    print(f"RESULT {column_sum(df=add(df=make(n=N)))}")
