"""Gates: ``sleep``, ``wait_for_input`` and ``approve``, as a flytekit user writes them."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from aloft import LaunchPlan, approve, sleep, task, wait_for_input, workflow
from aloft.errors import CompileError, DecoratorError, ExecutionFailedError, InputError
from aloft.ir import GateKind, GateTarget, IntegerValue, NodePhase
from aloft.runner.local import execute
from aloft.runner.signals import signal_literal

SHORT = timedelta(milliseconds=300)


@task
def add(x: int, y: int) -> int:
    return x + y


@workflow
def gated(x: int) -> int:
    y = wait_for_input("y", timeout=SHORT, expected_type=int)
    total = add(x=x, y=y)
    return approve(total, "ok", timeout=SHORT)


@workflow
def napping() -> int:
    nap = sleep(SHORT)
    total = add(x=1, y=2)
    nap >> total
    return total


def test_gates_compile_to_gate_nodes_with_their_signals_and_types() -> None:
    targets = [node.target for node in gated.closure.workflow.nodes]
    gates = [t for t in targets if isinstance(t, GateTarget)]
    assert [(g.gate, g.name, g.timeout) for g in gates] == [
        (GateKind.SIGNAL, "y", SHORT),
        (GateKind.APPROVE, "ok", SHORT),
    ]


def test_a_signal_feeds_the_workflow_and_an_approval_passes_the_value_on() -> None:
    signals = {
        "y": signal_literal(gated.closure, "y", 5, text=False),
        "ok": signal_literal(gated.closure, "ok", True, text=False),
    }
    run = execute(gated, {"x": 1}, signals=signals)
    assert run.outputs() == 6
    assert run.node("n0").phase is NodePhase.SUCCEEDED
    assert run.node("n0").outputs == {"o0": IntegerValue(value=5)}


def test_a_rejection_fails_the_workflow_naming_the_gate() -> None:
    signals = {
        "y": signal_literal(gated.closure, "y", 5, text=False),
        "ok": signal_literal(gated.closure, "ok", False, text=False),
    }
    with pytest.raises(ExecutionFailedError, match="gate 'ok' was rejected"):
        execute(gated, {"x": 1}, signals=signals).outputs()


def test_a_gate_without_its_signal_fails_once_its_timeout_passes() -> None:
    started = time.monotonic()
    run = execute(gated, {"x": 1})
    assert time.monotonic() - started >= SHORT.total_seconds()
    assert run.node("n0").phase is NodePhase.FAILED
    assert "gate 'y' timed out: no signal within 0:00:00.300000" in run.error_message()


def test_sleep_holds_back_what_is_ordered_after_it() -> None:
    started = time.monotonic()
    assert napping() == 3
    assert time.monotonic() - started >= SHORT.total_seconds()


def test_a_signal_is_checked_against_the_type_its_gate_expects() -> None:
    with pytest.raises(InputError, match="invalid value for signal 'y': expected int"):
        signal_literal(gated.closure, "y", "abc", text=True)
    with pytest.raises(InputError, match="no gate waits for a signal named 'z'; signals: ok, y"):
        signal_literal(gated.closure, "z", 1, text=False)


def test_gates_outside_a_workflow_body_are_refused() -> None:
    with pytest.raises(CompileError, match=r"test_gates\.py:\d+: sleep\(\) can only be used"):
        sleep(SHORT)


def test_bad_gate_settings_are_refused_naming_the_line() -> None:
    with pytest.raises(DecoratorError, match=r"test_gates\.py:\d+: a gate's timeout must be"):

        @workflow
        def no_timeout() -> int:
            return wait_for_input("y", timeout=5, expected_type=int)  # type: ignore[arg-type]

    with pytest.raises(DecoratorError, match="a gate's name must be a non-empty string"):

        @workflow
        def no_name() -> int:
            return wait_for_input("", timeout=SHORT, expected_type=int)

    with pytest.raises(DecoratorError, match="expected_type"):

        @workflow
        def bad_type() -> int:
            return wait_for_input("y", timeout=SHORT, expected_type=3)  # type: ignore[arg-type]

    with pytest.raises(DecoratorError, match=r"wait_for_input\('y'\) needs expected_type="):

        @workflow
        def untyped() -> int:
            return wait_for_input("y", timeout=SHORT)

    with pytest.raises(CompileError, match="approve\\('ok'\\) needs the output of a node"):

        @workflow
        def nothing_to_approve() -> int:
            return approve(3, "ok", timeout=SHORT)  # type: ignore[arg-type]


def test_a_gate_of_a_launch_plan_belongs_to_the_child_execution_not_the_caller() -> None:
    @workflow
    def asks() -> int:
        return wait_for_input("inner", timeout=SHORT, expected_type=int)

    plan = LaunchPlan.get_or_create(asks, name="tests.gates.asks")

    @workflow
    def calls_it() -> int:
        return plan()

    with pytest.raises(InputError, match="no gate waits for a signal named 'inner'"):
        signal_literal(calls_it.closure, "inner", 1, text=False)
