"""Array (map) nodes: one node runs a task once per item of its list inputs.

The node's record holds its items compactly (``ArrayItems``: a phase byte per item, counts,
and failure counts of the items that failed). Items run in batch attempts, each one attempt
record naming its items, so a 100,000-item map is one node record and a few hundred
attempts. A batch's result moves each of its items on, as a task node's attempt would be:
succeeded, retried from the item's own user or system budget, or failed; a batch that failed
as a whole (its worker lost, its code missing) fails each of its items with that error. When
no item is left to run the node ends: it succeeds if enough items did, with lists of the
items' outputs (``None`` for each item that failed).

A task with a timeout runs one item per attempt, so the executor stops exactly the item that
ran too long.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from msgspec import structs

from aloft.engine.actions import Submit
from aloft.engine.handlers.base import NodeHandler, start_node, user_error
from aloft.engine.handlers.task import effective_task, keep_cached, located
from aloft.engine.retry import counted, should_retry
from aloft.ir import (
    NONE_TYPE,
    ArrayItem,
    ArrayItems,
    ArrayTarget,
    AttemptRecord,
    CacheStatus,
    CollectionValue,
    ErrorKind,
    ExecutionError,
    HashedValue,
    ItemResult,
    Literal,
    LiteralType,
    Node,
    NodeKey,
    NodePhase,
    NodeRecord,
    NoneValue,
    OffloadedValue,
    TaskAttemptSpec,
    TaskTemplate,
    UnionType,
    UnionValue,
    cache_key,
    describe,
)
from aloft.storage.layout import batch_prefix, log_uri

if TYPE_CHECKING:
    from aloft.engine.step import Step
    from aloft.engine.view import Frame

MAX_BATCH = 256
"""The most items one batch attempt runs."""
BATCHES_PER_MAP = 32
"""About how many batches a map is cut into, so that every worker gets a share."""

_NONE = UnionValue(variant=describe(NONE_TYPE), value=NoneValue())


class ArrayHandler(NodeHandler):
    """Runs an array node's items in batches and gathers their outputs (module docstring)."""

    def start(
        self,
        step: Step,
        frame: Frame,
        node: Node,
        key: NodeKey,
        record: NodeRecord | None,
        inputs: dict[str, Literal],
    ) -> None:
        try:
            mapped = _Mapped.of(step, node, inputs)
        except _BadInputs as exc:
            step.node_failed(key, user_error(str(exc), key), record=record)
            return
        task = effective_task(step, node)
        caching = _caches(step, task)
        running = start_node(
            step,
            key,
            NodePhase.RUNNING,
            inputs,
            items=_look_up(step, task, mapped) if caching else ArrayItems.new(mapped.size),
            cache_status=CacheStatus.MISS if caching else CacheStatus.DISABLED,
        )
        self._move_on(step, node, running)

    def resume(self, step: Step, frame: Frame, node: Node, record: NodeRecord) -> None:
        step.view.touched[record.key] = None  # ``advance`` sees what ended and what waits

    def advance(self, step: Step, frame: Frame, record: NodeRecord) -> None:
        if record.phase is NodePhase.RUNNING and record.items is not None:
            self._move_on(step, frame.plan.nodes[record.key.node_id], record)

    def _move_on(self, step: Step, node: Node, record: NodeRecord) -> None:
        """Settle the batches that ended, start what may start, end the node when done."""
        assert record.items is not None
        task = effective_task(step, node)
        items, first_error = _settle(step, task, node, record, record.items)
        items = _dispatch(step, node, task, record, items)
        waiting = (NodePhase.NOT_STARTED, NodePhase.RETRYABLE_FAILURE)
        if items.open_batches or any(items.counts.get(phase) for phase in waiting):
            if items != record.items or first_error != record.error:
                updated = structs.replace(
                    record, items=items, error=first_error, updated_at=step.at
                )
                step.view.set_node(updated, step.at)
            return
        status = record.cache_status
        if status is CacheStatus.MISS:
            status = CacheStatus.POPULATED if items.batches else CacheStatus.HIT
        done = structs.replace(record, items=items, error=first_error, cache_status=status)
        _finish(step, node, task, done)


def _caches(step: Step, task: TaskTemplate) -> bool:
    return task.metadata.cache.enabled and step.catalog is not None


def _look_up(step: Step, task: TaskTemplate, mapped: _Mapped) -> ArrayItems:
    """The items, those found in the cache already succeeded with the cached outputs."""
    items = ArrayItems.new(mapped.size)
    if step.settings.overwrite_cache or step.catalog is None:
        return items
    keys = [cache_key(task, mapped.inputs_of(index)) for index in range(mapped.size)]
    found = step.catalog.get_many(keys)
    hits = {index: found[key].outputs for index, key in enumerate(keys) if key in found}
    return items.with_phases(dict.fromkeys(hits, NodePhase.SUCCEEDED), cached=hits)


def _populate(
    step: Step, task: TaskTemplate, node: Node, record: NodeRecord, attempt: AttemptRecord
) -> None:
    """Keep the outputs of the items a batch ran in the catalog."""
    mapped = _Mapped.of(step, node, record.inputs or {})
    for result in _item_outputs(step, attempt):
        if result.outputs is None:
            continue
        inputs = mapped.inputs_of(result.index)
        keep_cached(step, task, inputs, result.outputs, record.key.at(result.index))


def _settle(
    step: Step, task: TaskTemplate, node: Node, record: NodeRecord, items: ArrayItems
) -> tuple[ArrayItems, ExecutionError | None]:
    """Move on the items of every batch that has ended: done, to be retried, or failed."""
    view, key = step.view, record.key
    first_error = record.error
    moves: dict[int, NodePhase] = {}
    users, systems = dict(items.user_failures), dict(items.system_failures)
    still_open = []
    for batch in items.open_batches:
        attempt = view.attempts.get(_token(step, key, batch))
        if attempt is None or attempt.phase is NodePhase.RUNNING:
            still_open.append(batch)
            continue
        if attempt.phase is NodePhase.SUCCEEDED and record.cache_status is CacheStatus.MISS:
            _populate(step, task, node, record, attempt)
        for index, error in _outcomes(attempt):
            if items.phase(index) is not NodePhase.RUNNING or index in moves:
                continue
            if error is None:
                moves[index] = NodePhase.SUCCEEDED
                continue
            error = located(error, key.at(index), task)
            failures = (users.get(index, 0), systems.get(index, 0))
            retried = should_retry(
                error, failures, task.metadata.retries, step.settings.system_retries
            )
            users[index], systems[index] = counted(error, failures)
            if retried:
                moves[index] = NodePhase.RETRYABLE_FAILURE
            else:
                moves[index] = NodePhase.FAILED
                first_error = first_error or error
    if len(still_open) == len(items.open_batches):
        return items, first_error
    settled = items.with_phases(
        moves,
        open_batches=tuple(still_open),
        user_failures={i: n for i, n in users.items() if n},
        system_failures={i: n for i, n in systems.items() if n},
    )
    return settled, first_error


def _outcomes(attempt: AttemptRecord) -> Iterator[tuple[int, ExecutionError | None]]:
    """How each item of an ended batch attempt ended."""
    if attempt.phase is NodePhase.SUCCEEDED:
        reported = {result.index: result for result in attempt.item_results}
        for index in attempt.items:
            result = reported.get(index)
            yield index, _MISSING if result is None else result.error
        return
    error = attempt.error or ExecutionError(
        kind=ErrorKind.SYSTEM, message=f"batch attempt {attempt.number} was {attempt.phase}"
    )
    for index in attempt.items:
        yield index, error


_MISSING = ExecutionError(kind=ErrorKind.SYSTEM, message="the worker reported no result for it")


def _dispatch(
    step: Step, node: Node, task: TaskTemplate, record: NodeRecord, items: ArrayItems
) -> ArrayItems:
    """Start batch attempts for waiting items, as far as the node's concurrency and the
    execution's parallelism allow (one batch at least while none of the node's runs)."""
    target = _target(node)
    slots = (target.concurrency or len(items) or 1) - len(items.open_batches)
    limit = step.view.spec.max_parallelism
    if limit:
        slots = min(slots, max(limit - step.view.running_tasks, 0 if items.open_batches else 1))
    size = 1 if task.metadata.timeout is not None else _batch_size(len(items))
    waiting = items.waiting(slots * size) if slots > 0 else []
    if not waiting:
        return items
    mapped = _Mapped.of(step, node, record.inputs or {})
    batches = [waiting[start : start + size] for start in range(0, len(waiting), size)]
    first = items.batches
    for offset, indexes in enumerate(batches):
        _submit(step, task, record, items, first + offset, indexes, mapped)
    moves = dict.fromkeys(waiting, NodePhase.RUNNING)
    opened = tuple(range(first, first + len(batches)))
    return items.with_phases(
        moves, batches=first + len(batches), open_batches=items.open_batches + opened
    )


def _submit(
    step: Step,
    task: TaskTemplate,
    record: NodeRecord,
    items: ArrayItems,
    batch: int,
    indexes: list[int],
    mapped: _Mapped,
) -> None:
    view, key = step.view, record.key
    token = _token(step, key, batch)
    execution = view.spec.id
    prefix = batch_prefix(step.settings.data_root, execution, key, batch)
    view.set_attempt(
        AttemptRecord(
            execution=execution,
            node=key,
            number=batch,
            token=token,
            owner=step.settings.host,
            lease_expires=step.now + step.settings.attempt_lease_ttl,
            log_uri=log_uri(prefix),  # where its worker publishes its log while it runs
            started_at=step.at,
            items=tuple(indexes),
        ),
        step.at,
    )
    step.actions.append(
        Submit(
            TaskAttemptSpec(
                execution=execution,
                node=key,
                attempt=batch,
                token=token,
                task=task,
                inputs={},
                output_prefix=prefix,
                code_root=view.spec.code_root,
                bundles=step.settings.bundles if task.code.bundle else "",
                items=tuple(
                    ArrayItem(index=i, attempt=items.attempt(i), inputs=mapped.inputs_of(i))
                    for i in indexes
                ),
            )
        )
    )


def _finish(step: Step, node: Node, task: TaskTemplate, record: NodeRecord) -> None:
    """End the node: failed if too few items succeeded, else with the items' outputs."""
    assert record.items is not None
    target, items, key = _target(node), record.items, record.key
    size, succeeded = len(items), items.counts.get(NodePhase.SUCCEEDED, 0)
    required = target.min_successes
    if required is None:
        ratio = 1.0 if target.min_success_ratio is None else target.min_success_ratio
        required = math.ceil(size * ratio)
    if succeeded < required:
        reason = record.error.message if record.error else "unknown"
        message = (
            f"{size - succeeded} of {size} items failed and at least {required} had to "
            f"succeed; the first failure, item {_failed_item(record)}: {reason}"
        )
        error = ExecutionError(
            kind=record.error.kind if record.error else ErrorKind.USER,
            message=message,
            node=str(key),
            task=task.id.name,
            traceback=record.error.traceback if record.error else "",
        )
        step.node_failed(key, error, record=record)
        return
    step.node_succeeded(key, outputs=_gather(step, task, target, record), record=record)


def _failed_item(record: NodeRecord) -> str:
    node = record.error.node if record.error else ""
    return node.rpartition("[")[2].rstrip("]") or "?"


def _gather(
    step: Step, task: TaskTemplate, target: ArrayTarget, record: NodeRecord
) -> dict[str, Literal]:
    """The node's outputs: per output, the list of every item's value (``None`` if failed)."""
    assert record.items is not None
    size = len(record.items)
    values: dict[str, list[Literal | None]] = {
        name: [None] * size for name in task.interface.outputs
    }
    for index, cached in record.items.cached.items():
        for name, literal in cached.items():
            values[name][index] = literal
    for batch in range(record.items.batches):
        attempt = step.view.attempts.get(_token(step, record.key, batch))
        if attempt is None or attempt.phase is not NodePhase.SUCCEEDED:
            continue
        for result in _item_outputs(step, attempt):
            if (
                result.outputs is not None
                and record.items.phase(result.index) is NodePhase.SUCCEEDED
            ):
                for name, literal in result.outputs.items():
                    values[name][result.index] = literal
    outputs: dict[str, Literal] = {}
    for name, variable in task.interface.outputs.items():
        wrap = _wrapper(variable.type) if target.optional_outputs else None
        outputs[name] = CollectionValue(
            items=tuple(
                _NONE if value is None else (wrap(value) if wrap else value)
                for value in values[name]
            )
        )
    return outputs


def _item_outputs(step: Step, attempt: AttemptRecord) -> tuple[ItemResult, ...]:
    if any(result.outputs is not None for result in attempt.item_results):
        return attempt.item_results  # handed over in the engine's own process
    if not attempt.outputs_uri:
        return ()
    return step.read_outputs(attempt.outputs_uri).items


def _wrapper(item_type: LiteralType) -> Callable[[Literal], Literal] | None:
    """How an item's value becomes an element of ``list[Optional[T]]`` (None: as it is)."""
    if isinstance(item_type, UnionType) and NONE_TYPE in item_type.variants:
        return None
    variant = describe(item_type)
    return lambda value: UnionValue(variant=variant, value=value)


class _BadInputs(Exception):
    """The mapped inputs cannot be cut into items."""


@dataclass(frozen=True)
class _Mapped:
    """An array node's inputs cut into items: the mapped lists and the inputs every item
    gets as they are."""

    lists: dict[str, tuple[Literal, ...]]
    fixed: dict[str, Literal]
    size: int

    @classmethod
    def of(cls, step: Step, node: Node, inputs: dict[str, Literal]) -> _Mapped:
        target = _target(node)
        lists = {name: _elements(step, inputs[name], name) for name in target.mapped}
        lengths = {name: len(values) for name, values in lists.items()}
        if len(set(lengths.values())) > 1:
            shown = ", ".join(f"{name} has {length}" for name, length in lengths.items())
            raise _BadInputs(f"the mapped inputs must be lists of one length, but {shown} items")
        fixed = {name: value for name, value in inputs.items() if name not in lists}
        return cls(lists, fixed, next(iter(lengths.values()), 0))

    def inputs_of(self, index: int) -> dict[str, Literal]:
        """The inputs of item ``index``."""
        return {**self.fixed, **{name: values[index] for name, values in self.lists.items()}}


def _elements(step: Step, literal: Literal, name: str) -> tuple[Literal, ...]:
    if isinstance(literal, HashedValue):
        literal = literal.value
    if isinstance(literal, OffloadedValue):
        if step.load_offloaded is None:
            raise _BadInputs(f"mapped input {name!r} is stored apart and cannot be read here")
        literal = step.load_offloaded(literal)
    if not isinstance(literal, CollectionValue):
        raise _BadInputs(f"mapped input {name!r} is not a list")
    return literal.items


def _batch_size(size: int) -> int:
    return max(1, min(MAX_BATCH, math.ceil(size / BATCHES_PER_MAP)))


def _target(node: Node) -> ArrayTarget:
    target = node.target
    assert isinstance(target, ArrayTarget)
    return target


def _token(step: Step, key: NodeKey, batch: int) -> str:
    return f"{step.view.token_prefix}{key}#batch-{batch}"
