"""Durable runs: the execution lives in the metadata database and survives a crash.

``aloft run --durable`` stores the execution, then runs it here with an engine host on the
process executor; ``aloft resume`` continues one whose host died, without running again any
node whose success was recorded.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import TYPE_CHECKING, Any

from aloft.engine import EngineHost, ExecutionBusy
from aloft.errors import InputError
from aloft.executors.inline import InlineExecutor
from aloft.executors.process import ProcessExecutor
from aloft.ir import ExecutionId, ExecutionRecord
from aloft.runner.local import execution_spec
from aloft.runner.signals import signal_watcher
from aloft.sdk import Entity
from aloft.storage import database_url, default_store, load_offloaded, worker_count
from aloft.storage.catalog import Catalog
from aloft.storage.executions import ExecutionExists, ExecutionStore

BATCH_WINDOW = 0.002
"""Seconds a durable run's host waits for more results to record them in one transaction,
while several attempts are in flight (a chain of tasks never waits)."""

if TYPE_CHECKING:
    from aloft.storage.executions.sql import SqlStore

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")


def open_store(url: str | None = None) -> SqlStore:
    """The metadata store (and cache catalog) at ``url`` (default: the configured database)."""
    from aloft.storage.executions.sql import SqlStore

    return SqlStore(url or database_url())


def new_name(entity: Entity) -> str:
    """A fresh execution name: the entity's short name and a random suffix."""
    base = re.sub(r"[^A-Za-z0-9_-]", "-", entity.short_name)[:40] or "run"
    return f"{base}-{uuid.uuid4().hex[:8]}"


def create_durable(
    store: ExecutionStore,
    entity: Entity,
    values: dict[str, Any],
    name: str,
    code_root: str,
    entrypoint: str = "",
) -> ExecutionId:
    """Store a new execution of ``entity`` (found at ``entrypoint``, ``module:attribute``)
    named ``name``; a name in use is an ``InputError``."""
    if not _NAME.fullmatch(name):
        raise InputError(
            f"execution name {name!r} is not valid: use letters, digits, '_', '-' and '.', "
            "starting with a letter or digit, at most 63 characters"
        )
    spec = execution_spec(entity, values, ExecutionId(name=name), code_root, entrypoint)
    try:
        store.create(spec, datetime.datetime.now(datetime.UTC))
    except ExecutionExists:
        raise InputError(
            f"an execution named {name!r} already exists; pick another --name, "
            f"or continue it with: aloft resume {name}"
        ) from None
    return spec.id


def drive(
    store: ExecutionStore,
    execution: ExecutionId,
    workers: int | None = None,
    *,
    overwrite_cache: bool = False,
) -> ExecutionRecord:
    """Run ``execution`` to its end on a pool of worker processes; returns its final record.

    Cached tasks use the store's own catalog when it has one (the SQL store does).
    """
    with ProcessExecutor(workers or worker_count()) as executor:
        host = EngineHost(
            store,
            executor,
            data_root=default_store().root,
            batch_window=BATCH_WINDOW,
            claim_new=False,
            load_offloaded=load_offloaded,
            catalog=store if isinstance(store, Catalog) else None,
            overwrite_cache=overwrite_cache,
        )
        host.take_over(execution)
        how = f"stop this run and give it with: aloft resume {execution.name} --signal {{0}}=VALUE"
        closure = store.spec(execution).closure
        watch = signal_watcher(host, store, execution, closure, how)
        return host.run_until_ended(execution, watch)


def terminate(store: ExecutionStore, execution: ExecutionId) -> ExecutionRecord | None:
    """Ask ``execution`` to end ABORTED. If no live engine host runs it (its process died),
    end it here and return its final record; otherwise its host stops it (``None``)."""
    if not store.request_abort(execution):
        raise InputError(f"execution {execution.name} has already ended")
    with InlineExecutor() as executor:  # nothing runs here: it only records the end
        host = EngineHost(store, executor, data_root=default_store().root, claim_new=False)
        try:
            host.take_over(execution)
        except ExecutionBusy:
            return None
        return host.run_until_ended(execution)
