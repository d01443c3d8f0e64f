"""dynamic: a @dynamic workflow that creates N tasks (inc of 0..N-1) at run time and sums
them (aloft). Default N=500."""

import sys

from aloft import dynamic, task, workflow

N = int(sys.argv[1]) if len(sys.argv) > 1 else 500


@task
def inc(x: int) -> int:
    return x + 1


@task
def total(values: list[int]) -> int:
    return sum(values)


@dynamic
def fan_out(n: int) -> int:
    return total(values=[inc(x=i) for i in range(n)])


@workflow
def dynamic_wf(n: int = N) -> int:
    return fan_out(n=n)


if __name__ == "__main__":
    print(f"RESULT {dynamic_wf(n=N)}")
