"""``@eager``: ordinary async Python over real task results, each call a recorded child."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from aloft import EagerException, LaunchPlan, eager, task, workflow
from aloft.engine import EngineHost
from aloft.errors import DecoratorError, ExecutionFailedError
from aloft.ir import EAGER_TASK_TYPE, NodeKey, NodePhase, TaskAttemptResult
from aloft.runner.local import execute


@task
def add_one(x: int) -> int:
    return x + 1


@task
def double(x: int) -> int:
    return x * 2


@task
async def add_one_async(x: int) -> int:
    return x + 1


@task
def raises(x: int) -> int:
    if x <= 0:
        raise TypeError("not positive")
    return x


@workflow
def subworkflow(x: int) -> int:
    return double(x=add_one(x=x))


doubling = LaunchPlan.get_or_create(subworkflow, name="tests.eager.doubling")


@eager
async def simple(x: int) -> int:
    out = add_one(x=x)
    if out < 0:
        return -1
    return double(x=out)


@eager
async def fan_out(n: int) -> int:
    outs = await asyncio.gather(*[add_one_async(x=i) for i in range(n)])
    return double(x=sum(outs))


@eager
async def catching(x: int) -> int:
    try:
        return raises(x=x)
    except EagerException as exc:
        assert "TypeError: not positive" in str(exc)
        return -1


@eager
async def nested(x: int) -> int:
    inner = await simple(x=x)
    return subworkflow(x=inner) + doubling(x=inner)


@eager
async def uncaught(x: int) -> int:
    return raises(x=x)


def _calls(run: object, node: str = "n0") -> list[NodeKey]:
    nodes = run.nodes  # type: ignore[attr-defined]
    return sorted((k for k in nodes if k.path[:1] == (node,) and len(k.path) == 2), key=str)


def test_an_eager_workflow_runs_python_over_real_results_each_call_a_child_node() -> None:
    assert simple.template.type == EAGER_TASK_TYPE
    run = execute(simple, {"x": 3})
    assert run.outputs() == 8
    calls = _calls(run)
    assert [run.nodes[k].phase for k in calls] == [NodePhase.SUCCEEDED] * 2
    assert all(str(k).split("/")[1].startswith("c") for k in calls)


def test_gathered_async_calls_run_side_by_side_in_one_round() -> None:
    run = execute(fan_out, {"n": 5})
    assert run.outputs() == 30
    assert len(_calls(run)) == 6
    assert run.node("n0").attempt == 2  # the gathered round, the double, the end


def test_a_failed_call_is_an_eager_exception_the_body_can_catch() -> None:
    assert asyncio.run(catching(x=0)) == -1
    assert asyncio.run(catching(x=4)) == 4


def test_an_uncaught_failure_fails_the_eager_node_naming_the_call() -> None:
    with pytest.raises(ExecutionFailedError, match=r"raises failed: TypeError: not positive"):
        asyncio.run(uncaught(x=0))


def test_eager_workflows_call_workflows_launch_plans_and_other_eager_workflows() -> None:
    run = execute(nested, {"x": 1})
    assert run.outputs() == 20
    child = next(run.nodes[k] for k in _calls(run) if run.nodes[k].child is not None)
    assert child.phase is NodePhase.SUCCEEDED


def test_an_eager_workflow_is_a_node_of_a_static_workflow() -> None:
    @workflow
    def outer(x: int) -> int:
        return double(x=simple(x=x))

    assert outer(x=3) == 16


def test_eager_needs_an_async_def_function() -> None:
    with pytest.raises(DecoratorError, match=r"test_eager\.py:\d+: @eager needs an 'async def'"):

        @eager
        def not_async(x: int) -> int:
            return x


def test_a_wrong_call_inside_the_body_names_the_line_and_is_not_retried() -> None:
    @eager
    async def wrong(x: int) -> int:
        return add_one(y=x)

    run = execute(wrong, {"x": 1})
    message = run.error_message()
    assert "test_eager.py:" in message and "add_one has no input 'y'; its inputs are x" in message
    assert "FlyteRecoverableException" not in message and "attempts" not in message


@task
async def note_async(log: str, text: str) -> str:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{text}\n")
    return text


async def _pipeline(log: str, name: str) -> str:
    first = await note_async(log=log, text=f"{name}-1")
    return await note_async(log=log, text=f"{first}-2")


@eager
async def interleaved(log: str) -> str:
    return ",".join(await asyncio.gather(_pipeline(log, "A"), _pipeline(log, "B")))


def test_gathered_coroutines_do_not_run_a_recorded_call_again_as_they_interleave(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log"
    assert execute(interleaved, {"log": str(log)}).outputs() == "A-1-2,B-1-2"
    assert sorted(log.read_text().split()) == ["A-1", "A-1-2", "B-1", "B-1-2"]


def test_a_reload_between_rounds_neither_loses_nor_repeats_a_round(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fresh load (after a conflict, a restart, a signal) rebuilds the view from the
    records; the round whose result it finds is taken as it is, not run again."""
    take = EngineHost._take
    reloaded: list[int] = []

    def take_then_reload(self: EngineHost, results: list[TaskAttemptResult]) -> None:
        take(self, results)
        for result in results:
            if result.node.path == ("n0",) and result.attempt not in reloaded:
                reloaded.append(result.attempt)
                for view in self.views.values():
                    view.stale = True

    monkeypatch.setattr(EngineHost, "_take", take_then_reload)
    run = execute(simple, {"x": 3})
    assert run.outputs() == 8
    assert run.node("n0").attempt == 2  # three rounds: no more, although each was reloaded
    assert reloaded == [0, 1, 2]
