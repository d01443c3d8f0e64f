"""``conditional``: cases chosen at run time, as a flytekit user writes and sees them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from aloft import conditional, task, workflow
from aloft.errors import CompileError, ExecutionFailedError
from aloft.ir import BranchTarget, NodePhase
from aloft.runner.local import execute


@task
def square(n: float) -> float:
    return n * n


@task
def double(n: float) -> float:
    return 2 * n


@task
def is_even(n: int) -> bool:
    return n % 2 == 0


@task
def name_of(n: int) -> str:
    return f"#{n}"


@task
def note(log: str, text: str) -> None:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{text}\n")


@dataclasses.dataclass
class Point:
    x: int


@task
def origin() -> Point:
    return Point(x=0)


@workflow
def shape(radius: float) -> float:
    return (
        conditional("shape")
        .if_((radius >= 0.1) & (radius < 1.0))
        .then(double(n=radius))
        .elif_((radius >= 1.0) & (radius <= 10.0))
        .then(square(n=radius))
        .else_()
        .fail("the radius must be from 0.1 to 10")
    )


def test_the_first_case_that_holds_runs() -> None:
    assert shape(radius=0.5) == 1.0
    assert shape(radius=3.0) == 9.0


def test_a_failing_case_fails_the_workflow_with_its_message() -> None:
    with pytest.raises(ExecutionFailedError, match=r"the radius must be from 0\.1 to 10"):
        shape(radius=30.0)


def test_the_branch_is_one_node_whose_skipped_cases_are_recorded() -> None:
    [node] = shape.closure.workflow.nodes
    assert isinstance(node.target, BranchTarget) and len(node.target.cases) == 3
    run = execute(shape, {"radius": 3.0})
    branch = run.node("n0")
    assert (branch.phase, branch.branch) == (NodePhase.SUCCEEDED, 1)
    assert run.node("n0", "n1").phase is NodePhase.SKIPPED  # double, in the case not taken
    assert run.node("n0", "n2").phase is NodePhase.SUCCEEDED  # square


@task
def negate(n: int) -> int:
    return -n


@workflow
def parity(n: int) -> str:
    even = is_even(n=n)
    odd = conditional("odd").if_(even.is_false()).then(negate(n=n)).else_().then(negate(n=0))
    return conditional("even").if_(even.is_true()).then(name_of(n=n)).else_().then(name_of(n=odd))


def test_is_true_and_is_false_test_a_bool_output() -> None:
    assert parity(n=4) == "#4"
    assert parity(n=3) == "#-3"


@task
def zero() -> int:
    return 0


@task
def identity(x: int | None) -> int:
    return x or 0


@workflow
def maybe(x: int | None = None) -> int:
    return conditional("given").if_(x.is_none()).then(zero()).else_().then(identity(x=x))


def test_is_none_tests_an_optional_value() -> None:
    assert maybe() == 0
    assert maybe(x=7) == 7


@workflow
def nested(x: float) -> float:
    v = double(n=x)
    inner = conditional("inner").if_(v > 100.0).then(square(n=v)).else_().then(double(n=v))
    return conditional("outer").if_(v > 10.0).then(inner).else_().then(square(n=double(n=v)))


def test_conditionals_nest_and_their_outputs_feed_later_nodes() -> None:
    assert nested(x=1.0) == 16.0  # v = 2: square(double(2))
    assert nested(x=10.0) == 40.0  # v = 20: double(20)
    assert nested(x=100.0) == 40000.0  # v = 200: square(200)


@workflow
def side_effects(n: int, log: str) -> None:
    (
        conditional("sign")
        .if_(n > 0)
        .then(note(log=log, text="positive"))
        .elif_(n < 0)
        .then(note(log=log, text="negative"))
    )


def test_only_the_case_taken_runs_and_no_case_holding_fails(tmp_path: Path) -> None:
    log = tmp_path / "log"
    side_effects(n=5, log=str(log))
    side_effects(n=-5, log=str(log))
    assert log.read_text().split() == ["positive", "negative"]
    with pytest.raises(ExecutionFailedError, match="no case of conditional 'sign' held"):
        side_effects(n=0, log=str(log))
    assert log.read_text().split() == ["positive", "negative"]


def compile_error(body: object) -> str:
    with pytest.raises(CompileError) as caught:
        workflow(body)  # type: ignore[call-overload]
    return str(caught.value)


def test_a_promise_is_not_a_condition_by_itself() -> None:
    def body(n: int) -> str:
        return conditional("c").if_(is_even(n=n)).then(name_of(n=n)).else_().then(name_of(n=n))

    assert "if_() needs a condition on promises" in compile_error(body)


def test_and_or_instead_of_ampersand_and_bar_is_refused() -> None:
    def body(x: float) -> float:
        return conditional("c").if_(x > 1.0 and x < 2.0).then(double(n=x)).else_().then(square(n=x))

    assert "& and |" in compile_error(body)


def test_only_primitive_values_are_compared() -> None:
    def body() -> float:
        p = origin()
        return conditional("c").if_(p == 1).then(double(n=1.0)).else_().then(square(n=1.0))

    assert "conditions compare primitive values" in compile_error(body)


def test_values_of_different_kinds_are_not_compared() -> None:
    def body(n: int, s: str) -> float:
        return conditional("c").if_(n > s).then(double(n=1.0)).else_().then(square(n=1.0))

    message = compile_error(body)
    assert "test_conditional.py:" in message and "cannot compare workflow input n" in message


def test_every_case_must_give_the_same_outputs() -> None:
    def body(n: int) -> float:
        return conditional("c").if_(n > 1).then(double(n=1.0)).else_().then(name_of(n=n))

    assert "case 1 gives output 'o0' as str, but the first case as float" in compile_error(body)


def test_is_true_needs_a_bool() -> None:
    def body(n: int) -> float:
        return conditional("c").if_(n.is_true()).then(double(n=1.0)).else_().then(square(n=1.0))

    assert "is_true() needs a bool" in compile_error(body)


def test_cases_come_in_order_and_are_closed() -> None:
    def elif_first(n: int) -> None:
        conditional("c").elif_(n > 1)

    def unclosed(n: int) -> None:
        conditional("c").if_(n > 1)

    assert "elif_() must follow if_(...).then(...)" in compile_error(elif_first)
    assert "a case of a conditional is not closed" in compile_error(unclosed)


def test_a_node_inside_a_case_is_used_through_the_conditionals_result() -> None:
    def body(x: float) -> float:
        section = conditional("c").if_(x > 1.0)
        inside = double(n=x)
        section.then(inside).else_().then(square(n=x))
        return square(n=inside)

    message = compile_error(body)
    assert "test_conditional.py:" in message
    assert "uses node n1, which runs inside a case of a conditional" in message


def test_conditional_is_only_for_workflow_bodies() -> None:
    with pytest.raises(CompileError, match=r"test_conditional.py:\d+: conditional\(\) can only"):
        conditional("c")
