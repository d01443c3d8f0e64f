"""A workflow calling a subworkflow, twice, and ordering nodes with ``>>``.

aloft run examples/subworkflow.py parent_wf --a 3 --b 4
"""

from typing import NamedTuple

from aloft import task, workflow


class Stats(NamedTuple):
    total: int
    product: int


@task
def add(x: int, y: int) -> int:
    """x + y."""
    return x + y


@task
def multiply(x: int, y: int) -> int:
    """x * y."""
    return x * y


@task
def announce(message: str) -> None:
    """Print a message (a task without outputs)."""
    print(message)


@workflow
def stats_wf(a: int, b: int) -> Stats:
    """Sum and product of two numbers."""
    return Stats(total=add(x=a, y=b), product=multiply(x=a, y=b))


@workflow
def parent_wf(a: int = 3, b: int = 4) -> int:
    """Run the subworkflow twice: on (a, b) and on its own results."""
    first = stats_wf(a=a, b=b)
    second = stats_wf(a=first.total, b=first.product)
    start = announce(message="starting the second round")
    start >> second.total
    return add(x=second.total, y=second.product)


if __name__ == "__main__":
    print(parent_wf(a=3, b=4))
