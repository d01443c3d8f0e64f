"""The tasks and workflows the aloft-server workloads register on the server and run there.

They live in a module of their own (not in the workload scripts, which run as ``__main__``):
registration needs an importable module, and the server's workers import this one by name
from the code bundle of this folder. The chain's length is fixed here, since a workflow is
compiled when its module is imported (by the client and by every worker); so is the fan-out's
width (the console's 1,000-node page).
"""

from aloft import map_task, task, workflow

CHAIN = 100
WIDE = 999


@task
def inc(x: int) -> int:
    return x + 1


@task
def double(x: int) -> int:
    return x * 2


@task
def make_range(n: int) -> list[int]:
    return list(range(n))


@task
def total(values: list[int]) -> int:
    return sum(values)


@workflow
def one_task(x: int) -> int:
    """A single task: what the launch workloads start by the hundred and the thousand."""
    return double(x=x)


@workflow
def chain_wf(x: int = 0) -> int:
    """CHAIN sequential tasks, each x + 1 of the previous."""
    value = x
    for _ in range(CHAIN):
        value = inc(x=value)
    return value


@workflow
def map_wf(n: int) -> int:
    """map_task doubling 0..n-1, then a sum (as workloads/aloft/map.py)."""
    return total(values=map_task(double)(x=make_range(n=n)))


@workflow
def wide_wf(x: int = 0) -> int:
    """WIDE independent tasks, then one summing them: a workflow of WIDE + 1 nodes."""
    return total(values=[inc(x=x) for _ in range(WIDE)])
