"""dynamic: N tasks (inc of 0..N-1) created at run time by a subflow, then summed (prefect).
Prefect flows are dynamic by nature; the subflow stands for flytekit's @dynamic. Default
N=500."""

import sys

from prefect import flow, task

N = int(sys.argv[1]) if len(sys.argv) > 1 else 500


@task
def inc(x: int) -> int:
    return x + 1


@task
def total(values: list[int]) -> int:
    return sum(values)


@flow
def fan_out(n: int) -> int:
    return total([inc.submit(i) for i in range(n)])


@flow
def dynamic_flow(n: int = N) -> int:
    return fan_out(n)


if __name__ == "__main__":
    print(f"RESULT {dynamic_flow(n=N)}")
