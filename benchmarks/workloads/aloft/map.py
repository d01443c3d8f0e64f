"""map: map_task doubling 0..N-1, then one task summing the results (aloft). Default N=1000."""

import sys

from aloft import map_task, task, workflow

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


@workflow
def map_wf(n: int = N) -> int:
    return total(values=map_task(double)(x=make_range(n=n)))


if __name__ == "__main__":
    print(f"RESULT {map_wf(n=N)}")
