"""The reconcile loop: drive one execution from its stored state to a terminal phase.

The loop is level-triggered (DESIGN.md, principle 3). ``Engine.run`` loads the execution's
state from the store, works out which nodes can run from the phases recorded there, and from
then on records every transition in the store before acting on it. Restarting it on the same
store continues where the stored state says, without re-running a node recorded as succeeded.

Workflows nest: a subworkflow node opens a *frame* whose nodes are keyed under the node's key
(``n1/n0``); when the frame finishes, its output bindings become the node's outputs.
"""

from __future__ import annotations

import datetime
from collections import deque
from dataclasses import dataclass, field

from aloft.engine.bindings import BindingError, LiteralLoader, resolve_bindings
from aloft.engine.plan import WorkflowPlan
from aloft.engine.retry import DEFAULT_SYSTEM_RETRIES, should_retry
from aloft.engine.state import ExecutionState
from aloft.engine.store import ExecutionStore
from aloft.executors.base import Executor
from aloft.ir import (
    START_NODE,
    ErrorKind,
    ExecutionError,
    ExecutionEvent,
    ExecutionId,
    ExecutionPhase,
    FailurePolicy,
    Identifier,
    Literal,
    Node,
    NodeEvent,
    NodePhase,
    TaskAttemptResult,
    TaskAttemptSpec,
    TaskTarget,
    TaskTemplate,
    WorkflowTemplate,
)

_utc = datetime.UTC


class Engine:
    """Runs executions stored in ``store`` on ``executor``."""

    def __init__(
        self,
        store: ExecutionStore,
        executor: Executor,
        *,
        system_retries: int = DEFAULT_SYSTEM_RETRIES,
        load_offloaded: LiteralLoader | None = None,
    ) -> None:
        self.store = store
        self.executor = executor
        self.system_retries = system_retries
        self.load_offloaded = load_offloaded

    def run(self, execution: ExecutionId) -> ExecutionState:
        """Drive ``execution`` until it succeeds, fails or is aborted; return its final state."""
        return _ExecutionRun(self, self.store.load(execution)).drive()


@dataclass(eq=False)
class _Frame:
    """One running workflow (the top one or a subworkflow) inside an execution."""

    prefix: str
    plan: WorkflowPlan
    inputs: dict[str, Literal]
    parent: str | None
    waiting: dict[str, int]
    remaining: int
    pending: int = 0
    failure: ExecutionError | None = None
    closed: bool = False
    outputs: dict[str, dict[str, Literal]] = field(default_factory=dict)

    def lookup(self, node: str, output: str) -> Literal:
        """Output ``output`` of ``node`` in this frame (``START_NODE``: the frame's inputs)."""
        if node == START_NODE:
            return self.inputs[output]
        try:
            return self.outputs[node][output]
        except KeyError:
            raise BindingError(
                f"node {self.prefix}{node} has no recorded output {output!r}"
            ) from None


class _ExecutionRun:
    """The bookkeeping of one ``Engine.run`` call, rebuilt from the store each time."""

    def __init__(self, engine: Engine, state: ExecutionState) -> None:
        self.engine = engine
        self.store = engine.store
        self.executor = engine.executor
        self.state = state
        self.load = engine.load_offloaded
        self.id = state.spec.id
        closure = state.spec.closure
        self.tasks: dict[Identifier, TaskTemplate] = {t.id: t for t in closure.tasks}
        self.workflows: dict[Identifier, WorkflowTemplate] = {w.id: w for w in closure.subworkflows}
        self.plans: dict[Identifier, WorkflowPlan] = {}
        self.owner: dict[str, tuple[_Frame, Node]] = {}
        self.ready: deque[str] = deque()
        self.running: set[str] = set()
        self.done = False

    # -- the loop ---------------------------------------------------------------------------

    def drive(self) -> ExecutionState:
        if self.state.phase.is_terminal:
            return self.state
        if self.state.phase is ExecutionPhase.QUEUED:
            self._record_execution(ExecutionPhase.RUNNING)
        spec = self.state.spec
        self._open_frame("", spec.closure.workflow, dict(spec.inputs), parent=None)
        ready, start = self.ready, self._start
        while not self.done:
            if ready:
                start(ready.popleft())
            elif self.running:
                for result in self.executor.poll():
                    self._finish(result)
            else:  # nothing runs and nothing can start: a frame is stuck
                self._fail_execution(self._stuck_error())
        return self.state

    # -- frames -----------------------------------------------------------------------------

    def _plan(self, template: WorkflowTemplate) -> WorkflowPlan:
        plan = self.plans.get(template.id)
        if plan is None:
            plan = self.plans[template.id] = WorkflowPlan.of(template)
        return plan

    def _open_frame(
        self,
        prefix: str,
        template: WorkflowTemplate,
        inputs: dict[str, Literal],
        parent: str | None,
    ) -> None:
        plan = self._plan(template)
        frame = _Frame(
            prefix=prefix,
            plan=plan,
            inputs=inputs,
            parent=parent,
            waiting=dict(plan.upstream_count),
            remaining=len(plan.nodes),
        )
        nodes = self.state.nodes
        for node in template.nodes:
            key = prefix + node.id
            self.owner[key] = (frame, node)
            known = nodes.get(key)
            if known is not None and known.phase is NodePhase.SUCCEEDED:
                frame.outputs[node.id] = known.outputs or {}
                frame.remaining -= 1
                for downstream in plan.downstream[node.id]:
                    frame.waiting[downstream] -= 1
        for node in template.nodes:
            known = nodes.get(prefix + node.id)
            if known is not None and known.phase is NodePhase.SUCCEEDED:
                continue
            if known is not None and known.phase is NodePhase.FAILED and known.error:
                self._node_failed(frame, prefix + node.id, known.error, record=False)
            elif frame.waiting[node.id] == 0:
                self._enqueue(frame, prefix + node.id)
        if frame.remaining == 0:
            self._frame_succeeded(frame)

    def _enqueue(self, frame: _Frame, key: str) -> None:
        frame.pending += 1
        self.ready.append(key)

    def _frame_succeeded(self, frame: _Frame) -> None:
        frame.closed = True
        try:
            outputs = resolve_bindings(frame.plan.template.outputs, frame.lookup, self.load)
        except BindingError as exc:
            self._frame_failed(frame, ExecutionError(kind=ErrorKind.SYSTEM, message=str(exc)))
            return
        if frame.parent is None:
            self._record_execution(ExecutionPhase.SUCCEEDED, outputs=outputs)
            self.done = True
        else:
            parent_frame, _ = self.owner[frame.parent]
            self._node_succeeded(parent_frame, frame.parent, outputs)

    def _frame_failed(self, frame: _Frame, error: ExecutionError) -> None:
        frame.closed = True
        self._abort_running(frame.prefix)
        if frame.parent is None:
            self._fail_execution(error)
        else:
            parent_frame, _ = self.owner[frame.parent]
            self._node_failed(parent_frame, frame.parent, error)

    # -- nodes ------------------------------------------------------------------------------

    def _start(self, key: str) -> None:
        frame, node = self.owner[key]
        if frame.closed:
            return
        try:
            inputs = resolve_bindings(node.inputs, frame.lookup, self.load)
        except BindingError as exc:
            self._node_failed(frame, key, ExecutionError(kind=ErrorKind.SYSTEM, message=str(exc)))
            return
        state = self.state.node(key)
        attempt = state.attempt + 1 if state.phase is NodePhase.RETRYABLE_FAILURE else state.attempt
        self._record_node(key, attempt, NodePhase.RUNNING)
        target = node.target
        if isinstance(target, TaskTarget):
            task = self.tasks[target.task]
            overrides = node.overrides
            timeout = task.metadata.timeout
            if overrides is not None and overrides.timeout is not None:
                timeout = overrides.timeout
            self.running.add(key)
            self.executor.submit(
                TaskAttemptSpec(
                    execution=self.id,
                    node=key,
                    attempt=attempt,
                    task=task,
                    inputs=inputs,
                    timeout=timeout,
                )
            )
        else:
            template = self.workflows[target.workflow]
            self._open_frame(key + "/", template, inputs, parent=key)

    def _finish(self, result: TaskAttemptResult) -> None:
        key = result.node
        state = self.state.nodes.get(key)
        if state is None or state.phase is not NodePhase.RUNNING or state.attempt != result.attempt:
            return  # a result of an attempt aborted or superseded meanwhile
        self.running.discard(key)
        frame, node = self.owner[key]
        if result.error is None:
            self._node_succeeded(frame, key, result.outputs or {})
            return
        task = self.tasks[node.target.task] if type(node.target) is TaskTarget else None
        error = _located(result.error, key, task)
        retries = task.metadata.retries if task else 0
        if node.overrides is not None and node.overrides.retries is not None:
            retries = node.overrides.retries
        if should_retry(error, state, retries, self.engine.system_retries):
            self._record_node(key, result.attempt, NodePhase.RETRYABLE_FAILURE, error=error)
            self.ready.append(key)
        else:
            self._node_failed(frame, key, error)

    def _node_succeeded(self, frame: _Frame, key: str, outputs: dict[str, Literal]) -> None:
        self._record_node(key, self.state.node(key).attempt, NodePhase.SUCCEEDED, outputs=outputs)
        node_id = key[len(frame.prefix) :]
        frame.outputs[node_id] = outputs
        frame.pending -= 1
        frame.remaining -= 1
        if frame.closed:
            return
        waiting = frame.waiting
        for downstream in frame.plan.downstream[node_id]:
            waiting[downstream] -= 1
            if waiting[downstream] == 0:
                self._enqueue(frame, frame.prefix + downstream)
        if frame.remaining == 0:
            self._frame_succeeded(frame)
        elif frame.failure is not None and frame.pending == 0:
            self._frame_failed(frame, frame.failure)

    def _node_failed(
        self, frame: _Frame, key: str, error: ExecutionError, *, record: bool = True
    ) -> None:
        if record:
            self._record_node(key, self.state.node(key).attempt, NodePhase.FAILED, error=error)
            frame.pending -= 1
        self.running.discard(key)
        if frame.closed:
            return
        if frame.failure is None:
            frame.failure = error
        policy = frame.plan.template.failure_policy
        if policy is FailurePolicy.FAIL_IMMEDIATELY or frame.pending == 0:
            self._frame_failed(frame, frame.failure)

    def _abort_running(self, prefix: str) -> None:
        for key in sorted(k for k in self.running if k.startswith(prefix)):
            state = self.state.node(key)
            self.executor.cancel(key, state.attempt)
            self._record_node(key, state.attempt, NodePhase.ABORTED)
            self.running.discard(key)

    def _fail_execution(self, error: ExecutionError) -> None:
        self._abort_running("")
        self._record_execution(ExecutionPhase.FAILED, error=error)
        self.done = True

    def _stuck_error(self) -> ExecutionError:
        waiting = sorted(k for k, s in self.state.nodes.items() if not s.phase.is_terminal)
        return ExecutionError(
            kind=ErrorKind.SYSTEM,
            message=f"execution cannot make progress; nodes still waiting: {', '.join(waiting)}",
        )

    # -- recording --------------------------------------------------------------------------

    def _record_node(
        self,
        key: str,
        attempt: int,
        phase: NodePhase,
        *,
        outputs: dict[str, Literal] | None = None,
        error: ExecutionError | None = None,
    ) -> None:
        self.store.record_node_event(
            NodeEvent(
                execution=self.id,
                node=key,
                attempt=attempt,
                phase=phase,
                occurred_at=datetime.datetime.now(_utc),
                outputs=outputs,
                error=error,
            )
        )

    def _record_execution(
        self,
        phase: ExecutionPhase,
        *,
        outputs: dict[str, Literal] | None = None,
        error: ExecutionError | None = None,
    ) -> None:
        self.store.record_execution_event(
            ExecutionEvent(
                execution=self.id,
                phase=phase,
                occurred_at=datetime.datetime.now(_utc),
                outputs=outputs,
                error=error,
            )
        )


def _located(error: ExecutionError, key: str, task: TaskTemplate | None) -> ExecutionError:
    """``error`` with the node key and task name filled in, for messages."""
    if error.node and error.task:
        return error
    return ExecutionError(
        kind=error.kind,
        message=error.message,
        node=error.node or key,
        task=error.task or (task.id.name if task else ""),
        traceback=error.traceback,
    )
