"""A map task: double every number of range(n) as one array node, then sum the results.

Every item is a real task run (its own input conversion, attempts and outcome), handed to
workers in batches; the map node's record counts its items by phase.

aloft run examples/map_reduce.py wf --n 100000
aloft run --durable examples/map_reduce.py wf --n 100000
"""

from aloft import map_task, task, workflow


@task
def numbers(n: int) -> list[int]:
    """0, 1, ..., n - 1."""
    return list(range(n))


@task
def double(x: int) -> int:
    """Twice x."""
    return x * 2


@task
def total(values: list[int]) -> int:
    """The sum of the values."""
    return sum(values)


@workflow
def wf(n: int = 1000) -> int:
    """Sum of 2 * i for i below n."""
    return total(values=map_task(double)(x=numbers(n=n)))


@task
def inverse(x: int) -> float:
    """1 / x: fails for 0."""
    return 1 / x


@workflow
def tolerant(n: int = 5) -> list[float | None]:
    """The inverses of 0..n-1; half of the items may fail, and those come back as None."""
    return map_task(inverse, min_success_ratio=0.5, concurrency=4)(x=numbers(n=n))
