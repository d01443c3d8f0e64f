"""A dynamic workflow: its body runs when the node runs, on real values, and builds the
workflow that node then runs (here, one task per number, then their sum).

aloft run examples/dynamic.py fan_out_wf --n 500
"""

from aloft import dynamic, task, workflow


@task
def square(x: int) -> int:
    """x * x."""
    return x * x


@task
def total(values: list[int]) -> int:
    """The sum of the values."""
    return sum(values)


@dynamic
def squares(n: int) -> int:
    """A task per number below n, decided when n is known."""
    return total(values=[square(x=i) for i in range(n)])


@workflow
def fan_out_wf(n: int = 10) -> int:
    """The sum of the squares below n."""
    return squares(n=n)
