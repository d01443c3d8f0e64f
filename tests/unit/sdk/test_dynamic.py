"""``@dynamic``: a task whose body builds, from its inputs' values, the workflow it runs."""

from __future__ import annotations

import pytest

from aloft import conditional, dynamic, map_task, task, workflow
from aloft.errors import DecoratorError, ExecutionFailedError
from aloft.ir import DYNAMIC_TASK_TYPE, NodePhase, TaskTarget
from aloft.runner.local import execute


@task
def inc(x: int) -> int:
    return x + 1


@task
def total(values: list[int]) -> int:
    return sum(values)


@dynamic
def fan_out(n: int) -> int:
    return total(values=[inc(x=i) for i in range(n)])


@dynamic
def countdown(n: int) -> int:
    if n <= 0:
        return inc(x=0)
    return inc(x=countdown(n=n - 1))


@dynamic
def mapped_then_branched(n: int) -> int:
    summed = total(values=map_task(inc)(x=list(range(n))))
    return conditional("big").if_(summed > 10).then(inc(x=summed)).else_().then(total(values=[]))


@workflow
def uses_dynamics(n: int = 4) -> int:
    return total(values=[fan_out(n=n), countdown(n=2)])


@dynamic
def broken(n: int) -> int:
    return inc(y=n)


def test_the_body_sees_values_and_builds_a_node_per_call() -> None:
    assert fan_out(n=10) == sum(range(1, 11))
    run = execute(fan_out, {"n": 3})
    dynamic_node = run.node("n0")
    assert dynamic_node.workflow is not None  # the built workflow is stored with the node
    assert len(dynamic_node.workflow.workflow.nodes) == 4  # three incs and the total
    assert run.node("n0", "n3").phase is NodePhase.SUCCEEDED  # its children, below it


def test_a_dynamic_is_one_task_node_in_a_workflow() -> None:
    nodes = uses_dynamics.closure.workflow.nodes
    assert all(isinstance(node.target, TaskTarget) for node in nodes)
    assert fan_out.template.type == DYNAMIC_TASK_TYPE
    assert uses_dynamics(n=4) == 10 + 3


def test_dynamics_recurse_and_use_maps_and_conditionals() -> None:
    assert countdown(n=5) == 6
    assert mapped_then_branched(n=5) == 16  # 1 + ... + 5 = 15 > 10
    assert mapped_then_branched(n=2) == 0


def test_a_body_that_does_not_compile_fails_its_node_naming_the_line() -> None:
    with pytest.raises(
        ExecutionFailedError, match=r"test_dynamic.py:\d+: node n0 .*unknown input 'y'"
    ):
        broken(n=1)


def test_a_dynamic_cannot_be_mapped_and_takes_task_arguments_only() -> None:
    with pytest.raises(DecoratorError, match="map_task maps a @task"):
        map_task(fan_out)
    with pytest.raises(DecoratorError, match="did you mean 'retries'"):
        dynamic(retrys=2)
