"""map: Task.map doubling 0..N-1, then one task summing the results (prefect). Default
N=1000."""

import sys
import time

from prefect import flow, task

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


@task
def make_range(n: int) -> list[int]:
    return list(range(n))


@task
def double(x: int) -> int:
    return x * 2


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow
def map_flow(n: int = N) -> int:
    return total(double.map(make_range(n)))


if __name__ == "__main__":
    start = time.perf_counter()
    result = map_flow(n=N)
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
