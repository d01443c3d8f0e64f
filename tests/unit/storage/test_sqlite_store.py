"""The SQL execution store on SQLite: the contract, plus what only a file database has.

Several processes share one file (an engine host and a CLI ``terminate``), a reopened file
keeps everything, and the schema is what the Alembic migrations make of it.
"""

from __future__ import annotations

import datetime
import multiprocessing
import multiprocessing.synchronize
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from msgspec import structs

from aloft.errors import InputError
from aloft.ir import NodePhase
from aloft.storage.catalog import Catalog
from aloft.storage.executions import (
    Changes,
    ExecutionQuery,
    ExecutionStore,
    InvalidTransition,
    migrations,
)
from aloft.storage.executions.sql import SqlStore
from aloft.storage.executions.sql_tables import metadata
from contracts.catalog import CatalogContract
from contracts.execution_store import (
    KEY,
    ExecutionStoreContract,
    at,
    attempt,
    node,
    result,
    spec,
    token,
)


class TestSqliteStore(ExecutionStoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[ExecutionStore]:
        store = SqlStore(f"sqlite:///{tmp_path / 'store.db'}")
        yield store
        store.close()


class TestSqliteCatalog(CatalogContract):
    @pytest.fixture
    def catalog(self, tmp_path: Path) -> Iterator[Catalog]:
        store = SqlStore(f"sqlite:///{tmp_path / 'store.db'}")
        yield store
        store.close()


class TestSqliteStoreReadingBack(ExecutionStoreContract):
    """The contract again, with every write checked against rows read back."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[ExecutionStore]:
        store = SqlStore(f"sqlite:///{tmp_path / 'store.db'}", known_executions=0)
        yield store
        store.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "state" / "store.db"


def test_the_folder_of_the_file_is_created(path: Path) -> None:
    SqlStore(f"sqlite:///{path}").close()
    assert path.is_file()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "mysql://u@h/db"])
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(InputError):
        SqlStore(url)


def test_a_reopened_file_keeps_everything(path: Path) -> None:
    first = SqlStore(f"sqlite:///{path}")
    execution = first.create(spec(), at(0)).id
    version = first.apply(
        execution,
        0,
        Changes(nodes={KEY: node(execution)}, attempts={token(execution): attempt(execution)}),
    )
    first.accept_results([result(execution)], at(1))
    first.claim("host-a", 10.0, 5.0, 10)
    snapshot, events = first.load(execution), first.events(execution)
    first.close()

    second = SqlStore(f"sqlite:///{path}")
    try:
        assert second.spec(execution) == spec()
        assert second.load(execution) == snapshot
        assert snapshot.execution.version == version + 1
        assert second.events(execution) == events
        assert second.lease(execution) == ("host-a", 15.0)
        assert second.list_executions().records == [snapshot.execution]
    finally:
        second.close()


def test_the_migrations_make_exactly_the_tables_at_head(path: Path) -> None:
    SqlStore(f"sqlite:///{path}").close()
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            head = ScriptDirectory.from_config(migrations.config(conn)).get_current_head()
            assert head == migrations.HEAD
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).all() == [
                (head,)
            ]
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            command.downgrade(migrations.config(conn), "base")
            assert sa.inspect(conn).get_table_names() == ["alembic_version"]
    finally:
        engine.dispose()


def test_a_write_is_checked_against_what_another_store_wrote_since(path: Path) -> None:
    first, second = SqlStore(f"sqlite:///{path}"), SqlStore(f"sqlite:///{path}")
    try:
        execution = first.create(spec(), at(0)).id
        version = first.apply(execution, 0, Changes(nodes={KEY: node(execution)}))
        first.load(execution)  # first now knows the records of this version
        done = node(execution, NodePhase.SUCCEEDED)
        version = second.apply(execution, version, Changes(nodes={KEY: done}))
        with pytest.raises(InvalidTransition):  # back to RUNNING: refused, though first's
            first.apply(execution, version, Changes(nodes={KEY: node(execution)}))
        assert first.load(execution).nodes[KEY] == done
    finally:
        first.close()
        second.close()


def test_an_attempt_token_cannot_move_to_another_execution(path: Path) -> None:
    store = SqlStore(f"sqlite:///{path}")
    try:
        first, second = (store.create(spec(name), at(0)).id for name in ("a", "b"))
        theirs = attempt(first)
        store.apply(first, 0, Changes(attempts={theirs.token: theirs}))
        stolen = attempt(second)
        with pytest.raises(InvalidTransition):
            store.apply(second, 0, Changes(attempts={theirs.token: stolen}))
        assert store.load(first).attempts == {theirs.token: theirs}
        assert store.load(second).attempts == {}
    finally:
        store.close()


def test_documents_are_stored_with_their_schema_version(path: Path) -> None:
    store = SqlStore(f"sqlite:///{path}")
    execution = store.create(spec(), at(0)).id
    changes = Changes(nodes={KEY: node(execution)}, attempts={token(execution): attempt(execution)})
    store.apply(execution, 0, changes)
    store.close()
    with closing(sqlite3.connect(path)) as conn:
        for table in ("executions", "nodes", "attempts"):
            [(text,)] = conn.execute(f"SELECT record FROM {table}").fetchall()
            assert '"schema_version":1' in text


def _write(
    url: str,
    name: str,
    writes: int,
    start: threading.Barrier | multiprocessing.synchronize.Barrier,
) -> None:
    """Open the store once every writer is ready, then start and end attempts in turns."""
    start.wait()
    store = SqlStore(url)
    execution = store.create(spec(name), at(0)).id
    version = 0
    for number in range(writes // 2):
        running = attempt(execution, number)
        changes = Changes(
            nodes={KEY: node(execution, attempt=number)}, attempts={running.token: running}
        )
        version = store.apply(execution, version, changes)
        [outcome] = store.accept_results([result(execution, number)], at(1))
        assert outcome.accepted, outcome.reason
        version = outcome.version
        store.renew_attempts([running.token], 1.0)
    store.close()


def _assert_written(url: str, names: list[str], writes: int) -> None:
    store = SqlStore(url)
    try:
        for name in names:
            snapshot = store.load(spec(name).id)
            assert snapshot.execution.version == writes
            assert len(snapshot.attempts) == writes // 2
            assert {a.phase for a in snapshot.attempts.values()} == {NodePhase.SUCCEEDED}
    finally:
        store.close()


def test_processes_writing_at_once_never_see_a_locked_database(path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    url, names = f"sqlite:///{path}", ["first", "second"]
    writers = [context.Process(target=_write, args=(url, n, 200, start)) for n in names]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    assert [writer.exitcode for writer in writers] == [0, 0]
    _assert_written(url, names, 200)


def test_threads_writing_at_once_never_see_a_locked_database(path: Path) -> None:
    names = [f"thread-{i}" for i in range(4)]
    start = threading.Barrier(len(names))
    url = f"sqlite:///{path}"
    with ThreadPoolExecutor(len(names)) as pool:
        for done in [pool.submit(_write, url, name, 100, start) for name in names]:
            done.result()
    _assert_written(url, names, 100)


def test_executions_stored_before_the_listing_columns_are_found_by_their_filters(
    path: Path,
) -> None:
    store = SqlStore(f"sqlite:///{path}")
    labelled = structs.replace(spec("old"), labels={"team": "ml"})
    store.create(labelled, datetime.datetime.now(datetime.UTC))
    store.close()
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            command.downgrade(migrations.config(conn), "0003")
            command.upgrade(migrations.config(conn), "head")
    finally:
        engine.dispose()
    reopened = SqlStore(f"sqlite:///{path}")
    query = ExecutionQuery(workflow="wf", labels={"team": "ml"})
    assert [r.id.name for r in reopened.list_executions(query).records] == ["old"]
    reopened.close()
