"""Decide: one step of an execution, as changes to its view and actions for the host.

A step reads only the view (copies of the stored records and indexes built from them), the
compiled closure and the clock, and the immutable outputs documents records point to. It
changes the view, noting every change and its event, and lists the attempts to submit or
cancel. The host then writes the changes in one transaction guarded by the execution's
version and only then acts; on a conflict it discards the view and steps again from a fresh
load. Nothing here talks to a worker or writes an execution's records; the one write is a
cache reservation a ``cache_serialize`` node takes in the catalog, which is idempotent by
its owner (the node), so a step repeated after a conflict takes it again harmlessly.

Node kinds are handled by ``aloft.engine.handlers``; this module owns what is common to all:
frames, readiness, completion, failure policies, termination and lost attempts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from msgspec import structs

from aloft.engine.actions import (
    Action,
    Cancel,
    ReleaseReservation,
    Terminate,
    reservation_owner,
)
from aloft.engine.bindings import BindingError, LiteralLoader, resolve_bindings
from aloft.engine.compiled import Compiled
from aloft.engine.failure import error_literal
from aloft.engine.handlers import NodeHandler, handler_for
from aloft.engine.retry import DEFAULT_SYSTEM_RETRIES
from aloft.engine.view import ExecutionView, Frame
from aloft.ir import (
    FAILURE_ERROR_INPUT,
    ROOT,
    START_NODE,
    CacheStatus,
    ErrorKind,
    ExecutionError,
    ExecutionId,
    ExecutionPhase,
    ExecutionRecord,
    FailurePolicy,
    Literal,
    Node,
    NodeKey,
    NodePhase,
    NodeRecord,
    OutputsDocument,
    WorkflowTemplate,
)
from aloft.storage.catalog import Catalog
from aloft.storage.layout import bundles_prefix

OutputsReader = Callable[[str], OutputsDocument]
"""Reads the outputs document at a URI (immutable, so it may be cached)."""
ExecutionReader = Callable[[ExecutionId], ExecutionRecord | None]
"""Reads the record of another execution (a child), or None if there is none."""


@dataclass(frozen=True)
class EngineSettings:
    """How an engine host steps executions.

    ``data_root`` is the blob store URI attempts write under; ``attempt_lease_ttl`` how long
    an attempt is believed alive without a heartbeat; ``overwrite_cache`` runs cached tasks
    without looking in the catalog (and replaces what it holds).
    """

    host: str
    data_root: str
    system_retries: int = DEFAULT_SYSTEM_RETRIES
    attempt_lease_ttl: float = 30.0
    overwrite_cache: bool = False

    @property
    def bundles(self) -> str:
        """The folder of registered code bundles, which workers fetch task code from."""
        return bundles_prefix(self.data_root)


class Step:
    """Decides one step of one execution (see the module docstring)."""

    def __init__(
        self,
        view: ExecutionView,
        compiled: Compiled,
        settings: EngineSettings,
        now: float,
        read_outputs: OutputsReader,
        load_offloaded: LiteralLoader | None = None,
        catalog: Catalog | None = None,
        read_execution: ExecutionReader | None = None,
    ) -> None:
        self.view = view
        self.compiled = compiled
        self.settings = settings
        self.now = now
        self.at = datetime.datetime.fromtimestamp(now, datetime.UTC)
        self.read_outputs = read_outputs
        self.load_offloaded = load_offloaded
        self.catalog = catalog
        self.read_execution: ExecutionReader = read_execution or (lambda _: None)
        self.actions: list[Action] = []
        self._rebuilding: list[Frame] | None = None

    # -- the step ---------------------------------------------------------------------------

    def run(self, lost: frozenset[str] = frozenset()) -> list[Action]:
        """Decide this step; ``lost`` names running attempts whose workers are gone."""
        view = self.view
        if view.record.phase.is_terminal:
            return []
        if view.record.abort_requested:
            return self.end(ExecutionPhase.ABORTED)
        if view.needs_rebuild:
            self._rebuild()
        if view.record.phase is ExecutionPhase.QUEUED:
            view.set_execution(
                structs.replace(view.record, phase=ExecutionPhase.RUNNING, updated_at=self.at),
                self.at,
            )
        for token in lost:
            self._lose(token)
        for key, due in list(view.timers.items()):
            if due <= self.now:
                del view.timers[key]
                view.touched[key] = None
        self._drain()
        return self.actions

    def wake(self, key: NodeKey, at: float) -> None:
        """Look at node ``key`` again at ``at`` (seconds since the epoch), or sooner."""
        timers = self.view.timers
        timers[key] = min(at, timers.get(key, at))

    def end(self, phase: ExecutionPhase, error: ExecutionError | None = None) -> list[Action]:
        """End the execution in ``phase``, aborting everything still running."""
        self._abort_below(ROOT)
        self._end_execution(phase, error=error)
        return self.actions

    def fail(self, message: str) -> list[Action]:
        """End the execution FAILED with a system error saying ``message``."""
        return self.end(
            ExecutionPhase.FAILED, ExecutionError(kind=ErrorKind.SYSTEM, message=message)
        )

    def _drain(self) -> None:
        view = self.view
        limit = view.spec.max_parallelism or 0
        while not view.record.phase.is_terminal:
            if view.touched:
                key = next(iter(view.touched))
                del view.touched[key]
                self._advance(key)
            elif view.ready and (not limit or view.running_tasks < limit):
                self._start(view.ready.popleft())
            else:
                return

    # -- frames -----------------------------------------------------------------------------

    def _rebuild(self) -> None:
        view = self.view
        view.frames.clear()
        view.owner.clear()
        view.ready.clear()
        view.touched.clear()
        view.timers.clear()
        view.running_tasks = sum(1 for a in view.attempts.values() if a.phase is NodePhase.RUNNING)
        view.needs_rebuild = False
        self._rebuilding = opened = list[Frame]()
        self.open_frame(ROOT, self.compiled.closure.workflow, dict(view.spec.inputs))
        self._rebuilding = None
        for frame in reversed(opened):  # innermost first: a finished one ends its parent node
            self._check(frame)

    def open_frame(
        self, key: NodeKey, template: WorkflowTemplate, inputs: dict[str, Literal]
    ) -> None:
        """Start tracking the workflow run under ``key`` from the records stored for it."""
        plan = self.compiled.plan(template)
        keys = {node_id: key.child(node_id) for node_id in plan.nodes}
        frame = Frame(
            key=key,
            plan=plan,
            inputs=inputs,
            keys=keys,
            waiting=dict(plan.upstream_count),
            remaining=len(template.nodes),
        )
        view = self.view
        view.frames[key] = frame
        view.owner.update(dict.fromkeys(keys.values(), frame))
        nodes = view.nodes
        failed_first: NodeRecord | None = None
        for node in template.nodes:
            record = nodes.get(keys[node.id])
            if record is not None and record.phase is NodePhase.SUCCEEDED:
                frame.remaining -= 1
                for downstream in plan.downstream[node.id]:
                    frame.waiting[downstream] -= 1
        for node in template.nodes:
            child = keys[node.id]
            record = nodes.get(child)
            if record is None or record.phase is NodePhase.NOT_STARTED:
                if frame.waiting[node.id] == 0:
                    self.enqueue(frame, child)
            elif record.phase in _UNFINISHED:
                frame.active += 1
                handler_for(node).resume(self, frame, node, record)
            elif record.phase is NodePhase.FAILED and _earlier(record, failed_first):
                failed_first = record  # the first failure, as the live engine saw it
        if failed_first is not None:
            frame.failure = failed_first.error or _error(f"node {failed_first.key} failed", key)
        self._reopen_failure_node(frame)
        if self._rebuilding is not None:
            self._rebuilding.append(frame)
        else:
            self._check(frame)

    def enqueue(self, frame: Frame, key: NodeKey) -> None:
        """Queue node ``key`` of ``frame`` to be started when parallelism allows."""
        frame.queued += 1
        self.view.ready.append(key)

    def _check(self, frame: Frame) -> None:
        """End ``frame`` if all its nodes succeeded, or if it failed and may stop now."""
        if frame.done:
            return
        if frame.handling is not None:  # its failure node runs: the frame ends after it
            failure_node = frame.plan.template.failure_node
            assert failure_node is not None
            record = self.view.nodes.get(frame.keys[failure_node.id])
            if record is not None and record.phase.is_terminal:
                error = frame.handling
                if record.phase is NodePhase.FAILED and record.error is not None:
                    also = f"; its on_failure handler failed too: {record.error.message}"
                    error = structs.replace(error, message=error.message + also)
                self._end_failed(frame, error)
            return
        if frame.remaining == 0:
            self._frame_succeeded(frame)
            return
        idle = frame.active == 0 and frame.queued == 0
        if frame.failure is not None:
            policy = frame.plan.template.failure_policy
            if policy is FailurePolicy.FAIL_IMMEDIATELY or idle:
                self._frame_failed(frame, frame.failure)
        elif idle:
            waiting = sorted(n for n, count in frame.waiting.items() if count)
            self._frame_failed(
                frame, _error(f"no node can run; still waiting: {', '.join(waiting)}", frame.key)
            )

    def _frame_succeeded(self, frame: Frame) -> None:
        frame.done = True
        try:
            outputs = resolve_bindings(
                frame.plan.template.outputs, self.lookup(frame), self.load_offloaded
            )
        except BindingError as exc:
            frame.done = False
            self._frame_failed(frame, _error(str(exc), frame.key))
            return
        if frame.key == ROOT:
            self._end_execution(ExecutionPhase.SUCCEEDED, outputs=outputs)
        else:
            self._node_handler(frame.key).frame_ended(self, frame, outputs, None)

    def _frame_failed(self, frame: Frame, error: ExecutionError) -> None:
        failure_node = frame.plan.template.failure_node
        if failure_node is None or not self._start_failure_node(frame, failure_node, error):
            self._end_failed(frame, error)

    def _start_failure_node(self, frame: Frame, node: Node, error: ExecutionError) -> bool:
        """Stop what still runs in ``frame`` and start its failure node on the workflow's
        inputs and ``error``; False if its inputs cannot be resolved."""
        self._abort_below(frame.key)
        try:
            inputs = resolve_bindings(node.inputs, self.lookup(frame), self.load_offloaded)
        except BindingError:
            return False
        err = error_literal(self.compiled, node, error)
        if err is not None:
            inputs[FAILURE_ERROR_INPUT] = err
        frame.handling = error
        frame.active += 1
        handler_for(node).start(self, frame, node, frame.keys[node.id], None, inputs)
        return True

    def _reopen_failure_node(self, frame: Frame) -> None:
        """After a restart: a failure node that had started runs on (or has run)."""
        node = frame.plan.template.failure_node
        record = self.view.nodes.get(frame.keys[node.id]) if node is not None else None
        if node is None or record is None:
            return
        frame.handling = frame.failure or _error("the workflow failed", frame.key)
        if not record.phase.is_terminal:
            frame.active += 1
            handler_for(node).resume(self, frame, node, record)

    def _end_failed(self, frame: Frame, error: ExecutionError) -> None:
        frame.done = True
        self._abort_below(frame.key)
        if frame.key == ROOT:
            self._end_execution(ExecutionPhase.FAILED, error=error)
        else:
            self._node_handler(frame.key).frame_ended(self, frame, None, error)

    def _node_handler(self, key: NodeKey) -> NodeHandler:
        return handler_for(self.node_of(key)[1])

    def lookup(self, frame: Frame) -> Callable[[str, str], Literal]:
        """Reads output ``output`` of node ``node`` of ``frame`` (``START_NODE``: its inputs)."""

        def get(node: str, output: str) -> Literal:
            if node == START_NODE:
                try:
                    return frame.inputs[output]
                except KeyError:
                    raise BindingError(f"workflow {frame.key} has no input {output!r}") from None
            key = frame.keys[node]
            record = self.view.nodes.get(key)
            outputs = self.outputs_of(record) if record is not None else {}
            try:
                return outputs[output]
            except KeyError:
                raise BindingError(f"node {key} has no recorded output {output!r}") from None

        return get

    def outputs_of(self, record: NodeRecord) -> dict[str, Literal]:
        """A succeeded node's outputs, from its record or its outputs document."""
        if record.outputs is not None:
            return record.outputs
        return self.read_outputs(record.outputs_uri).outputs if record.outputs_uri else {}

    # -- nodes ------------------------------------------------------------------------------

    def _start(self, key: NodeKey) -> None:
        frame = self.view.owner[key]
        frame.queued -= 1
        node = frame.plan.nodes[key.node_id]
        handling = frame.handling is not None  # only its failure node may run (or retry)
        if frame.done or (handling and node is not frame.plan.template.failure_node):
            return
        record = self.view.nodes.get(key)
        if record is not None and record.phase not in (
            NodePhase.NOT_STARTED,
            NodePhase.RETRYABLE_FAILURE,
        ):
            return
        if record is None or record.phase is NodePhase.NOT_STARTED:
            frame.active += 1
        if record is not None and record.inputs is not None:
            inputs = record.inputs
        else:
            try:
                inputs = resolve_bindings(node.inputs, self.lookup(frame), self.load_offloaded)
            except BindingError as exc:
                self.node_failed(key, _error(str(exc), key))
                return
        recovered = self.view.spec.recovered  # empty but in a recovery: no key text built
        reused = recovered.get(str(key)) if recovered and record is None else None
        if reused is not None:
            started = NodeRecord(
                key=key, inputs=inputs, recovered=True, started_at=self.at, updated_at=self.at
            )
            self.node_succeeded(
                key,
                outputs=reused.outputs,
                outputs_uri=reused.outputs_uri,
                record=started,
            )
            return
        handler_for(node).start(self, frame, node, key, record, inputs)

    def _advance(self, key: NodeKey) -> None:
        frame = self.view.owner.get(key)
        record = self.view.nodes.get(key)
        if frame is None or frame.done or record is None or record.phase.is_terminal:
            return
        handler_for(frame.plan.nodes[key.node_id]).advance(self, frame, record)

    def node_of(self, key: NodeKey) -> tuple[Frame, Node]:
        """The frame holding node ``key`` and the node itself."""
        frame = self.view.owner[key]
        return frame, frame.plan.nodes[key.node_id]

    def node_succeeded(
        self,
        key: NodeKey,
        *,
        outputs: dict[str, Literal] | None = None,
        outputs_uri: str = "",
        record: NodeRecord | None = None,
    ) -> None:
        """Record node ``key`` as SUCCEEDED and start what waited only for it."""
        view = self.view
        base = record or view.nodes.get(key) or NodeRecord(key=key)
        view.set_node(
            structs.replace(
                base,
                phase=NodePhase.SUCCEEDED,
                outputs=outputs,
                outputs_uri=outputs_uri,
                updated_at=self.at,
            ),
            self.at,
        )
        frame, node = self.node_of(key)
        frame.active -= 1
        frame.remaining -= 1
        if frame.done:
            return
        if frame.handling is not None:  # the failure node ended, or a node it aborted
            self._check(frame)
            return
        waiting = frame.waiting
        for downstream in frame.plan.downstream[node.id]:
            waiting[downstream] -= 1
            if waiting[downstream] == 0 and frame.keys[downstream] not in view.nodes:
                self.enqueue(frame, frame.keys[downstream])
        self._check(frame)

    def node_failed(
        self, key: NodeKey, error: ExecutionError, record: NodeRecord | None = None
    ) -> None:
        """Record node ``key`` as FAILED with ``error``; its frame decides what follows."""
        view = self.view
        base = record or view.nodes.get(key) or NodeRecord(key=key)
        view.set_node(
            structs.replace(base, phase=NodePhase.FAILED, error=error, updated_at=self.at), self.at
        )
        frame, _ = self.node_of(key)
        frame.active -= 1
        if frame.done:
            return
        if frame.failure is None:
            frame.failure = error
        self._check(frame)

    # -- ending -----------------------------------------------------------------------------

    def _lose(self, token: str) -> None:
        attempt = self.view.attempts.get(token)
        if attempt is None or attempt.phase is not NodePhase.RUNNING:
            return
        owner = attempt.owner or "an unknown host"
        error = ExecutionError(
            kind=ErrorKind.SYSTEM,
            message=f"the worker running attempt {attempt.number} was lost (its host {owner} "
            "stopped or its lease expired)",
            node=str(attempt.node),
        )
        self.view.set_attempt(
            structs.replace(
                attempt, phase=NodePhase.FAILED, error=error, ended_at=self.at, lease_expires=None
            ),
            self.at,
        )
        self.view.touched[attempt.node] = None

    def _abort_below(self, top: NodeKey) -> None:
        """Abort every unfinished node and running attempt strictly below ``top``."""
        view = self.view
        for token, attempt in list(view.attempts.items()):
            if attempt.phase is NodePhase.RUNNING and _below(attempt.node, top):
                view.set_attempt(
                    structs.replace(
                        attempt, phase=NodePhase.ABORTED, ended_at=self.at, lease_expires=None
                    ),
                    self.at,
                )
                self.actions.append(Cancel(token))
        for key, record in list(view.nodes.items()):
            if not record.phase.is_terminal and _below(key, top):
                if record.child is not None:
                    self.actions.append(Terminate(record.child))
                if record.cache_status is CacheStatus.MISS:  # it may hold a reservation
                    owner = reservation_owner(view.spec.id, key)
                    self.actions.append(ReleaseReservation(owner))
                view.set_node(
                    structs.replace(record, phase=NodePhase.ABORTED, updated_at=self.at), self.at
                )
        for key, frame in view.frames.items():
            if _below(key, top):
                frame.done = True

    def _end_execution(
        self,
        phase: ExecutionPhase,
        *,
        outputs: dict[str, Literal] | None = None,
        error: ExecutionError | None = None,
    ) -> None:
        view = self.view
        view.set_execution(
            structs.replace(
                view.record, phase=phase, outputs=outputs, error=error, updated_at=self.at
            ),
            self.at,
        )


_UNFINISHED = (NodePhase.RUNNING, NodePhase.RETRYABLE_FAILURE, NodePhase.WAITING)


def _earlier(record: NodeRecord, than: NodeRecord | None) -> bool:
    if than is None:
        return True
    return (record.updated_at or _NEVER) < (than.updated_at or _NEVER)


_NEVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def _below(key: NodeKey, top: NodeKey) -> bool:
    return key != top and key.is_within(top)


def _error(message: str, key: NodeKey) -> ExecutionError:
    return ExecutionError(kind=ErrorKind.SYSTEM, message=message, node=str(key))
