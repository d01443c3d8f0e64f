"""The SQL execution store on PostgreSQL: the contract, plus concurrent hosts.

Runs against the server at ``ALOFT_TEST_POSTGRES_URL`` (e.g.
``postgresql://postgres@127.0.0.1:5432/test``), in a database of its own that is created
for the run and dropped after it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from aloft.ir import ExecutionId
from aloft.storage.catalog import Catalog
from aloft.storage.executions import ExecutionStore, migrations
from aloft.storage.executions.sql import SqlStore
from aloft.storage.executions.sql_tables import metadata
from conftest import POSTGRES, postgres_engine
from contracts.catalog import CatalogContract
from contracts.execution_store import ExecutionStoreContract, at, spec

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not POSTGRES, reason="ALOFT_TEST_POSTGRES_URL is not set"),
]


@pytest.fixture(scope="module")
def url(fresh_database: Callable[[], str]) -> str:
    """The URL of this module's database."""
    return fresh_database()


@pytest.fixture(scope="module")
def opened(url: str) -> Iterator[SqlStore]:
    store = SqlStore(url)
    yield store
    store.close()


@pytest.fixture
def empty(opened: SqlStore, url: str) -> Iterator[SqlStore]:
    """A store on the module's database, emptied.

    A new store each time: emptying the tables behind a store's back reuses row ids and
    versions it may know the records of (``sql_known``).
    """
    engine = postgres_engine(sa.make_url(url).database)
    with engine.connect() as conn:
        conn.exec_driver_sql(
            "TRUNCATE events, attempts, nodes, execution_specs, executions, cache_entries,"
            " cache_reservations RESTART IDENTITY"
        )
    engine.dispose()
    store = SqlStore(url)
    yield store
    store.close()


class TestPostgresStore(ExecutionStoreContract):
    @pytest.fixture
    def store(self, empty: SqlStore) -> ExecutionStore:
        return empty


class TestPostgresCatalog(CatalogContract):
    @pytest.fixture
    def catalog(self, empty: SqlStore) -> Catalog:
        return empty


class TestPostgresStoreReadingBack(ExecutionStoreContract):
    """The contract again, with every write checked against rows read back."""

    @pytest.fixture
    def store(self, empty: SqlStore, url: str) -> Iterator[ExecutionStore]:
        store = SqlStore(url, known_executions=0)
        yield store
        store.close()


def test_the_migrations_make_exactly_the_tables_at_head(opened: SqlStore, url: str) -> None:
    engine = postgres_engine(sa.make_url(url).database)
    try:
        with engine.connect() as conn:
            head = ScriptDirectory.from_config(migrations.config(conn)).get_current_head()
            assert head == migrations.HEAD
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).all() == [
                (head,)
            ]
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        engine.dispose()


def test_stores_opening_a_fresh_database_at_once_all_succeed(
    fresh_database: Callable[[], str],
) -> None:
    url = fresh_database()
    start = threading.Barrier(4)

    def open_store() -> list[ExecutionId]:
        start.wait()
        store = SqlStore(url)
        try:
            return [r.id for r in store.list_executions().records]
        finally:
            store.close()

    with ThreadPoolExecutor(4) as pool:
        assert [f.result() for f in [pool.submit(open_store) for _ in range(4)]] == [[]] * 4


def test_concurrent_claims_never_take_one_execution_twice(empty: SqlStore, url: str) -> None:
    executions = {empty.create(spec(f"e{i}"), at(i)).id for i in range(20)}
    hosts = [SqlStore(url) for _ in range(2)]
    start = threading.Barrier(len(hosts))
    taken: list[list[ExecutionId]] = [[] for _ in hosts]
    total = 0
    count_lock = threading.Lock()

    def claim(index: int) -> None:
        nonlocal total
        start.wait()
        for _ in range(200):
            acquired = hosts[index].claim(f"host-{index}", 10.0, 600.0, 1).acquired
            taken[index].extend(acquired)
            with count_lock:
                total += len(acquired)
                if total >= len(executions):
                    return

    try:
        with ThreadPoolExecutor(len(hosts)) as pool:
            for done in [pool.submit(claim, i) for i in range(len(hosts))]:
                done.result()
    finally:
        for host in hosts:
            host.close()
    first, second = (set(t) for t in taken)
    assert not first & second
    assert len(taken[0]) + len(taken[1]) == len(executions)
    assert first | second == executions
    for index, held in enumerate(taken):
        assert {empty.lease(execution)[0] for execution in held} <= {f"host-{index}"}
