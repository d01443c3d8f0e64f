"""wide: N independent tasks (inc of 0..N-1), then one task summing them (aloft).
Default N=200."""

import sys

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
    print(f"RESULT {wide_wf()}")
