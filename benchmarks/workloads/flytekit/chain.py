"""chain: N sequential tasks, each adding 1 to the previous result (flytekit). Default N=100."""

import sys
import time

from flytekit import task, workflow

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100


@task
def inc(x: int) -> int:
    return x + 1


@workflow
def chain_wf(x: int = 0) -> int:
    value = x
    for _ in range(N):
        value = inc(x=value)
    return value


if __name__ == "__main__":
    start = time.perf_counter()
    result = chain_wf(x=0)
    print(f"TIME {time.perf_counter() - start:.6f}")
    print(f"RESULT {result}")
