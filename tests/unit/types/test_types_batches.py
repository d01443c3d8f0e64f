"""``Annotated[list[T], BatchSize(n)]`` for pickled items, and ``Iterator[T]`` outputs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import pytest

from aloft import BatchSize, task, workflow
from aloft.errors import DecoratorError
from aloft.ir import CollectionValue, PickleValue
from aloft.types import literal_type_of, to_literal, to_python
from aloft.types.pickles import AloftPickleWarning


class Point:
    """No transformer: its values are pickled."""

    def __init__(self, x: int) -> None:
        self.x = x


with pytest.warns(AloftPickleWarning, match="Point has no transformer"):
    Batched = Annotated[list[Point], BatchSize(3)]

    @task
    def make_points(n: int) -> Annotated[list[Point], BatchSize(3)]:
        return [Point(i) for i in range(n)]

    @task
    def stream_points(n: int) -> Annotated[list[Point], BatchSize(2)]:
        return (Point(i) for i in range(n))  # an iterator: consumed two at a time

    @task
    def total(points: list[Point]) -> int:
        return sum(point.x for point in points)

    @task
    def count_lazily(points: Iterator[Point]) -> int:
        return sum(1 for _ in points)


@task
def squares(n: int) -> Iterator[int]:
    for i in range(n):
        yield i * i


@task
def add_up(values: list[int]) -> int:
    return sum(values)


@workflow
def batched_wf(n: int) -> tuple[int, int, int, int]:
    points = make_points(n=n)
    return (
        total(points=points),
        count_lazily(points=points),
        total(points=stream_points(n=n)),
        add_up(values=squares(n=n)),
    )


def test_a_batched_list_is_stored_a_batch_per_item_and_read_whole_by_any_list_input() -> None:
    literal = to_literal([Point(i) for i in range(7)], Batched)
    assert isinstance(literal, CollectionValue)
    assert [item.batch for item in literal.items if isinstance(item, PickleValue)] == [3, 3, 1]
    assert [p.x for p in to_python(literal, list[Point])] == list(range(7))
    assert literal_type_of(Batched) == literal_type_of(list[Point])


def test_batched_lists_iterators_and_generator_tasks_run_through_a_workflow() -> None:
    assert batched_wf(n=10) == (45, 10, 45, 285)


def test_an_iterator_input_reads_its_items_one_at_a_time() -> None:
    literal = to_literal([1, 2, 3], list[int])
    items = to_python(literal, Iterator[int])
    assert next(items) == 1
    assert list(items) == [2, 3]


@pytest.mark.parametrize(
    ("annotation", "message"),
    [
        ("Annotated[list[Point], BatchSize(0)]", "BatchSize must be a positive int, got 0"),
        ("Annotated[list[Point], BatchSize('2')]", "BatchSize must be a positive int, got '2'"),
        ("Annotated[Point, BatchSize(2)]", "BatchSize applies to a list or an iterator"),
    ],
)
def test_a_bad_batch_size_is_refused_where_the_task_is_declared(
    annotation: str, message: str
) -> None:
    namespace = {"Annotated": Annotated, "BatchSize": BatchSize, "Point": Point, "task": task}
    source = f"@task\ndef bad(n: int) -> {annotation}:\n    return []\n"
    code = compile(source, "test_bad_batches.py", "exec")
    with pytest.raises(DecoratorError, match=rf"test_bad_batches\.py:1: .*output 'o0': {message}"):
        exec(code, namespace)


def test_a_generator_task_must_declare_an_iterator_output() -> None:
    with pytest.raises(
        DecoratorError, match=r"is a generator .*declare its one output as an Iterator"
    ):

        @task
        def listing(n: int) -> list[int]:
            yield n
