"""cache_map: map over 0..N-1 with a cached task; timed runs hit the cache that the warm-up
filled (flytekit). Default N=1000."""

import sys

from flytekit import map_task, task, workflow

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000


@task
def make_range(n: int) -> list[int]:
    return list(range(n))


@task(cache=True, cache_version="1")
def double(x: int) -> int:
    return x * 2


@task
def total(values: list[int]) -> int:
    return sum(values)


@workflow
def cache_map_wf(n: int = N) -> int:
    return total(values=map_task(double)(x=make_range(n=n)))


if __name__ == "__main__":
    print(f"RESULT {cache_map_wf(n=N)}")
