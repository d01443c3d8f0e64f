"""``on_failure``: a task or workflow that runs once a workflow has failed, given the
workflow's inputs and the error; the workflow still ends FAILED with its own error."""

from __future__ import annotations

from pathlib import Path

import pytest

from aloft import FlyteError, LaunchPlan, WorkflowFailurePolicy, task, workflow
from aloft.errors import DecoratorError
from aloft.ir import ExecutionPhase, NodePhase
from aloft.runner.local import execute


@task
def boom(log: str) -> str:
    raise ValueError("the data is bad")


@task
def fine(log: str) -> str:
    return log


@task
def note(log: str, text: str) -> str:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{text}\n")
    return text


@task
def clean_up(log: str, err: FlyteError | None = None) -> None:
    assert err is not None
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"cleaned after {err.failed_node_id}: {err.message}\n")


@task
def failing_clean_up(log: str, err: FlyteError | None = None) -> None:
    raise RuntimeError("cleaning failed too")


@workflow(on_failure=clean_up)
def guarded(log: str) -> str:
    return boom(log=fine(log=log))


@workflow(on_failure=failing_clean_up)
def doubly_failing(log: str) -> str:
    return boom(log=log)


@workflow(on_failure=clean_up)
def succeeding(log: str) -> str:
    return fine(log=log)


@workflow(
    on_failure=clean_up, failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE
)
def keeps_going(log: str) -> str:
    boom(log=log)
    return note(log=log, text="still ran")


def test_the_handler_runs_with_the_inputs_and_the_error_and_the_workflow_still_fails(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log"
    run = execute(guarded, {"log": str(log)})
    assert run.record.phase is ExecutionPhase.FAILED
    assert "ValueError: the data is bad" in run.error_message()
    assert log.read_text().startswith("cleaned after n1: ValueError: the data is bad")
    assert run.node("on-failure").phase is NodePhase.SUCCEEDED


def test_the_handler_does_not_run_when_the_workflow_succeeds(tmp_path: Path) -> None:
    log = tmp_path / "log"
    assert succeeding(log=str(log)) == str(log)
    assert not log.exists()


def test_a_failing_handler_leaves_the_workflow_failed_with_its_own_error(tmp_path: Path) -> None:
    run = execute(doubly_failing, {"log": str(tmp_path / "log")})
    assert run.record.phase is ExecutionPhase.FAILED
    assert "the data is bad" in run.error_message()
    assert "its on_failure handler failed too: RuntimeError: cleaning failed too" in (
        run.error_message()
    )
    assert run.node("on-failure").phase is NodePhase.FAILED


def test_after_executable_nodes_complete_the_handler_runs_last(tmp_path: Path) -> None:
    log = tmp_path / "log"
    run = execute(keeps_going, {"log": str(log)})
    assert run.record.phase is ExecutionPhase.FAILED
    assert log.read_text().splitlines()[0] == "still ran"
    assert log.read_text().splitlines()[1].startswith("cleaned after n0")


def test_a_workflow_handler_runs_as_a_subworkflow(tmp_path: Path) -> None:
    @workflow
    def handler(log: str, err: FlyteError | None = None) -> None:
        clean_up(log=log, err=err)

    @workflow(on_failure=handler)
    def outer(log: str) -> str:
        return boom(log=log)

    log = tmp_path / "log"
    assert execute(outer, {"log": str(log)}).record.phase is ExecutionPhase.FAILED
    assert log.read_text().startswith("cleaned after n0:")


def test_bad_handlers_are_refused_at_decoration_naming_the_problem() -> None:
    with pytest.raises(DecoratorError, match="must take the error as an input err"):

        @workflow(on_failure=fine)
        def no_err(log: str) -> str:
            return boom(log=log)

    @task
    def wrong_err(log: str, err: int = 0) -> None: ...

    with pytest.raises(DecoratorError, match=r"err: Optional\[FlyteError\]"):

        @workflow(on_failure=wrong_err)
        def mistyped(log: str) -> str:
            return boom(log=log)

    @task
    def needs_more(other: int, err: FlyteError | None = None) -> None: ...

    with pytest.raises(DecoratorError, match="takes 'other', which is not an input of the"):

        @workflow(on_failure=needs_more)
        def mismatched(log: str) -> str:
            return boom(log=log)

    @workflow
    def plain(log: str) -> str:
        return fine(log=log)

    with pytest.raises(DecoratorError, match="must be a task or a workflow"):

        @workflow(on_failure=LaunchPlan.get_or_create(plain, name="tests.on_failure.plan"))
        def planned(log: str) -> str:
            return boom(log=log)


@task
def note_after(log: str, text: str, after: str) -> str:
    return note.task_function(log=log, text=text)


@workflow(on_failure=clean_up)
def stops_at_the_failure(log: str) -> str:
    first = note(log=log, text="first")
    boom(log=log)
    return note_after(log=log, text="after the failure", after=first)


def test_nothing_else_starts_once_the_workflow_failed_and_its_handler_runs(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log"
    run = execute(stops_at_the_failure, {"log": str(log)})
    assert run.record.phase is ExecutionPhase.FAILED
    lines = log.read_text().splitlines()
    assert lines[0] == "first" and lines[1].startswith("cleaned after n1")
    assert "after the failure" not in lines
