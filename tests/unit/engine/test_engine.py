"""The engine over hand-built IR, with executors that run plain functions.

These tests pin the engine's semantics without the SDK: scheduling order, retries from the
right budget, failure policies, subworkflow frames, parallelism, termination, fencing of
results and resuming from stored records with another host.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from msgspec import structs

from aloft.engine import EngineHost, ExecutionBusy
from aloft.executors import Executor
from aloft.ir import (
    REFERENCE_TASK_TYPE,
    START_NODE,
    Binding,
    CacheConfig,
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
    NodeKey,
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
    cache_key,
)
from aloft.storage.catalog import InMemoryCatalog
from aloft.storage.executions import Changes, ExecutionSnapshot, InMemoryStore, StoreError

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
    """Runs each task's behaviour when polled; records submissions and cancellations.

    With ``hold`` set, attempts stay in flight until the test calls ``release``.
    """

    def __init__(self, behaviours: dict[str, Behaviour], hold: bool = False) -> None:
        self.behaviours = behaviours
        self.hold = hold
        self.submitted: list[tuple[str, int]] = []
        self.cancelled: list[str] = []
        self.waiting: dict[str, TaskAttemptSpec] = {}
        self.peak = 0

    def submit(self, attempt: TaskAttemptSpec) -> None:
        self.submitted.append((str(attempt.node), attempt.attempt))
        self.waiting[attempt.token] = attempt
        self.peak = max(self.peak, len(self.waiting))

    def release(self, token: str | None = None) -> list[TaskAttemptSpec]:
        """Let one attempt (or all) finish at the next poll."""
        chosen = [token] if token else list(self.waiting)
        return [self.waiting.pop(t) for t in chosen]

    def poll(self, timeout: float | None = None) -> list[TaskAttemptResult]:
        if self.hold:
            return []
        specs = self.release()
        return [self.behaviours[s.task.id.name](s) for s in specs]

    def cancel(self, token: str) -> None:
        self.cancelled.append(token)
        self.waiting.pop(token, None)

    def in_flight(self) -> set[str]:
        return set(self.waiting)


def result(spec: TaskAttemptSpec, **fields: object) -> TaskAttemptResult:
    return TaskAttemptResult(
        execution=spec.execution,
        node=spec.node,
        attempt=spec.attempt,
        token=spec.token,
        **fields,  # type: ignore[arg-type]
    )


def add_one(spec: TaskAttemptSpec) -> TaskAttemptResult:
    x = spec.inputs["x"]
    assert isinstance(x, IntegerValue)
    return result(spec, outputs={"o0": IntegerValue(value=x.value + 1)})


def failing(kind: ErrorKind, times: int = 1_000) -> Behaviour:
    calls: list[int] = []

    def behaviour(spec: TaskAttemptSpec) -> TaskAttemptResult:
        calls.append(spec.attempt)
        if len(calls) <= times:
            return result(spec, error=ExecutionError(kind=kind, message=f"boom {len(calls)}"))
        return add_one(spec)

    return behaviour


EXECUTION = ExecutionId(name="e1")


def host_for(store: InMemoryStore, executor: Executor, **settings: float) -> EngineHost:
    return EngineHost(store, executor, data_root="file:///nowhere", **settings)  # type: ignore[arg-type]


def create(
    store: InMemoryStore, closure: WorkflowClosure, x: int = 0, max_parallelism: int | None = None
) -> None:
    inputs: dict[str, Literal] = {"x": IntegerValue(value=x)}
    spec = ExecutionSpec(
        id=EXECUTION, closure=closure, inputs=inputs, max_parallelism=max_parallelism
    )
    store.create(spec, datetime.datetime.now(datetime.UTC))


def run(
    closure: WorkflowClosure, executor: Executor, x: int = 0, max_parallelism: int | None = None
) -> ExecutionSnapshot:
    store = InMemoryStore()
    create(store, closure, x, max_parallelism)
    host_for(store, executor).run_until_ended(EXECUTION)
    return store.load(EXECUTION)


def key(*path: str) -> NodeKey:
    return NodeKey(path=path)


def chain(length: int, task: TaskTemplate) -> WorkflowClosure:
    nodes = tuple(node(f"n{i}", task, START_NODE if i == 0 else f"n{i - 1}") for i in range(length))
    return WorkflowClosure(workflow=workflow("chain", nodes, f"n{length - 1}"), tasks=(task,))


def wide(width: int, task: TaskTemplate) -> WorkflowClosure:
    nodes = tuple(node(f"n{i}", task, START_NODE) for i in range(width))
    return WorkflowClosure(workflow=workflow("wide", nodes, "n0"), tasks=(task,))


def turns(host: EngineHost, count: int = 3) -> None:
    stop = threading.Event()
    for _ in range(count):
        host.run_once(stop)


def test_a_chain_runs_in_order_and_passes_values_along() -> None:
    executor = ScriptedExecutor({"inc": add_one})
    state = run(chain(5, make_task("inc")), executor, x=10)
    assert state.execution.phase is ExecutionPhase.SUCCEEDED
    assert state.execution.outputs == {"o0": IntegerValue(value=15)}
    assert [n for n, _ in executor.submitted] == ["n0", "n1", "n2", "n3", "n4"]


def test_every_transition_is_in_the_event_log_once() -> None:
    store = InMemoryStore()
    create(store, chain(2, make_task("inc")))
    host_for(store, ScriptedExecutor({"inc": add_one})).run_until_ended(EXECUTION)
    log = [(e.kind.value, str(e.node), e.attempt, e.phase) for e in store.events(EXECUTION)]
    assert log == [
        ("execution", "", 0, "queued"),
        ("execution", "", 0, "running"),
        ("node", "n0", 0, "running"),
        ("attempt", "n0", 0, "running"),
        ("attempt", "n0", 0, "succeeded"),
        ("node", "n0", 0, "succeeded"),
        ("node", "n1", 0, "running"),
        ("attempt", "n1", 0, "running"),
        ("attempt", "n1", 0, "succeeded"),
        ("node", "n1", 0, "succeeded"),
        ("execution", "", 0, "succeeded"),
    ]
    versions = [e.version for e in store.events(EXECUTION)[1:]]
    assert versions == sorted(versions)


def test_recoverable_errors_are_retried_up_to_retries_then_fail() -> None:
    executor = ScriptedExecutor({"flaky": failing(ErrorKind.RECOVERABLE)})
    state = run(chain(1, make_task("flaky", retries=2)), executor)
    assert state.execution.phase is ExecutionPhase.FAILED
    assert executor.submitted == [("n0", 0), ("n0", 1), ("n0", 2)]
    error = state.execution.error
    assert error is not None and error.message == "boom 3"
    assert error.task == "flaky" and error.node == "n0"
    assert state.nodes[key("n0")].user_failures == 3


def test_a_recoverable_error_then_success_succeeds() -> None:
    executor = ScriptedExecutor({"flaky": failing(ErrorKind.RECOVERABLE, times=2)})
    state = run(chain(1, make_task("flaky", retries=3)), executor, x=1)
    assert state.execution.phase is ExecutionPhase.SUCCEEDED
    assert state.execution.outputs == {"o0": IntegerValue(value=2)}
    assert state.nodes[key("n0")].attempt == 2
    assert len(state.attempts) == 3


def test_user_errors_are_not_retried() -> None:
    executor = ScriptedExecutor({"broken": failing(ErrorKind.USER)})
    state = run(chain(1, make_task("broken", retries=5)), executor)
    assert state.execution.phase is ExecutionPhase.FAILED
    assert executor.submitted == [("n0", 0)]


def test_system_errors_use_their_own_budget() -> None:
    executor = ScriptedExecutor({"lost": failing(ErrorKind.SYSTEM, times=2)})
    state = run(chain(1, make_task("lost", retries=0)), executor)
    assert state.execution.phase is ExecutionPhase.SUCCEEDED
    assert len(executor.submitted) == 3
    record = state.nodes[key("n0")]
    assert (record.user_failures, record.system_failures) == (0, 2)


def test_fail_immediately_stops_scheduling_after_a_failure() -> None:
    inc, broken = make_task("inc"), make_task("broken")
    nodes = (node("n0", broken, START_NODE), node("n1", inc, START_NODE), node("n2", inc, "n1"))
    closure = WorkflowClosure(workflow=workflow("wf", nodes, "n2"), tasks=(broken, inc))
    executor = ScriptedExecutor({"inc": add_one, "broken": failing(ErrorKind.USER)})
    state = run(closure, executor)
    assert state.execution.phase is ExecutionPhase.FAILED
    assert key("n2") not in state.nodes
    assert state.nodes[key("n1")].phase in (NodePhase.ABORTED, NodePhase.SUCCEEDED)


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
    state = run(closure, executor)
    assert state.execution.phase is ExecutionPhase.FAILED
    assert state.nodes[key("n2")].phase is NodePhase.SUCCEEDED
    assert key("n3") not in state.nodes
    assert state.execution.error is not None and state.execution.error.node == "n0"


def test_subworkflow_nodes_run_in_their_own_frame() -> None:
    inc = make_task("inc")
    sub = workflow("sub", (node("n0", inc, START_NODE), node("n1", inc, "n0")), "n1")
    top = workflow("top", (node("n0", sub, START_NODE), node("n1", inc, "n0")), "n1")
    closure = WorkflowClosure(workflow=top, subworkflows=(sub,), tasks=(inc,))
    executor = ScriptedExecutor({"inc": add_one})
    state = run(closure, executor, x=0)
    assert state.execution.outputs == {"o0": IntegerValue(value=3)}
    assert [n for n, _ in executor.submitted] == ["n0/n0", "n0/n1", "n1"]
    assert state.nodes[key("n0")].outputs == {"o0": IntegerValue(value=2)}


def test_a_failing_subworkflow_fails_its_parent_node() -> None:
    inc, broken = make_task("inc"), make_task("broken")
    sub = workflow("sub", (node("n0", broken, START_NODE),), "n0")
    top = workflow("top", (node("n0", sub, START_NODE), node("n1", inc, "n0")), "n1")
    closure = WorkflowClosure(workflow=top, subworkflows=(sub,), tasks=(inc, broken))
    executor = ScriptedExecutor({"inc": add_one, "broken": failing(ErrorKind.USER)})
    state = run(closure, executor)
    assert state.execution.phase is ExecutionPhase.FAILED
    assert state.nodes[key("n0")].phase is NodePhase.FAILED
    assert state.execution.error is not None and state.execution.error.node == "n0/n0"


def test_max_parallelism_caps_the_attempts_running_at_once() -> None:
    executor = ScriptedExecutor({"inc": add_one})
    state = run(wide(6, make_task("inc")), executor, max_parallelism=2)
    assert state.execution.phase is ExecutionPhase.SUCCEEDED
    assert executor.peak == 2
    assert len(executor.submitted) == 6


def test_a_duplicate_or_stale_result_is_rejected_and_changes_nothing() -> None:
    store = InMemoryStore()
    create(store, chain(1, make_task("flaky", retries=1)), x=1)
    executor = ScriptedExecutor({}, hold=True)
    host = host_for(store, executor)
    turns(host)
    (first,) = executor.release()
    failure = result(first, error=ExecutionError(kind=ErrorKind.RECOVERABLE, message="once"))
    now = datetime.datetime.now(datetime.UTC)
    assert [o.accepted for o in store.accept_results([failure, failure], now)] == [True, False]
    host.views[EXECUTION].stale = True
    host._dirty[EXECUTION] = None
    turns(host)
    assert store.load(EXECUTION).nodes[key("n0")].attempt == 1
    late = add_one(first)  # attempt 0 reporting success after it was retried
    (outcome,) = store.accept_results([late], now)
    assert not outcome.accepted and "ended" in outcome.reason
    state = store.load(EXECUTION)
    assert state.nodes[key("n0")].user_failures == 1
    assert state.nodes[key("n0")].phase is NodePhase.RUNNING


def test_terminate_cancels_running_attempts_and_rejects_late_results() -> None:
    store = InMemoryStore()
    create(store, wide(3, make_task("inc")))
    executor = ScriptedExecutor({}, hold=True)
    host = host_for(store, executor, claim_interval=0.0)
    turns(host)
    running = dict(executor.waiting)
    assert len(running) == 3
    assert store.request_abort(EXECUTION)
    host.run_until_ended(EXECUTION)
    state = store.load(EXECUTION)
    assert state.execution.phase is ExecutionPhase.ABORTED
    assert sorted(executor.cancelled) == sorted(running)
    assert {n.phase for n in state.nodes.values()} == {NodePhase.ABORTED}
    version = state.execution.version
    now = datetime.datetime.now(datetime.UTC)
    outcomes = store.accept_results([add_one(s) for s in running.values()], now)
    assert not any(o.accepted for o in outcomes)
    assert store.load(EXECUTION).execution.version == version


@pytest.fixture
def crashed_chain() -> Iterator[tuple[InMemoryStore, ScriptedExecutor]]:
    """A 4-task chain whose first host ran n0 and n1 and died while n2 was running."""
    store = InMemoryStore()
    create(store, chain(4, make_task("inc")))
    executor = ScriptedExecutor({"inc": add_one}, hold=True)
    first = host_for(store, executor, attempt_lease_ttl=0.05, lease_ttl=0.05)
    for _ in range(2):
        turns(first, 1)
        executor.hold = False
        turns(first, 1)
        executor.hold = True
    turns(first, 1)
    assert [n for n, _ in executor.submitted] == ["n0", "n1", "n2"]
    time.sleep(0.1)  # the first host is gone: its leases run out
    yield store, executor


def test_another_host_resumes_without_rerunning_succeeded_nodes(
    crashed_chain: tuple[InMemoryStore, ScriptedExecutor],
) -> None:
    store, _ = crashed_chain
    second = ScriptedExecutor({"inc": add_one})
    host_for(store, second).run_until_ended(EXECUTION)
    state = store.load(EXECUTION)
    assert state.execution.phase is ExecutionPhase.SUCCEEDED
    assert state.execution.outputs == {"o0": IntegerValue(value=4)}
    assert second.submitted == [("n2", 1), ("n3", 0)]
    lost = state.nodes[key("n2")]
    assert (lost.user_failures, lost.system_failures) == (0, 1)


def test_restart_under_fail_after_executable_nodes_complete_runs_the_rest() -> None:
    inc, broken = make_task("inc"), make_task("broken")
    nodes = (
        node("n0", broken, START_NODE),
        node("n1", inc, START_NODE),
        node("n2", inc, "n1"),
    )
    template = workflow("wf", nodes, "n2", FailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
    closure = WorkflowClosure(workflow=template, tasks=(broken, inc))
    store = InMemoryStore()
    create(store, closure)
    behaviours = {"inc": add_one, "broken": failing(ErrorKind.USER)}
    executor = ScriptedExecutor(behaviours, hold=True)
    first = host_for(store, executor, attempt_lease_ttl=0.05, lease_ttl=0.05)
    turns(first, 1)
    (broken_spec,) = [s for s in executor.waiting.values() if s.task.id.name == "broken"]
    executor.release(broken_spec.token)
    now = datetime.datetime.now(datetime.UTC)
    store.accept_results([behaviours["broken"](broken_spec)], now)
    first._dirty[EXECUTION] = None
    first.views[EXECUTION].stale = True
    turns(first, 1)
    state = store.load(EXECUTION)
    assert state.nodes[key("n0")].phase is NodePhase.FAILED
    assert state.nodes[key("n1")].phase is NodePhase.RUNNING
    time.sleep(0.1)  # the first host dies with n1 running

    second = ScriptedExecutor(behaviours)
    host_for(store, second).run_until_ended(EXECUTION)
    state = store.load(EXECUTION)
    assert state.execution.phase is ExecutionPhase.FAILED
    assert state.nodes[key("n1")].phase is NodePhase.SUCCEEDED
    assert state.nodes[key("n2")].phase is NodePhase.SUCCEEDED
    assert second.submitted == [("n1", 1), ("n2", 0)]
    assert not any(n.phase is NodePhase.RUNNING for n in state.nodes.values())


def test_a_host_that_claims_no_new_work_steps_only_what_it_took_over() -> None:
    store = InMemoryStore()
    create(store, chain(1, make_task("inc")))
    other = ExecutionSpec(id=ExecutionId(name="someone-else"), closure=chain(1, make_task("inc")))
    store.create(other, datetime.datetime.now(datetime.UTC))
    host = EngineHost(
        store, ScriptedExecutor({"inc": add_one}), data_root="file:///nowhere", claim_new=False
    )
    host.take_over(EXECUTION)
    host.run_until_ended(EXECUTION)
    assert store.load(EXECUTION).execution.phase is ExecutionPhase.SUCCEEDED
    assert store.load(other.id).execution.phase is ExecutionPhase.QUEUED
    assert store.lease(other.id) == ("", 0.0)


def test_taking_over_an_execution_a_live_host_holds_is_refused() -> None:
    store = InMemoryStore()
    create(store, chain(1, make_task("inc")))
    first = host_for(store, ScriptedExecutor({}, hold=True))
    first.take_over(EXECUTION)
    second = host_for(store, ScriptedExecutor({}, hold=True))
    with pytest.raises(ExecutionBusy, match="is being run by engine host"):
        second.take_over(EXECUTION)


def test_a_new_host_does_not_take_an_attempt_for_lost_while_its_lease_is_renewed() -> None:
    store = InMemoryStore()
    create(store, chain(1, make_task("inc")))
    first = ScriptedExecutor({}, hold=True)
    turns(host_for(store, first, lease_ttl=0.05, attempt_lease_ttl=0.3), 1)
    (token,) = first.waiting
    time.sleep(0.1)  # the first host stalls: its lease on the execution runs out
    second = ScriptedExecutor({}, hold=True)
    other = host_for(store, second, claim_interval=0.0)
    turns(other, 1)  # takes the execution over, with the attempt's lease as it was then
    store.renew_attempts([token], time.time() + 10)  # the first host's worker still beats
    time.sleep(0.35)  # past the lease the second host loaded
    other._dirty[EXECUTION] = None  # make it step now
    turns(other, 1)
    assert second.submitted == []
    assert store.load(EXECUTION).attempts[token].phase is NodePhase.RUNNING


def test_a_running_attempts_record_names_its_log_until_its_result_says_otherwise() -> None:
    store = InMemoryStore()
    create(store, chain(1, make_task("inc")))
    executor = ScriptedExecutor({"inc": add_one}, hold=True)
    host = host_for(store, executor)
    turns(host, 1)
    [spec] = executor.waiting.values()
    [running] = store.load(EXECUTION).attempts.values()
    assert running.log_uri == f"{spec.output_prefix}/logs.txt"  # its worker publishes there
    executor.hold = False
    host.run_until_ended(EXECUTION)
    [ended] = store.load(EXECUTION).attempts.values()
    assert ended.log_uri == ""  # it printed nothing, its result says


def test_a_result_taken_in_survives_a_conflicting_write_and_is_not_run_again() -> None:
    store = InMemoryStore()
    create(store, wide(2, make_task("inc")))
    executor = ScriptedExecutor({"inc": add_one}, hold=True)
    host = host_for(store, executor)
    turns(host, 1)
    first, second = executor.release()
    host._take([add_one(first)])  # taken into the view, not yet written
    now = datetime.datetime.now(datetime.UTC)
    assert store.accept_results([add_one(second)], now)[0].accepted  # a write from elsewhere
    host.run_until_ended(EXECUTION)
    state = store.load(EXECUTION)
    assert state.execution.phase is ExecutionPhase.SUCCEEDED
    assert len(state.attempts) == 2
    assert executor.submitted == [("n0", 0), ("n1", 0)]


def test_waiting_for_an_execution_another_host_finished_returns_its_record() -> None:
    store = InMemoryStore()
    create(store, chain(1, make_task("inc")))
    stalled = host_for(
        store, ScriptedExecutor({}, hold=True), lease_ttl=0.05, attempt_lease_ttl=0.05
    )
    turns(stalled, 1)
    time.sleep(0.1)
    host_for(store, ScriptedExecutor({"inc": add_one}), claim_interval=0.0).run_until_ended(
        EXECUTION
    )
    record = stalled.run_until_ended(EXECUTION)  # wakes, finds its lease gone
    assert record.phase is ExecutionPhase.SUCCEEDED
    assert EXECUTION not in stalled.views


def test_after_a_restart_the_first_failure_is_still_the_one_reported() -> None:
    broken = make_task("broken")
    nodes = tuple(node(f"n{i}", broken, START_NODE) for i in range(2))
    template = workflow("wf", nodes, "n0", FailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
    store = InMemoryStore()
    create(store, WorkflowClosure(workflow=template, tasks=(broken,)))
    executor = ScriptedExecutor({"broken": failing(ErrorKind.USER)}, hold=True)
    first = host_for(store, executor, lease_ttl=0.05, attempt_lease_ttl=0.05)
    turns(first, 1)
    specs = {str(s.node): s for s in executor.release()}
    first._take([executor.behaviours["broken"](specs["n1"])])  # n1 fails first
    turns(first, 1)
    time.sleep(0.1)  # the host dies with n0 running
    behaviours = {
        "broken": lambda s: result(s, error=ExecutionError(kind=ErrorKind.USER, message="later"))
    }
    host_for(store, ScriptedExecutor(behaviours)).run_until_ended(EXECUTION)
    error = store.load(EXECUTION).execution.error
    assert error is not None and error.node == "n1"


def test_an_execution_that_cannot_be_stepped_fails_alone() -> None:
    store = InMemoryStore()
    now = datetime.datetime.now(datetime.UTC)
    bad = ExecutionSpec(id=ExecutionId(name="bad"), closure=chain(1, make_task("inc")))
    store.create(bad, now)  # no value for the input the first node reads
    create(store, chain(1, make_task("inc")))
    host = host_for(store, ScriptedExecutor({"inc": add_one}))
    host.run_until_ended(EXECUTION)
    host.run_until_ended(bad.id)
    assert store.load(EXECUTION).execution.phase is ExecutionPhase.SUCCEEDED
    failed = store.load(bad.id).execution
    assert failed.phase is ExecutionPhase.FAILED
    assert failed.error is not None and "has no input 'x'" in failed.error.message


def test_a_store_that_fails_for_a_moment_delays_a_step_without_failing_the_execution() -> None:
    class FlakyStore(InMemoryStore):
        failures = 2

        def apply(self, execution: ExecutionId, expected_version: int, changes: Changes) -> int:
            if self.failures:
                self.failures -= 1
                raise StoreError("the database failed: connection reset")
            return super().apply(execution, expected_version, changes)

    store = FlakyStore()
    create(store, chain(2, make_task("inc")), x=1)
    host_for(store, ScriptedExecutor({"inc": add_one})).run_until_ended(EXECUTION)
    state = store.load(EXECUTION)
    assert state.execution.phase is ExecutionPhase.SUCCEEDED
    assert state.execution.outputs == {"o0": IntegerValue(value=3)}


def test_a_reference_no_one_resolved_fails_its_node_naming_it() -> None:
    reference = structs.replace(make_task("clean"), type=REFERENCE_TASK_TYPE)
    executor = ScriptedExecutor({})
    state = run(chain(1, reference), executor)
    assert state.execution.phase is ExecutionPhase.FAILED
    assert state.execution.error is not None
    assert "the reference task clean (project default" in state.execution.error.message
    assert "was not resolved to a registered entity" in state.execution.error.message


def test_a_serialized_node_holds_its_cache_key_and_a_terminate_gives_it_back() -> None:
    cached = structs.replace(
        make_task("inc"),
        metadata=TaskMetadata(cache=CacheConfig(enabled=True, version="1", serialize=True)),
    )
    store, catalog = InMemoryStore(), InMemoryCatalog()
    create(store, wide(2, cached), x=1)
    executor = ScriptedExecutor({}, hold=True)
    host = EngineHost(
        store, executor, data_root="file:///nowhere", claim_interval=0.0, catalog=catalog
    )
    turns(host)
    assert len(executor.waiting) == 1  # the identical second node waits for the first
    assert store.load(EXECUTION).nodes[key("n1")].phase is NodePhase.WAITING
    cache = cache_key(cached, {"x": IntegerValue(value=1)})
    assert catalog.reserve(cache, "someone else", time.time(), 10.0) != "someone else"

    assert store.request_abort(EXECUTION)
    host.run_until_ended(EXECUTION)
    assert catalog.reserve(cache, "someone else", time.time(), 10.0) == "someone else"


def test_a_reservation_lives_as_long_as_its_attempt_runs() -> None:
    cached = structs.replace(
        make_task("inc"),
        metadata=TaskMetadata(cache=CacheConfig(enabled=True, version="1", serialize=True)),
    )
    store, catalog = InMemoryStore(), InMemoryCatalog()
    create(store, wide(1, cached), x=2)
    executor = ScriptedExecutor({}, hold=True)
    host = EngineHost(
        store,
        executor,
        data_root="file:///nowhere",
        claim_interval=0.0,
        lease_ttl=0.3,
        attempt_lease_ttl=0.5,
        catalog=catalog,
    )
    cache = cache_key(cached, {"x": IntegerValue(value=2)})
    deadline = time.monotonic() + 1.5  # three times the reservation's own lease
    while time.monotonic() < deadline:
        turns(host, 1)
        time.sleep(0.05)
    assert len(executor.waiting) == 1  # still running: its reservation was kept alive
    assert catalog.reserve(cache, "someone else", time.time(), 10.0) != "someone else"
