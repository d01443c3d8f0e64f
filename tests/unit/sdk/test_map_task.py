"""``map_task``: one array node whose items are each a real task run, called as a user does."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from aloft import FlyteRecoverableException, current_context, map_task, task, workflow
from aloft.errors import CompileError, DecoratorError, ExecutionFailedError
from aloft.ir import ArrayTarget, CacheStatus, NodePhase
from aloft.runner.local import execute


@task
def double(x: int) -> int:
    return x * 2


@task
def add(x: int, y: int) -> int:
    return x + y


@task
def label(name: str, count: int, sep: str = ":") -> str:
    return f"{name}{sep}{count}"


@task
def make(n: int) -> list[int]:
    return list(range(n))


@task
def total(values: list[int]) -> int:
    return sum(values)


@task
def picky(x: int) -> int:
    if x % 3 == 0:
        raise ValueError(f"no multiples of three, got {x}")
    return x


@task(retries=2)
def flaky(x: int, log: str) -> int:
    """Fails the first attempt of every odd item (recoverably), noting each run in ``log``."""
    attempt = current_context().attempt
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{x}:{attempt}\n")
    if x % 2 and attempt == 0:
        raise FlyteRecoverableException(f"item {x} wants another try")
    return x * 10


@workflow
def map_reduce(n: int = 10) -> int:
    return total(values=map_task(double)(x=make(n=n)))


def test_a_map_runs_the_task_once_per_item_and_returns_a_list() -> None:
    assert map_reduce(n=100) == sum(2 * i for i in range(100))
    assert map_task(double)(x=[1, 2, 3]) == [2, 4, 6]


def test_the_workflow_holds_one_array_node() -> None:
    [_, mapped, _] = map_reduce.closure.workflow.nodes
    assert isinstance(mapped.target, ArrayTarget)
    assert mapped.target.mapped == ("x",)
    assert len(map_reduce.closure.tasks) == 3  # make, double, total: no task per item


def test_an_empty_list_maps_to_an_empty_list() -> None:
    assert map_task(double)(x=[]) == []


def test_several_inputs_are_zipped_item_by_item() -> None:
    assert map_task(add)(x=[1, 2, 3], y=[10, 20, 30]) == [11, 22, 33]


def test_partial_and_bound_inputs_go_to_every_item_as_they_are() -> None:
    assert map_task(functools.partial(add, y=100))(x=[1, 2]) == [101, 102]
    by_name = map_task(label, bound_inputs={"name", "sep"})  # sep keeps its default
    assert by_name(name="n", count=[1, 2]) == ["n:1", "n:2"]
    assert by_name.python_interface.inputs["name"] is str
    assert by_name.python_interface.inputs["count"] == list[int]


def test_lists_of_different_lengths_fail_the_node_naming_them() -> None:
    with pytest.raises(ExecutionFailedError, match="x has 3, y has 2 items"):
        map_task(add)(x=[1, 2, 3], y=[1, 2])


def test_with_a_success_ratio_failed_items_are_none() -> None:
    lenient = map_task(picky, min_success_ratio=0.5)
    assert lenient.python_interface.outputs["o0"] == list[int | None]
    assert lenient(x=[0, 1, 2, 3, 4]) == [None, 1, 2, None, 4]


def test_too_many_failures_fail_the_map_with_the_first_error() -> None:
    with pytest.raises(ExecutionFailedError) as caught:
        map_task(picky, min_success_ratio=0.8)(x=[0, 1, 2, 3, 4])
    message = str(caught.value)
    assert "2 of 5 items failed and at least 4 had to succeed" in message
    assert "item 0: ValueError: no multiples of three, got 0" in message


def test_by_default_one_failed_item_fails_the_map() -> None:
    with pytest.raises(ExecutionFailedError, match="1 of 2 items failed"):
        map_task(picky)(x=[1, 3])


def test_each_item_is_retried_on_its_own(tmp_path: Path) -> None:
    log = tmp_path / "runs"
    assert map_task(flaky, bound_inputs={"log"})(x=[0, 1, 2, 3], log=str(log)) == [0, 10, 20, 30]
    runs = sorted(log.read_text().split())
    assert runs == ["0:0", "1:0", "1:1", "2:0", "3:0", "3:1"]  # only odd items ran twice


def test_the_node_record_counts_items_by_phase() -> None:
    run = execute(map_task(picky, min_success_ratio=0.5), {"x": [0, 1, 2, 3]})
    items = run.node("n0").items
    assert items is not None
    assert items.counts == {NodePhase.SUCCEEDED: 2, NodePhase.FAILED: 2}
    assert [items.phase(i) for i in range(4)][:2] == [NodePhase.FAILED, NodePhase.SUCCEEDED]


def test_a_mapped_output_that_may_be_none_must_be_declared_optional() -> None:
    def strict(n: int) -> list[int]:
        return map_task(picky, min_success_ratio=0.5)(x=make(n=n))

    with pytest.raises(CompileError, match=r"test_map_task.py:\d+.*expected list\[int\]"):
        workflow(strict)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: map_task(map_reduce), "map_task maps a @task"),
        (lambda: map_task(functools.partial(add, y=[1])), "may not fix lists"),
        (lambda: map_task(double, concurency=2), "did you mean 'concurrency'"),
        (lambda: map_task(double, concurrency=0), "concurrency must be a positive integer"),
        (lambda: map_task(double, min_success_ratio=1.5), "min_success_ratio must be from 0 to 1"),
        (lambda: map_task(double, min_successes=-1), "min_successes must be an integer"),
        (lambda: map_task(functools.partial(double, x=1)), "nothing to map over"),
        (lambda: map_task(add, bound_inputs={"z"}), "has no input 'z'"),
    ],
)
def test_bad_arguments_are_refused_where_they_are_written(call: object, message: str) -> None:
    with pytest.raises(DecoratorError, match=rf"test_map_task.py:\d+: .*{message}"):
        call()  # type: ignore[operator]


@task(cache=True, cache_version="1")
def noted_square(x: int, log: str) -> int:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{x}\n")
    return x * x


def test_a_cached_map_reruns_only_the_items_whose_input_changed(tmp_path: Path) -> None:
    log = tmp_path / "runs"
    squares = map_task(noted_square, bound_inputs={"log"})
    assert squares(x=[1, 2, 3], log=str(log)) == [1, 4, 9]
    assert squares(x=[1, 2, 3], log=str(log)) == [1, 4, 9]
    assert log.read_text().split() == ["1", "2", "3"]  # the second map ran no item
    assert squares(x=[1, 20, 3], log=str(log)) == [1, 400, 9]
    assert log.read_text().split() == ["1", "2", "3", "20"]
    run = execute(squares, {"x": [1, 20, 3], "log": str(log)})
    assert run.node("n0").cache_status is CacheStatus.HIT
