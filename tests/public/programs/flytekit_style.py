"""A program written for flytekit; the test swaps its imports for aloft's and nothing else."""

import typing
from dataclasses import dataclass

from flytekit import Resources, task, workflow


@dataclass
class Stats:
    count: int
    mean: float


class Split(typing.NamedTuple):
    small: list[int]
    large: list[int]


@task(retries=2, requests=Resources(cpu="1", mem="200Mi"))
def generate(n: int) -> list[int]:
    return [(i * 37) % 101 for i in range(n)]


@task
def split(values: list[int], threshold: int = 50) -> Split:
    return Split(
        small=[v for v in values if v < threshold], large=[v for v in values if v >= threshold]
    )


@task
def stats(values: list[int]) -> Stats:
    return Stats(count=len(values), mean=sum(values) / len(values) if values else 0.0)


@task
def describe(name: str, stats: Stats, scale: float | None = None) -> str:
    mean = stats.mean * (scale or 1.0)
    return f"{name}: {stats.count} values, mean {mean:.3f}"


@workflow
def summary_wf(n: int = 50) -> tuple[str, str, int]:
    values = generate(n=n)
    parts = split(values=values)
    small = stats(values=parts.small)
    large = stats(values=parts.large)
    return (
        describe(name="small", stats=small),
        describe(name="large", stats=large, scale=0.5),
        large.count,
    )


@workflow
def nested_wf(n: int = 20) -> str:
    text, _, _count = summary_wf(n=n)
    return text


if __name__ == "__main__":
    print(summary_wf(n=50))
    print(nested_wf())
    print(stats(values=[1, 2, 3]))
