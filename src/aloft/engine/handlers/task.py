"""Task nodes: each attempt is submitted to the executor and ends through the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import structs

from aloft.engine.actions import (
    CachePut,
    HoldReservation,
    ReleaseReservation,
    Submit,
    reservation_owner,
)
from aloft.engine.handlers.base import NodeHandler, fail_unresolved, start_node
from aloft.engine.handlers.eager import journal, merged_round
from aloft.engine.retry import counted, should_retry
from aloft.ir import (
    DYNAMIC_TASK_TYPE,
    EAGER_TASK_TYPE,
    REFERENCE_TASK_TYPE,
    ArrayTarget,
    AttemptRecord,
    CacheEntry,
    CacheStatus,
    CallOutcome,
    ExecutionError,
    ExecutionId,
    Literal,
    Node,
    NodeKey,
    NodePhase,
    NodeRecord,
    TaskAttemptSpec,
    TaskTarget,
    TaskTemplate,
    WorkflowClosure,
    cache_key,
)
from aloft.storage.layout import attempt_prefix, checkpoint_prefix, log_uri

if TYPE_CHECKING:
    from aloft.engine.step import Step
    from aloft.engine.view import Frame


class TaskHandler(NodeHandler):
    """Runs a task node as attempts, retrying from the user's or the system's budget."""

    def start(
        self,
        step: Step,
        frame: Frame,
        node: Node,
        key: NodeKey,
        record: NodeRecord | None,
        inputs: dict[str, Literal],
    ) -> None:
        at = step.at
        task = effective_task(step, node)
        if task.type == REFERENCE_TASK_TYPE:
            fail_unresolved(step, key, task.id)
            return
        status = record.cache_status if record is not None else _look_up(step, task, inputs)
        if isinstance(status, CacheEntry):
            hit = NodeRecord(key=key, inputs=inputs, cache_status=CacheStatus.HIT, started_at=at)
            step.node_succeeded(key, outputs=status.outputs, record=hit)
            return
        retrying = record is not None and record.phase is NodePhase.RETRYABLE_FAILURE
        number = record.attempt + 1 if record is not None and retrying else 0
        if status is CacheStatus.MISS and task.metadata.cache.serialize:
            _serialized(step, task, key, record, inputs, number)
        else:
            submit(step, task, key, record, inputs, number, status)

    def resume(self, step: Step, frame: Frame, node: Node, record: NodeRecord) -> None:
        if record.phase is NodePhase.RETRYABLE_FAILURE:
            step.enqueue(frame, record.key)
            return
        attempt = step.view.current_attempt(record)
        if attempt is not None and attempt.phase is NodePhase.RUNNING:
            return
        if record.workflow is not None and _built_by(step, attempt, record.workflow):
            step.compiled.add(record.workflow)  # its children run (or have run)
            step.open_frame(record.key, record.workflow.workflow, {})
        else:  # its attempt ended and nothing was made of it yet
            step.view.touched[record.key] = None

    def advance(self, step: Step, frame: Frame, record: NodeRecord) -> None:
        if record.phase is NodePhase.WAITING:  # for another's reservation of its cache key
            task = effective_task(step, frame.plan.nodes[record.key.node_id])
            entry = _look_up(step, task, record.inputs or {})
            if isinstance(entry, CacheEntry):
                hit = structs.replace(record, cache_status=CacheStatus.HIT)
                step.node_succeeded(record.key, outputs=entry.outputs, record=hit)
            else:
                _serialized(step, task, record.key, record, record.inputs or {}, record.attempt)
            return
        if record.phase is not NodePhase.RUNNING:
            return
        attempt = step.view.current_attempt(record)
        if attempt is None or attempt.phase is NodePhase.RUNNING:
            return
        task = effective_task(step, frame.plan.nodes[record.key.node_id])
        if record.cache_status is CacheStatus.MISS and task.metadata.cache.serialize:
            step.actions.append(ReleaseReservation(_owner(step, record.key)))  # after CachePut
        if attempt.phase is NodePhase.SUCCEEDED:
            if record.workflow is not None and _built_by(step, attempt, record.workflow):
                return  # already running what this attempt built
            built = _built_workflow(step, attempt)
            if built is not None:
                if task.type == EAGER_TASK_TYPE:
                    built = merged_round(record.workflow, built)
                _run_built(step, record, built)
                return
            if record.cache_status is CacheStatus.MISS:
                record = _populate(step, frame, record, attempt)
            step.node_succeeded(
                record.key, outputs=attempt.outputs, outputs_uri=attempt.outputs_uri, record=record
            )
            return
        if attempt.phase is not NodePhase.FAILED or attempt.error is None:
            return  # aborted: the node is aborted with it
        node = frame.plan.nodes[record.key.node_id]
        task = effective_task(step, node)
        error = located(attempt.error, record.key, task)
        failures = (record.user_failures, record.system_failures)
        users, systems = counted(error, failures)
        if should_retry(error, failures, task.metadata.retries, step.settings.system_retries):
            step.view.set_node(
                structs.replace(
                    record,
                    phase=NodePhase.RETRYABLE_FAILURE,
                    error=error,
                    user_failures=users,
                    system_failures=systems,
                    updated_at=step.at,
                ),
                step.at,
            )
            step.enqueue(frame, record.key)
        else:
            failed = structs.replace(record, user_failures=users, system_failures=systems)
            step.node_failed(record.key, error, record=failed)

    def frame_ended(
        self,
        step: Step,
        frame: Frame,
        outputs: dict[str, Literal] | None,
        error: ExecutionError | None,
    ) -> None:
        """A dynamic node ends with its built workflow; an eager node's calls have ended, so
        its body runs its next round."""
        _, node = step.node_of(frame.key)
        task = effective_task(step, node)
        record = step.view.nodes[frame.key]
        if task.type != EAGER_TASK_TYPE:
            super().frame_ended(step, frame, outputs, error)
            return
        inputs = record.inputs or {}
        submit(step, task, frame.key, record, inputs, record.attempt + 1, record.cache_status)


RESERVATION_POLL = 0.5
"""Seconds between looks at the cache of a node waiting for another's reservation."""


def _serialized(
    step: Step,
    task: TaskTemplate,
    key: NodeKey,
    record: NodeRecord | None,
    inputs: dict[str, Literal],
    number: int,
) -> None:
    """Run a ``cache_serialize`` task only while holding its cache key's reservation; wait
    (WAITING, looking again every ``RESERVATION_POLL``) while another attempt holds it, and
    take the outputs it keeps."""
    assert step.catalog is not None  # a MISS means there is a catalog
    owner = _owner(step, key)
    ttl = step.settings.attempt_lease_ttl
    if step.catalog.reserve(cache_key(task, inputs), owner, step.now, ttl) == owner:
        token = submit(step, task, key, record, inputs, number, CacheStatus.MISS)
        step.actions.append(HoldReservation(token, owner))
        return
    if record is None:
        start_node(
            step, key, NodePhase.WAITING, inputs, attempt=number, cache_status=CacheStatus.MISS
        )
    elif record.phase is not NodePhase.WAITING:
        waiting = structs.replace(
            record, phase=NodePhase.WAITING, attempt=number, updated_at=step.at
        )
        step.view.set_node(waiting, step.at)
    step.wake(key, step.now + RESERVATION_POLL)


def _owner(step: Step, key: NodeKey) -> str:
    return reservation_owner(step.view.spec.id, key)


def submit(
    step: Step,
    task: TaskTemplate,
    key: NodeKey,
    record: NodeRecord | None,
    inputs: dict[str, Literal],
    number: int,
    status: CacheStatus,
) -> str:
    """Start attempt ``number`` of task node ``key`` (``record``: its state so far); returns
    the attempt's token."""
    view, at = step.view, step.at
    execution = view.spec.id
    token = f"{view.token_prefix}{key}#{number}"
    if record is None:
        start_node(step, key, NodePhase.RUNNING, inputs, token=token, cache_status=status)
    else:
        running = structs.replace(
            record,
            phase=NodePhase.RUNNING,
            attempt=number,
            token=token,
            inputs=inputs,
            error=None,
            updated_at=at,
        )
        view.set_node(running, at)
    root = step.settings.data_root
    prefix = attempt_prefix(root, execution, key, number)
    view.set_attempt(
        AttemptRecord(
            execution=execution,
            node=key,
            number=number,
            token=token,
            owner=step.settings.host,
            lease_expires=step.now + step.settings.attempt_lease_ttl,
            log_uri=log_uri(prefix),  # where its worker publishes its log while it runs
            started_at=at,
        ),
        at,
    )
    calls: tuple[CallOutcome, ...] = ()  # the journal of an eager node's next round
    if task.type == EAGER_TASK_TYPE and record is not None and record.workflow is not None:
        calls = journal(step, key, record.workflow)
    step.actions.append(
        Submit(
            TaskAttemptSpec(
                execution=execution,
                node=key,
                attempt=number,
                token=token,
                task=task,
                inputs=inputs,
                output_prefix=prefix,
                code_root=view.spec.code_root,
                bundles=step.settings.bundles if task.code.bundle else "",
                calls=calls,
                previous_checkpoints=previous_checkpoints(root, execution, key, number),
            )
        )
    )
    return token


def previous_checkpoints(
    root: str, execution: ExecutionId, key: NodeKey, number: int
) -> tuple[str, ...]:
    """The checkpoint folders of the attempts of node ``key`` before attempt ``number``,
    latest first: a retry resumes from the latest that saved one, even if the attempts after
    it (a lost worker, say) saved none. Each is under its attempt's own prefix, so it outlives
    workers and engine restarts."""
    return tuple(
        checkpoint_prefix(attempt_prefix(root, execution, key, earlier))
        for earlier in range(number - 1, -1, -1)
    )


def _look_up(
    step: Step, task: TaskTemplate, inputs: dict[str, Literal]
) -> CacheStatus | CacheEntry:
    """A cached task's entry in the catalog, or the cache status its node starts with."""
    if not task.metadata.cache.enabled or task.type in (DYNAMIC_TASK_TYPE, EAGER_TASK_TYPE):
        return CacheStatus.DISABLED
    if step.catalog is None or step.settings.overwrite_cache:
        return CacheStatus.MISS if step.catalog is not None else CacheStatus.DISABLED
    key = cache_key(task, inputs)
    return step.catalog.get_many([key]).get(key) or CacheStatus.MISS


def _populate(step: Step, frame: Frame, record: NodeRecord, attempt: AttemptRecord) -> NodeRecord:
    """Keep a cached task's fresh outputs in the catalog; the node's record says so."""
    task = effective_task(step, frame.plan.nodes[record.key.node_id])
    outputs = attempt.outputs
    if outputs is None:
        outputs = step.read_outputs(attempt.outputs_uri).outputs if attempt.outputs_uri else {}
    keep_cached(step, task, record.inputs or {}, outputs, record.key)
    return structs.replace(record, cache_status=CacheStatus.POPULATED)


def keep_cached(
    step: Step,
    task: TaskTemplate,
    inputs: dict[str, Literal],
    outputs: dict[str, Literal],
    node: NodeKey,
) -> None:
    """Ask the host to keep ``outputs`` of cached ``task`` run on ``inputs`` (by node)."""
    entry = CacheEntry(
        key=cache_key(task, inputs),
        task=task.id.name,
        version=task.metadata.cache.version,
        outputs=outputs,
        created_at=step.at,
        execution=step.view.spec.id,
        node=str(node),
    )
    step.actions.append(CachePut(entry))


def _built_by(step: Step, attempt: AttemptRecord | None, workflow: WorkflowClosure) -> bool:
    """Whether ``workflow`` (stored with the node) holds what ``attempt`` built: a dynamic's
    workflow, or an eager round's calls (each round's workflow has an id of its own)."""
    if attempt is None or attempt.phase is not NodePhase.SUCCEEDED:
        return False
    built = _built_workflow(step, attempt)
    return built is not None and built.workflow.id == workflow.workflow.id


def _built_workflow(step: Step, attempt: AttemptRecord) -> WorkflowClosure | None:
    """The workflow a ``@dynamic`` task's attempt built, if it is one."""
    if attempt.workflow is not None or not attempt.outputs_uri:
        return attempt.workflow
    return step.read_outputs(attempt.outputs_uri).workflow


def _run_built(step: Step, record: NodeRecord, built: WorkflowClosure) -> None:
    """Store the workflow a dynamic node built with the node, and run it as its children."""
    step.compiled.add(built)
    running = structs.replace(record, workflow=built, updated_at=step.at)
    step.view.set_node(running, step.at)
    step.open_frame(record.key, built.workflow, {})


def effective_task(step: Step, node: Node) -> TaskTemplate:
    """The task ``node`` runs (each item of an array node, too), with the node's overrides
    applied."""
    target = node.target
    assert isinstance(target, TaskTarget | ArrayTarget)
    task = step.compiled.tasks[target.task]
    overrides = node.overrides
    if overrides is None:
        return task
    metadata = task.metadata
    if overrides.retries is not None:
        metadata = structs.replace(metadata, retries=overrides.retries)
    if overrides.timeout is not None:
        metadata = structs.replace(metadata, timeout=overrides.timeout)
    if overrides.interruptible is not None:
        metadata = structs.replace(metadata, interruptible=overrides.interruptible)
    if overrides.cache is not None:
        metadata = structs.replace(metadata, cache=overrides.cache)
    return structs.replace(
        task,
        metadata=metadata,
        requests=overrides.requests or task.requests,
        limits=overrides.limits or task.limits,
        container_image=overrides.container_image or task.container_image,
        accelerator=overrides.accelerator or task.accelerator,
    )


def located(error: ExecutionError, key: NodeKey, task: TaskTemplate) -> ExecutionError:
    """``error`` with the node key and task name filled in, for messages."""
    if error.node and error.task:
        return error
    return structs.replace(error, node=error.node or str(key), task=error.task or task.id.name)
