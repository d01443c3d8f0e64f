"""wide: N independent tasks (inc of 0..N-1), then one task summing them (aloft).
Default N=200."""

import sys
import time

from aloft import task, workflow

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200


@task
def inc(x: int) -> int:
    return x + 1


@task
def total(values: list[int]) -> int:
    return sum(values)


@workflow
def wide_wf() -> int:
    return total(values=[inc(x=i) for i in range(N)])


if __name__ == "__main__":
    start = time.perf_counter()
    result = wide_wf()
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
