"""Launch plans: defaults and fixed inputs, schedules and notifications checked when created,
and child executions when a plan is called inside a workflow."""

from __future__ import annotations

import datetime
import threading
import time

import pytest

from aloft import (
    CronSchedule,
    Email,
    FixedRate,
    LaunchPlan,
    Webhook,
    WorkflowExecutionPhase,
    task,
    wait_for_input,
    workflow,
)
from aloft.engine import EngineHost
from aloft.engine.handlers.launch_plan import CHILD_POLL
from aloft.errors import DecoratorError, ExecutionFailedError, InputError
from aloft.executors.inline import InlineExecutor
from aloft.ir import ExecutionId, ExecutionPhase, IntegerValue, LaunchPlanTarget, NodeKey
from aloft.runner.local import execute, execution_spec
from aloft.storage.executions import InMemoryStore


@task
def scale(x: int, factor: int) -> int:
    return x * factor


@task
def explode(x: int) -> int:
    raise ValueError(f"no {x}")


@workflow
def scaled(x: int, factor: int = 2) -> int:
    return scale(x=x, factor=factor)


@workflow
def exploding(x: int) -> int:
    return explode(x=x)


tripled = LaunchPlan.get_or_create(
    scaled, name="tests.tripled", fixed_inputs={"factor": 3}, default_inputs={"x": 1}
)


@workflow
def parent(x: int) -> int:
    return LaunchPlan.get_or_create(scaled)(x=tripled(x=x))


def test_a_plan_fixes_and_defaults_inputs_and_runs_as_its_own_execution() -> None:
    assert list(tripled.python_interface.inputs) == ["x"]
    assert tripled(x=4) == 12
    assert tripled() == 3
    run = execute(tripled, {"x": 5})
    assert run.spec.launch_plan == tripled.spec.id
    assert run.spec.inputs == {"x": IntegerValue(value=5), "factor": IntegerValue(value=3)}


def test_a_plan_called_in_a_workflow_starts_a_child_execution_linked_to_its_node() -> None:
    targets = [node.target for node in parent.closure.workflow.nodes]
    assert all(isinstance(t, LaunchPlanTarget) for t in targets)
    run = execute(parent, {"x": 5})
    assert run.outputs() == 30
    child = run.node("n0").child
    assert child is not None and child.name.startswith(run.record.id.name)


def test_get_or_create_returns_the_plan_of_that_name_and_refuses_other_settings() -> None:
    again = LaunchPlan.get_or_create(
        scaled, name="tests.tripled", fixed_inputs={"factor": 3}, default_inputs={"x": 1}
    )
    assert again.spec == tripled.spec
    with pytest.raises(DecoratorError, match=r"'tests\.tripled' already exists with other"):
        LaunchPlan.get_or_create(scaled, name="tests.tripled", fixed_inputs={"factor": 4})
    with pytest.raises(DecoratorError, match="needs a name of its own"):
        LaunchPlan.get_or_create(scaled, fixed_inputs={"factor": 4})


def test_a_failed_child_fails_the_calling_node_naming_the_plan() -> None:
    plan = LaunchPlan.get_or_create(exploding, name="tests.exploding")

    @workflow
    def calls_it(x: int) -> int:
        return plan(x=x)

    run = execute(calls_it, {"x": 7})
    assert run.record.phase is ExecutionPhase.FAILED
    with pytest.raises(ExecutionFailedError, match=r"launch plan 'tests.exploding' \(execution "):
        run.outputs()
    assert "ValueError: no 7" in run.error_message()
    assert run.nodes[NodeKey(path=("n0",))].child is not None


def test_schedules_and_notifications_are_stored_with_the_plan() -> None:
    plan = LaunchPlan.get_or_create(
        scaled,
        name="tests.hourly",
        default_inputs={"x": 1},
        schedule=FixedRate(duration=datetime.timedelta(hours=1)),
        notifications=[
            Email(phases=[WorkflowExecutionPhase.FAILED], recipients_email=["me@example.com"]),
            Webhook(phases=[WorkflowExecutionPhase.SUCCEEDED], urls=["https://hooks.example/x"]),
        ],
        labels={"team": "ml"},
        max_parallelism=2,
    )
    assert plan.spec.schedule is not None
    assert [n.channel.value for n in plan.spec.notifications] == ["email", "webhook"]
    assert execute(plan, {}).spec.labels == {"team": "ml"}


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"fixed_inputs": {"y": 1}}, "fixed_inputs names 'y', not an input"),
        ({"default_inputs": {"x": "one"}}, r"default_inputs\['x'\]"),
        ({"fixed_inputs": {"x": 1}, "default_inputs": {"x": 2}}, "both fixed and defaulted"),
        ({"max_parallelism": 0}, "max_parallelism must be a positive integer"),
        ({"labels": {"a": 1}}, "labels must map strings to strings"),
        ({"schedule": CronSchedule(schedule="@hourly")}, "'x' has none"),
        ({"schedule": "daily"}, "schedule must be a CronSchedule or a FixedRate"),
        ({"notifications": ["me@example.com"]}, "notifications must be a list of Email, Slack"),
    ],
)
def test_bad_plan_settings_are_refused_naming_the_setting(
    settings: dict[str, object], message: str
) -> None:
    with pytest.raises(DecoratorError, match=message):
        LaunchPlan.create("tests.bad", scaled, **settings)  # type: ignore[arg-type]
    assert "tests.bad" not in LaunchPlan.CACHE


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: CronSchedule(schedule="0 25 * * *"), r"hour '25' is out of range \(0-23\)"),
        (lambda: CronSchedule(schedule="* * *"), "has 3 fields; it needs five"),
        (lambda: CronSchedule(schedule="@sometimes"), "unknown alias"),
        (lambda: CronSchedule(schedule="*/0 * * * *"), "has a step of 0"),
        (lambda: CronSchedule(), "exactly one of schedule= or cron_expression="),
        (lambda: FixedRate(duration=datetime.timedelta(seconds=90)), "whole number of minutes"),
        (lambda: Email(phases=[], recipients_email=["a@b.c"]), "phases must be one or more"),
        (
            lambda: Email(phases=[WorkflowExecutionPhase.FAILED], recipients_email=["nobody"]),
            "'nobody' is not an e-mail address",
        ),
        (
            lambda: Webhook(phases=[WorkflowExecutionPhase.FAILED], urls=["ftp://x"]),
            "'ftp://x' is not an http",
        ),
    ],
)
def test_bad_schedules_and_notifications_are_refused_when_created(
    make: object, message: str
) -> None:
    with pytest.raises(DecoratorError, match=message):
        make()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: CronSchedule(schedule="a * * * *"),
            r"test_launch_plans\.py:\d+: .*minute 'a' is not",
        ),
        (lambda: CronSchedule(schedule="5-1 * * * *"), "is a range that runs backwards"),
        (lambda: CronSchedule(schedule="* * * FOO *"), "month 'FOO' is not a number or a name"),
        (
            lambda: Email(phases=[WorkflowExecutionPhase.RUNNING], recipients_email=["a@b.c"]),
            "phase RUNNING is not an end of an execution",
        ),
        (
            lambda: Email(phases=[WorkflowExecutionPhase.FAILED], recipients_email="a@b.c"),
            "phases and recipients are lists",
        ),
    ],
)
def test_schedule_and_notification_errors_name_the_line(make: object, message: str) -> None:
    with pytest.raises(DecoratorError, match=message):
        make()  # type: ignore[operator]


def test_valid_cron_forms_are_accepted() -> None:
    for expression in ("*/15 9-17 * JAN-MAR MON-FRI", "0 0 1,15 * *", "@daily"):
        assert CronSchedule(schedule=expression).spec.expression == expression


def test_the_kickoff_input_must_be_a_datetime_input() -> None:
    @workflow
    def stamped(x: int = 1, at: datetime.datetime = datetime.datetime(2026, 1, 1)) -> int:
        return scale(x=x, factor=1)

    ok = CronSchedule(schedule="@daily", kickoff_time_input_arg="at")
    assert LaunchPlan.create("tests.stamped", stamped, schedule=ok).spec.schedule is not None
    with pytest.raises(DecoratorError, match="kickoff_time_input_arg 'x' must be a datetime"):
        LaunchPlan.create(
            "tests.stamped2",
            stamped,
            schedule=CronSchedule(schedule="@daily", kickoff_time_input_arg="x"),
        )
    with pytest.raises(InputError, match="has no input 'factor'"):
        execute(tripled, {"factor": 2})


@workflow
def waits_for_a_signal() -> int:
    return wait_for_input("go", timeout=datetime.timedelta(minutes=5), expected_type=int)


waiting_plan = LaunchPlan.get_or_create(waits_for_a_signal, name="tests.waiting_plan")


@workflow
def calls_a_waiting_plan() -> int:
    return waiting_plan()


def test_a_launch_plan_node_looks_at_its_child_again_even_if_never_woken() -> None:
    """The child's host wakes the parent in a transaction of its own, which a crash can
    lose; the node does not rely on it and asks to be looked at again after CHILD_POLL."""
    store = InMemoryStore()
    spec = execution_spec(calls_a_waiting_plan, {}, ExecutionId(name="parent"))
    with InlineExecutor() as executor:
        host = EngineHost(store, executor, data_root="file:///nowhere", claim_new=False)
        host.create(spec)
        host.take_over(spec.id)
        stop = threading.Event()
        for _ in range(3):
            host.run_once(stop)
        timers = host.views[spec.id].timers
    assert NodeKey(path=("n0",)) in timers
    assert timers[NodeKey(path=("n0",))] - time.time() == pytest.approx(CHILD_POLL, abs=1.0)
