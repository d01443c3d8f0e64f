"""The reconcile loop over hand-built IR, with an executor that runs plain functions.

These tests pin the engine's semantics without the SDK: scheduling order, retries from the
right budget, failure policies, subworkflow frames and resuming from stored state.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from aloft.engine import Engine, InMemoryStore
from aloft.executors import Executor
from aloft.ir import (
    START_NODE,
    Binding,
    CodeReference,
    ErrorKind,
    ExecutionError,
    ExecutionId,
    ExecutionPhase,
    ExecutionSpec,
    FailurePolicy,
    Identifier,
    IntegerValue,
    Literal,
    Node,
    NodePhase,
    PromiseBinding,
    ResourceType,
    SimpleKind,
    SimpleType,
    TaskAttemptResult,
    TaskAttemptSpec,
    TaskMetadata,
    TaskTarget,
    TaskTemplate,
    TypedInterface,
    Variable,
    WorkflowClosure,
    WorkflowTarget,
    WorkflowTemplate,
)

INT = Variable(type=SimpleType(simple=SimpleKind.INTEGER))
Behaviour = Callable[[TaskAttemptSpec], TaskAttemptResult]


def make_task(name: str, retries: int = 0) -> TaskTemplate:
    return TaskTemplate(
        id=Identifier(resource_type=ResourceType.TASK, name=name),
        interface=TypedInterface(inputs={"x": INT}, outputs={"o0": INT}),
        code=CodeReference(module="tests", qualname=name),
        metadata=TaskMetadata(retries=retries),
    )


def node(
    node_id: str, task: TaskTemplate | WorkflowTemplate, source: str, after: tuple[str, ...] = ()
) -> Node:
    upstream = tuple(dict.fromkeys([*([source] if source != START_NODE else []), *after]))
    target = (
        TaskTarget(task=task.id)
        if isinstance(task, TaskTemplate)
        else WorkflowTarget(workflow=task.id)
    )
    output = "x" if source == START_NODE else "o0"
    return Node(
        id=node_id,
        name=task.id.name,
        target=target,
        inputs=(Binding(var="x", data=PromiseBinding(node=source, output=output)),),
        upstream=upstream,
    )


def workflow(
    name: str,
    nodes: tuple[Node, ...],
    last: str,
    policy: FailurePolicy = FailurePolicy.FAIL_IMMEDIATELY,
) -> WorkflowTemplate:
    return WorkflowTemplate(
        id=Identifier(resource_type=ResourceType.WORKFLOW, name=name),
        interface=TypedInterface(inputs={"x": INT}, outputs={"o0": INT}),
        nodes=nodes,
        outputs=(Binding(var="o0", data=PromiseBinding(node=last, output="o0")),),
        failure_policy=policy,
    )


class ScriptedExecutor(Executor):
    """Runs each task's behaviour inline and records the order of submissions."""

    def __init__(self, behaviours: dict[str, Behaviour]) -> None:
        self.behaviours = behaviours
        self.submitted: list[tuple[str, int]] = []
        self.results: list[TaskAttemptResult] = []

    def submit(self, attempt: TaskAttemptSpec) -> None:
        self.submitted.append((attempt.node, attempt.attempt))
        self.results.append(self.behaviours[attempt.task.id.name](attempt))

    def poll(self, timeout: float | None = None) -> list[TaskAttemptResult]:
        results, self.results = self.results, []
        return results


def add_one(spec: TaskAttemptSpec) -> TaskAttemptResult:
    x = spec.inputs["x"]
    assert isinstance(x, IntegerValue)
    return TaskAttemptResult(
        node=spec.node, attempt=spec.attempt, outputs={"o0": IntegerValue(value=x.value + 1)}
    )


def failing(kind: ErrorKind, times: int = 1_000) -> Behaviour:
    calls: list[int] = []

    def behaviour(spec: TaskAttemptSpec) -> TaskAttemptResult:
        calls.append(spec.attempt)
        if len(calls) <= times:
            error = ExecutionError(kind=kind, message=f"boom {len(calls)}")
            return TaskAttemptResult(node=spec.node, attempt=spec.attempt, error=error)
        return add_one(spec)

    return behaviour


def run(
    closure: WorkflowClosure, executor: Executor, x: int = 0, store: InMemoryStore | None = None
) -> tuple[InMemoryStore, ExecutionId]:
    store = store or InMemoryStore()
    execution = ExecutionId(name="e1")
    inputs: dict[str, Literal] = {"x": IntegerValue(value=x)}
    store.create(ExecutionSpec(id=execution, closure=closure, inputs=inputs))
    Engine(store, executor).run(execution)
    return store, execution


def chain(length: int, task: TaskTemplate) -> WorkflowClosure:
    nodes = tuple(node(f"n{i}", task, START_NODE if i == 0 else f"n{i - 1}") for i in range(length))
    return WorkflowClosure(workflow=workflow("chain", nodes, f"n{length - 1}"), tasks=(task,))


def test_a_chain_runs_in_order_and_passes_values_along() -> None:
    inc = make_task("inc")
    executor = ScriptedExecutor({"inc": add_one})
    store, execution = run(chain(5, inc), executor, x=10)
    state = store.load(execution)
    assert state.phase is ExecutionPhase.SUCCEEDED
    assert state.outputs == {"o0": IntegerValue(value=15)}
    assert [n for n, _ in executor.submitted] == ["n0", "n1", "n2", "n3", "n4"]


def test_recoverable_errors_are_retried_up_to_retries_then_fail() -> None:
    flaky = make_task("flaky", retries=2)
    executor = ScriptedExecutor({"flaky": failing(ErrorKind.RECOVERABLE)})
    store, execution = run(chain(1, flaky), executor)
    state = store.load(execution)
    assert state.phase is ExecutionPhase.FAILED
    assert executor.submitted == [("n0", 0), ("n0", 1), ("n0", 2)]
    assert state.error is not None and state.error.message == "boom 3"
    assert state.error.task == "flaky" and state.error.node == "n0"


def test_a_recoverable_error_then_success_succeeds() -> None:
    flaky = make_task("flaky", retries=3)
    executor = ScriptedExecutor({"flaky": failing(ErrorKind.RECOVERABLE, times=2)})
    store, execution = run(chain(1, flaky), executor, x=1)
    state = store.load(execution)
    assert state.phase is ExecutionPhase.SUCCEEDED
    assert state.outputs == {"o0": IntegerValue(value=2)}
    assert state.node("n0").attempt == 2


def test_user_errors_are_not_retried() -> None:
    broken = make_task("broken", retries=5)
    executor = ScriptedExecutor({"broken": failing(ErrorKind.USER)})
    store, execution = run(chain(1, broken), executor)
    assert store.load(execution).phase is ExecutionPhase.FAILED
    assert executor.submitted == [("n0", 0)]


def test_system_errors_use_their_own_budget() -> None:
    task = make_task("lost", retries=0)
    executor = ScriptedExecutor({"lost": failing(ErrorKind.SYSTEM, times=2)})
    store, execution = run(chain(1, task), executor)
    assert store.load(execution).phase is ExecutionPhase.SUCCEEDED
    assert len(executor.submitted) == 3


def test_fail_immediately_stops_scheduling_after_a_failure() -> None:
    inc, broken = make_task("inc"), make_task("broken")
    nodes = (node("n0", broken, START_NODE), node("n1", inc, START_NODE), node("n2", inc, "n1"))
    closure = WorkflowClosure(workflow=workflow("wf", nodes, "n2"), tasks=(broken, inc))
    executor = ScriptedExecutor({"inc": add_one, "broken": failing(ErrorKind.USER)})
    store, execution = run(closure, executor)
    state = store.load(execution)
    assert state.phase is ExecutionPhase.FAILED
    assert state.node("n2").phase is NodePhase.NOT_STARTED


def test_fail_after_executable_nodes_complete_runs_the_independent_branch() -> None:
    inc, broken = make_task("inc"), make_task("broken")
    nodes = (
        node("n0", broken, START_NODE),
        node("n1", inc, START_NODE),
        node("n2", inc, "n1"),
        node("n3", inc, "n0"),
    )
    template = workflow("wf", nodes, "n2", FailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
    closure = WorkflowClosure(workflow=template, tasks=(broken, inc))
    executor = ScriptedExecutor({"inc": add_one, "broken": failing(ErrorKind.USER)})
    store, execution = run(closure, executor)
    state = store.load(execution)
    assert state.phase is ExecutionPhase.FAILED
    assert state.node("n2").phase is NodePhase.SUCCEEDED
    assert state.node("n3").phase is NodePhase.NOT_STARTED
    assert state.error is not None and state.error.node == "n0"


def test_subworkflow_nodes_run_in_their_own_frame() -> None:
    inc = make_task("inc")
    sub = workflow("sub", (node("n0", inc, START_NODE), node("n1", inc, "n0")), "n1")
    top = workflow("top", (node("n0", sub, START_NODE), node("n1", inc, "n0")), "n1")
    closure = WorkflowClosure(workflow=top, subworkflows=(sub,), tasks=(inc,))
    executor = ScriptedExecutor({"inc": add_one})
    store, execution = run(closure, executor, x=0)
    state = store.load(execution)
    assert state.outputs == {"o0": IntegerValue(value=3)}
    assert [n for n, _ in executor.submitted] == ["n0/n0", "n0/n1", "n1"]
    assert state.node("n0").outputs == {"o0": IntegerValue(value=2)}


def test_a_failing_subworkflow_fails_its_parent_node() -> None:
    inc, broken = make_task("inc"), make_task("broken")
    sub = workflow("sub", (node("n0", broken, START_NODE),), "n0")
    top = workflow("top", (node("n0", sub, START_NODE), node("n1", inc, "n0")), "n1")
    closure = WorkflowClosure(workflow=top, subworkflows=(sub,), tasks=(inc, broken))
    executor = ScriptedExecutor({"inc": add_one, "broken": failing(ErrorKind.USER)})
    store, execution = run(closure, executor)
    state = store.load(execution)
    assert state.phase is ExecutionPhase.FAILED
    assert state.node("n0").phase is NodePhase.FAILED
    assert state.error is not None and state.error.node == "n0/n0"


def test_restarting_resumes_without_rerunning_succeeded_nodes() -> None:
    inc = make_task("inc")
    closure = chain(4, inc)

    class Crash(Exception):
        pass

    def crash_on_n2(spec: TaskAttemptSpec) -> TaskAttemptResult:
        if spec.node == "n2":
            raise Crash
        return add_one(spec)

    store = InMemoryStore()
    first = ScriptedExecutor({"inc": crash_on_n2})
    with pytest.raises(Crash):
        run(closure, first, x=0, store=store)
    execution = ExecutionId(name="e1")
    assert store.load(execution).node("n1").phase is NodePhase.SUCCEEDED

    second = ScriptedExecutor({"inc": add_one})
    Engine(store, second).run(execution)
    state = store.load(execution)
    assert state.phase is ExecutionPhase.SUCCEEDED
    assert state.outputs == {"o0": IntegerValue(value=4)}
    assert [n for n, _ in second.submitted] == ["n2", "n3"]
