"""The imperative ``Workflow``, as flytekit users build one: inputs, entities, outputs."""

from __future__ import annotations

import pytest

from aloft import LaunchPlan, Workflow, task, workflow
from aloft.errors import CompileError, DecoratorError
from aloft.ir import TaskTarget, WorkflowTarget


@task
def shout(text: str) -> str:
    return text.upper()


@task
def count(text: str) -> int:
    return len(text)


@workflow
def doubled(text: str) -> str:
    return shout(text=text)


def _pipeline() -> Workflow:
    wb = Workflow(name="tests.imperative.pipeline")
    text = wb.add_workflow_input("text", str)
    loud = wb.add_entity(shout, text=text)
    sub = wb.add_subwf(doubled, text=loud.outputs["o0"])
    size = wb.add_task(count, text=sub.outputs["o0"])
    wb.add_workflow_output("loud", sub.outputs["o0"])
    wb.add_workflow_output("size", size.outputs["o0"])
    return wb


def test_an_imperative_workflow_compiles_runs_and_nests() -> None:
    wb = _pipeline()
    assert [type(n.target) for n in wb.nodes] == [TaskTarget, WorkflowTarget, TaskTarget]
    assert wb(text="hey") == ("HEY", 3)

    @workflow
    def outer(text: str) -> int:
        return wb(text=text).size

    assert outer(text="four") == 4


def test_a_launch_plan_and_ordering_with_rshift() -> None:
    wb = Workflow(name="tests.imperative.ordered")
    text = wb.add_workflow_input("text", str)
    plan = LaunchPlan.get_or_create(doubled, name="tests.imperative.plan")
    first = wb.add_entity(count, text=text)
    second = wb.add_launch_plan(plan, text=text)
    first >> second
    wb.add_workflow_output("out", second.outputs["o0"])
    assert wb.nodes[1].upstream == (wb.nodes[0].id,)
    assert wb(text="ab") == "AB"


def test_bad_building_steps_are_refused_naming_the_line() -> None:
    wb = Workflow(name="tests.imperative.bad")
    text = wb.add_workflow_input("text", str)
    with pytest.raises(
        DecoratorError, match=r"test_imperative\.py:\d+: .*input 'text' is declared"
    ):
        wb.add_workflow_input("text", int)
    with pytest.raises(DecoratorError, match="input name 'not a name' is not a valid identifier"):
        wb.add_workflow_input("not a name", int)
    with pytest.raises(DecoratorError, match="add_entity needs a task, workflow or launch plan"):
        wb.add_entity(print)  # type: ignore[arg-type]
    with pytest.raises(CompileError, match=r"test_imperative\.py:\d+: .*unknown input 'txt'"):
        wb.add_entity(shout, txt=text)
    with pytest.raises(DecoratorError, match="needs python_type= when it is not one node output"):
        wb.add_workflow_output("both", [text, text])
    with pytest.raises(DecoratorError, match="Workflow needs a name"):
        Workflow(name="")


def test_a_missing_output_and_a_mistyped_output_are_named_at_their_line() -> None:
    wb = Workflow(name="tests.imperative.outputs")
    text = wb.add_workflow_input("text", str)
    node = wb.add_entity(shout, text=text)
    with pytest.raises(CompileError, match=r"test_imperative\.py:\d+: node n0 .* no output 'o1'"):
        _ = node.outputs["o1"]
    with pytest.raises(DecoratorError, match=r"output 'n' is declared int but .* is str"):
        wb.add_workflow_output("n", node.outputs["o0"], python_type=int)
