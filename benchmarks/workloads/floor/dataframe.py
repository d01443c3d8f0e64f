"""dataframe: the frame of N rows x 10 float64 columns generated, converted to Arrow, written to
a parquet file and read back with pyarrow directly, then checksummed: no orchestration (floor).
Default N=1,000,000."""

import os
import sys
import tempfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000


def make(n: int) -> pd.DataFrame:
    values = np.random.default_rng(42).random((n, 10))
    return pd.DataFrame(values, columns=[f"c{i}" for i in range(10)])


def round_trip(df: pd.DataFrame) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "frame.parquet")
        pq.write_table(pa.Table.from_pandas(df), path)
        return pq.read_table(path).to_pandas()


def checksum(df: pd.DataFrame) -> int:
    return int((df * 1000).round().astype("int64").to_numpy().sum())


if __name__ == "__main__":
    print(f"RESULT {checksum(round_trip(make(N)))}")
