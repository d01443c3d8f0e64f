"""chain: N sequential tasks, each adding 1 to the previous result (prefect). Default N=100."""

import sys
import time

from prefect import flow, task

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100


@task
def inc(x: int) -> int:
    return x + 1


@flow
def chain_flow(n: int = N, x: int = 0) -> int:
    value = x
    for _ in range(n):
        value = inc(value)
    return value


if __name__ == "__main__":
    start = time.perf_counter()
    result = chain_flow(n=N, x=0)
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
