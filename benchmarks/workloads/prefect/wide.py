"""wide: N independent tasks (inc of 0..N-1) submitted together, then one task summing them
(prefect). Default N=200."""

import sys
import time

from prefect import flow, task

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200


@task
def inc(x: int) -> int:
    return x + 1


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow
def wide_flow(n: int = N) -> int:
    futures = [inc.submit(i) for i in range(n)]
    return total(futures)


if __name__ == "__main__":
    start = time.perf_counter()
    result = wide_flow(n=N)
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
