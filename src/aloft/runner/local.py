"""Local execution: compile, store in memory, run on the inline executor, return values.

This is what calling a task or workflow as a function does, and what ``aloft run`` does. It
goes through the same engine host and IR as the server (DESIGN.md, principle 1), over the
in-memory store. A function call runs its tasks in this process (flytekit's local
execution); ``aloft run`` runs them on a warm pool of worker processes, so that no task,
whatever it does (``os._exit``, a segfault), can end the process that reports the run.
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aloft.engine import EngineHost
from aloft.errors import ExecutionFailedError, InputError, TypeTransformerError
from aloft.executors import Executor
from aloft.executors.inline import InlineExecutor, resolver_with
from aloft.ir import (
    ExecutionId,
    ExecutionPhase,
    ExecutionRecord,
    ExecutionSpec,
    Literal,
    NodeKey,
    NodeRecord,
    WorkflowClosure,
    describe,
)
from aloft.runner.signals import give_signals, signal_watcher
from aloft.sdk import Entity
from aloft.sdk.arguments import suggest
from aloft.sdk.entity import TaskEntity
from aloft.sdk.mocks import is_mocked, mocked_tasks, with_mocks
from aloft.sdk.reference import ReferenceEntity
from aloft.storage import current_data_context, database_url, load_offloaded
from aloft.storage.catalog import Catalog
from aloft.storage.executions import ExecutionStore, InMemoryStore
from aloft.types import to_literal, to_python


@dataclass
class LocalExecution:
    """A finished execution of ``entity``: its final record and its node records, and the
    deck file of each task node that wrote one (its latest attempt's, by node key)."""

    entity: Entity
    spec: ExecutionSpec
    record: ExecutionRecord
    nodes: dict[NodeKey, NodeRecord]
    decks: dict[NodeKey, str] = field(default_factory=dict)

    @classmethod
    def of(cls, entity: Entity, store: ExecutionStore, execution: ExecutionId) -> LocalExecution:
        """The execution as ``store`` holds it now."""
        snapshot = store.load(execution)
        decks = {
            attempt.node: attempt.deck_uri
            for attempt in sorted(snapshot.attempts.values(), key=lambda a: a.number)
            if attempt.deck_uri
        }
        return cls(entity, store.spec(execution), snapshot.execution, snapshot.nodes, decks)

    def node(self, *path: str) -> NodeRecord:
        """The record of the node at ``path`` (``node("n1", "n0")``: n0 of n1's subworkflow)."""
        return self.nodes[NodeKey(path=path)]

    @property
    def succeeded(self) -> bool:
        """Whether the execution succeeded."""
        return self.record.phase is ExecutionPhase.SUCCEEDED

    def error_message(self) -> str:
        """One line saying which task failed, how often it was tried, and why."""
        return failure_message(self.record, self.nodes.values())

    def output_literals(self) -> dict[str, Literal]:
        """The outputs as literals; raises ``ExecutionFailedError`` if it failed."""
        if not self.succeeded:
            raise ExecutionFailedError(self.error_message())
        return self.record.outputs or {}

    def output_values(self) -> dict[str, Any]:
        """The outputs as Python values, by name."""
        literals = self.output_literals()
        types = self.entity.python_interface.outputs
        return {name: to_python(literals[name], py_type) for name, py_type in types.items()}

    def outputs(self) -> Any:
        """The outputs as Python values, shaped as the entity declares them."""
        return self.entity.shape_outputs(list(self.output_values().values()))


def failure_message(record: ExecutionRecord, nodes: Iterable[NodeRecord]) -> str:
    """One line saying which task of the execution of ``record`` failed, how often it was
    tried, and why (``nodes``: the execution's node records)."""
    error = record.error
    if error is None:
        return f"execution {record.id} ended {record.phase.value}"
    where = f"task {error.task} (node {error.node})" if error.task else f"node {error.node}"
    node = next((n for n in nodes if str(n.key) == error.node), None)
    attempts = node.user_failures + node.system_failures if node is not None else 1
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    return f"{where} failed{tries}: {error.message}"


def input_literals(entity: Entity, values: dict[str, Any]) -> dict[str, Literal]:
    """Python input values to literals, filling defaults; bad or missing ones are
    ``InputError`` naming the input."""
    declared = entity.interface.inputs
    types = entity.python_interface.inputs
    for name in values:
        if name not in declared:
            raise InputError(
                f"{entity.name} has no input {name!r}{suggest(name, declared)}; "
                f"its inputs are {', '.join(declared) or 'none'}"
            )
    literals = {}
    for name, variable in declared.items():
        if name in values:
            try:
                literals[name] = to_literal(values[name], types[name])
            except (TypeTransformerError, InputError) as exc:  # a bad value, an unknown store
                raise InputError(f"input {name!r} of {entity.name}: {exc}") from None
        elif variable.default is not None:
            literals[name] = variable.default
        else:
            raise InputError(f"{entity.name}: missing input {name!r} ({describe(variable.type)})")
    plan = entity.launch_settings()
    return {**literals, **plan.fixed_inputs} if plan is not None else literals


def execution_spec(
    entity: Entity,
    values: dict[str, Any],
    execution: ExecutionId,
    code_root: str = "",
    entrypoint: str = "",
    closure: WorkflowClosure | None = None,
) -> ExecutionSpec:
    """What an execution of ``entity`` on ``values`` runs (``closure``, by default the
    entity's own), with its launch plan's settings.

    A closure that refers to registered entities is refused: only a server resolves them.
    """
    if isinstance(entity, ReferenceEntity):
        raise InputError(
            f"the {entity.id.describe_reference()} only runs on an aloft server that has it "
            "registered"
        )
    closure = closure or entity.closure
    references = closure.references()
    if references:
        raise InputError(
            f"{entity.name} calls the {references[0].describe_reference()}, which only an "
            "aloft server that has it registered can run; locally, call the entity itself"
        )
    plan = entity.launch_settings()
    return ExecutionSpec(
        id=execution,
        closure=closure,
        inputs=input_literals(entity, values),
        code_root=code_root,
        entrypoint=entrypoint,
        launch_plan=plan.id if plan else None,
        max_parallelism=plan.max_parallelism if plan else None,
        labels=plan.labels if plan else {},
        annotations=plan.annotations if plan else {},
    )


def execute(
    entity: Entity,
    values: dict[str, Any],
    *,
    overwrite_cache: bool = False,
    signals: Mapping[str, Literal] | None = None,
    executor: Executor | None = None,
    code_root: str = "",
) -> LocalExecution:
    """Run ``entity`` on ``values`` to completion, held in memory; cached tasks use the
    catalog of the configured database (``local_catalog``), so a later run hits what this
    one cached. Gates get ``signals``; those not given are asked for at the terminal when
    stdin is one (else a gate waits until its timeout).

    Tasks run in this process, unless an ``executor`` is given (a pool of worker processes,
    which import the code from ``code_root``); it is left open for the caller to reuse. A
    test's ``task_mock`` / ``patch`` mocks (reference tasks too) run in this process only.
    """
    mocks = mocked_tasks()
    closure = with_mocks(entity.closure, mocks)
    execution = ExecutionId(name=f"local-{uuid.uuid4().hex[:12]}")
    spec = execution_spec(entity, values, execution, code_root, closure=closure)
    store = InMemoryStore()
    with contextlib.ExitStack() as stack:
        if executor is None:
            resolver = resolver_with({**entity.task_objects(), **mocks})
            executor = stack.enter_context(InlineExecutor(resolver))
        host = EngineHost(
            store,
            executor,
            data_root=current_data_context().store.root,
            claim_new=False,
            load_offloaded=load_offloaded,
            catalog=local_catalog() if caches(spec.closure) else None,
            overwrite_cache=overwrite_cache,
        )
        host.create(spec)
        give_signals(store, spec.id, signals or {})
        host.take_over(spec.id)
        how = "run again with --signal {0}=VALUE"
        host.run_until_ended(spec.id, signal_watcher(host, store, spec.id, spec.closure, how))
    return LocalExecution.of(entity, store, spec.id)


def caches(closure: WorkflowClosure) -> bool:
    """Whether any task of ``closure`` is cached."""
    return any(task.metadata.cache.enabled for task in closure.tasks)


@functools.cache
def local_catalog() -> Catalog:
    """The catalog of the configured database (the aloft home's SQLite file by default),
    opened on first use: only runs of cached tasks pay for it."""
    from aloft.storage.executions.sql import SqlStore

    return SqlStore(database_url())


def run_locally(entity: Entity, values: dict[str, Any]) -> Any:
    """Call ``entity`` as a function: its outputs as Python values, or
    ``ExecutionFailedError``. A mocked reference task or workflow gives what its mock
    returns."""
    if not isinstance(entity, TaskEntity) and is_mocked(entity):
        return entity.execute(**values)  # type: ignore[attr-defined]
    return execute(entity, values).outputs()
