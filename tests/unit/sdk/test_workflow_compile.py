"""``@workflow``: tracing, compile-time checks with locations, and the IR produced."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Optional

import pytest

from aloft import WorkflowFailurePolicy, create_node, task, workflow
from aloft.errors import CompileError
from aloft.ir import (
    START_NODE,
    FailurePolicy,
    LiteralBinding,
    PromiseBinding,
    WorkflowTarget,
)

THIS_FILE = "test_workflow_compile.py"


@dataclass
class Point:
    x: int
    y: int = 0


@task
def to_text(n: int) -> str:
    return str(n)


@task
def inc(n: int) -> int:
    return n + 1


@task
def scale(value: float) -> float:
    return value * 2


@task
def maybe(n: Optional[int]) -> int:  # noqa: UP045 - flytekit users write Optional
    return -1 if n is None else n


@task
def make_point(x: int) -> Point:
    return Point(x=x, y=x * 10)


@task
def side_effect() -> None:
    pass


class MinMax(NamedTuple):
    low: int
    high: int


@task
def min_max(a: int, b: int) -> MinMax:
    return MinMax(low=min(a, b), high=max(a, b))


def test_a_str_output_into_an_int_input_fails_naming_file_line_node_and_types() -> None:
    with pytest.raises(CompileError) as caught:

        @workflow
        def bad(n: int) -> int:
            text = to_text(n=n)
            return inc(n=text)

    message = str(caught.value)
    assert THIS_FILE in message
    assert "node n1" in message and "inc" in message
    assert "input 'n': expected int, found str" in message
    line = message.split(THIS_FILE + ":")[1].split(":")[0]
    assert line.isdigit()


def test_int_into_float_is_an_error_as_in_flyte() -> None:
    with pytest.raises(CompileError, match="expected float, found int"):

        @workflow
        def bad(n: int) -> float:
            return scale(value=n)


def test_a_value_fits_an_optional_input_and_is_wrapped_as_its_variant() -> None:
    @workflow
    def good(n: int) -> int:
        return maybe(n=n)

    binding = good.nodes[0].inputs[0].data
    assert isinstance(binding, PromiseBinding)
    assert binding.union_variant == "int"
    assert good(n=4) == 4


def test_missing_and_unknown_inputs_are_errors() -> None:
    with pytest.raises(CompileError, match=r"missing input 'n' \(int\)"):

        @workflow
        def missing() -> int:
            return inc()

    with pytest.raises(CompileError, match=r"unknown input 'nn'; did you mean 'n'\?"):

        @workflow
        def unknown(n: int) -> int:
            return inc(nn=n)


def test_an_unbound_declared_output_is_an_error() -> None:
    with pytest.raises(CompileError, match="declared output 'o0' is not bound"):

        @workflow
        def unbound(n: int) -> int:
            inc(n=n)


def test_a_cycle_made_with_ordering_is_an_error() -> None:
    with pytest.raises(CompileError, match="has a cycle"):

        @workflow
        def cyclic() -> None:
            a = create_node(side_effect)
            b = create_node(side_effect)
            a >> b
            b >> a


def test_loops_are_unrolled_into_nodes() -> None:
    @workflow
    def chain(n: int) -> int:
        value = n
        for _ in range(5):
            value = inc(n=value)
        return value

    assert [node.id for node in chain.nodes] == ["n0", "n1", "n2", "n3", "n4"]
    assert chain.nodes[3].upstream == ("n2",)
    assert chain(n=0) == 5


def test_attribute_access_on_a_dataclass_output_binds_a_path() -> None:
    @workflow
    def attrs(x: int) -> int:
        point = make_point(x=x)
        return inc(n=point.y)

    binding = attrs.nodes[1].inputs[0].data
    assert isinstance(binding, PromiseBinding)
    assert binding.path == ("y",)
    assert attrs(x=2) == 21


def test_attribute_access_to_a_missing_field_is_an_error() -> None:
    with pytest.raises(CompileError, match="Point, which has no attribute 'z'"):

        @workflow
        def bad(x: int) -> int:
            return inc(n=make_point(x=x).z)


def test_tuple_and_namedtuple_outputs() -> None:
    @workflow
    def pair(a: int, b: int) -> tuple[int, int]:
        result = min_max(a=a, b=b)
        return result.high, inc(n=result.low)

    @workflow
    def named(a: int, b: int) -> MinMax:
        low, high = min_max(a=a, b=b)
        return MinMax(low=low, high=high)

    assert pair(a=5, b=2) == (5, 3)
    result = named(a=5, b=2)
    assert result == MinMax(low=2, high=5) and result.high == 5


def test_default_inputs_are_recorded_and_used() -> None:
    @workflow
    def defaults(n: int = 41) -> int:
        return inc(n=n)

    assert defaults.interface.inputs["n"].default is not None
    assert defaults() == 42
    assert defaults(n=1) == 2


def test_constants_become_literal_bindings() -> None:
    @workflow
    def constant() -> int:
        return inc(n=7)

    assert isinstance(constant.nodes[0].inputs[0].data, LiteralBinding)
    assert constant() == 8


def test_ordering_with_rshift_adds_upstream_edges() -> None:
    @workflow
    def ordered(n: int) -> int:
        first = side_effect()
        result = inc(n=n)
        first >> result
        return result

    assert ordered.nodes[1].upstream == ("n0",)
    assert ordered(n=1) == 2


def test_with_overrides_is_recorded_on_the_node() -> None:
    @workflow
    def overridden(n: int) -> int:
        return inc(n=n).with_overrides(retries=4, timeout=30, name="bump")

    node = overridden.nodes[0]
    assert node.overrides is not None and node.overrides.retries == 4
    assert node.overrides.timeout is not None and node.overrides.timeout.total_seconds() == 30
    assert node.name == "bump"


def test_an_unknown_override_suggests_the_closest_name() -> None:
    with pytest.raises(Exception, match=r"did you mean 'retries'\?"):

        @workflow
        def bad(n: int) -> int:
            return inc(n=n).with_overrides(retry=4)


def test_a_promise_in_an_if_is_a_clear_error() -> None:
    with pytest.raises(CompileError, match="use conditional"):

        @workflow
        def branchy(n: int) -> int:
            if inc(n=n):
                return inc(n=n)
            return inc(n=0)


def test_subworkflows_become_workflow_nodes() -> None:
    @workflow
    def sub(n: int) -> int:
        return inc(n=inc(n=n))

    @workflow
    def parent(n: int) -> int:
        return inc(n=sub(n=n))

    assert isinstance(parent.nodes[0].target, WorkflowTarget)
    assert [w.id.name for w in parent.closure.subworkflows] == [sub.name]
    assert parent(n=0) == 3


def test_failure_policy_is_recorded() -> None:
    @workflow(failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
    def lenient(n: int) -> int:
        return inc(n=n)

    assert (
        lenient.closure.workflow.failure_policy
        is FailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE
    )


def test_workflow_inputs_are_bound_from_the_start_node() -> None:
    @workflow
    def passthrough(n: int) -> int:
        return inc(n=n)

    binding = passthrough.nodes[0].inputs[0].data
    assert isinstance(binding, PromiseBinding) and binding.node == START_NODE


def test_lists_of_promises_bind_as_collections() -> None:
    @task
    def total(values: list[int]) -> int:
        return sum(values)

    @workflow
    def fan(n: int) -> int:
        return total(values=[inc(n=n), inc(n=n), 10])

    assert fan(n=1) == 14


class Single(NamedTuple):
    value: int


@task
def single_named(n: int) -> Single:
    return Single(value=n + 1)


def test_a_one_field_namedtuple_output_is_unpacked_by_name() -> None:
    @workflow
    def wf(n: int) -> int:
        return inc(n=single_named(n=n).value)

    assert single_named.interface.outputs.keys() == {"value"}
    assert single_named(n=1) == Single(value=2)
    assert wf(n=1) == 3


def test_misusing_a_promise_names_the_line_of_the_workflow_body() -> None:
    @task
    def add_one(x: int) -> int:
        return x + 1

    misuses = {
        "in an if": (lambda p: bool(p), "cannot be used in an if"),
        "in arithmetic": (lambda p: p + 1, "cannot be computed with; do the arithmetic in a task"),
        "reversed arithmetic": (lambda p: 2 * p, "cannot be computed with"),
        "unpacked": (lambda p: tuple(p), "cannot iterate over .* \\(nor unpack it\\)"),
        "a missing attribute": (lambda p: p.bogus, "has no attribute 'bogus'"),
    }
    for misuse, message in misuses.values():
        with pytest.raises(CompileError, match=r"test_workflow_compile\.py:\d+: .*" + message):

            @workflow
            def wf(x: int) -> int:
                return misuse(add_one(x=x))  # noqa: B023 - each workflow compiles at once


def test_a_workflow_calling_a_task_defined_below_it_says_why_at_the_line_of_the_call() -> None:
    with pytest.raises(CompileError) as caught:

        @workflow
        def early(n: int) -> str:
            return defined_later(n=n)  # type: ignore[name-defined]  # noqa: F821

    source = Path(__file__).read_text().splitlines()
    line = next(i for i, text in enumerate(source, 1) if "return defined_later(" in text)
    where, _, message = str(caught.value).partition(": ")
    assert where.endswith(f"{Path(__file__).name}:{line}")
    assert "name 'defined_later' is not defined; aloft compiles a workflow where @workflow" in (
        message
    )
