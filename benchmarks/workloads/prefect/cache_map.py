"""cache_map: Task.map over 0..N-1 with a task cached on its inputs; timed runs hit the cache
that the warm-up filled (prefect). Default N=1000."""

import sys

from prefect import flow, task
from prefect.cache_policies import INPUTS

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


@task
def make_range(n: int) -> list[int]:
    return list(range(n))


@task(cache_policy=INPUTS, persist_result=True)
def double(x: int) -> int:
    return x * 2


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow
def cache_map_flow(n: int = N) -> int:
    return total(double.map(make_range(n)))


if __name__ == "__main__":
    print(f"RESULT {cache_map_flow(n=N)}")
