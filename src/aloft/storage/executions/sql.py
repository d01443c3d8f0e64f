"""The SQL execution store: SQLite on one machine, PostgreSQL for a shared server.

Built on SQLAlchemy Core with prebuilt statements (``sql_tables``); records are stored as
msgspec JSON. Every write is one transaction that first locks the execution's row (``FOR NO
KEY UPDATE`` on PostgreSQL; on SQLite the write transaction itself, ``BEGIN IMMEDIATE``, is
the lock), reads the records it touches, checks them with ``rules`` and only then writes, so
a refused write leaves nothing behind.

SQLite runs in WAL mode with a busy timeout, and writes within a process go through one
lock per file, so threads and processes (an engine host and a CLI ``terminate``) share a
file without "database is locked" errors. The schema is migrated when a store opens.
"""

from __future__ import annotations

import datetime
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from msgspec import structs

from aloft.errors import InputError
from aloft.ir import (
    AttemptRecord,
    CacheEntry,
    Event,
    EventKind,
    ExecutionId,
    ExecutionRecord,
    ExecutionSpec,
    Literal,
    NodeKey,
    NodeRecord,
    TaskAttemptResult,
    from_json,
)
from aloft.storage.catalog import Catalog
from aloft.storage.executions import migrations, sql_direct
from aloft.storage.executions import sql_tables as t
from aloft.storage.executions.base import (
    Changes,
    Claim,
    ExecutionExists,
    ExecutionNotFound,
    ExecutionPage,
    ExecutionQuery,
    ExecutionSnapshot,
    ExecutionStore,
    InvalidTransition,
    ResultOutcome,
    StoreError,
    StoreUnavailable,
    VersionConflict,
)
from aloft.storage.executions.rules import (
    check_attempt,
    check_execution,
    check_node,
    with_signal,
)
from aloft.storage.executions.sql_direct import DirectStatements, execute_many
from aloft.storage.executions.sql_known import DEFAULT_CAPACITY, KnownExecutions, KnownRecords
from aloft.storage.executions.sql_results import ResultBatch
from aloft.storage.registry import Registry

_log = logging.getLogger("aloft.store")

_BUSY_TIMEOUT = 30.0
"""Seconds a SQLite connection waits for another process's write to finish."""
_KEYS_PER_QUERY = 500
"""Cache keys looked up per statement (SQLite caps the parameters of one)."""
_sqlite_writers: dict[str, threading.Lock] = {}
"""One write lock per SQLite file, shared by every store of this process on it."""


class SqlStore(ExecutionStore, Catalog):
    """Executions and the cache catalog in a SQL database, shared by threads, processes and
    engine hosts.

    Args:
        url: ``sqlite:///path/to/file.db`` (the folder is created if missing) or
            ``postgresql://user@host/db`` (``postgres://`` works too; driver psycopg 3).
        known_executions: How many executions' records to keep for checking writes
            without reading them back (``sql_known``); 0 reads back every time.

    Raises:
        InputError: The URL names another database, or an in-memory SQLite one.
        StoreUnavailable: The database cannot be reached or created.
    """

    def __init__(self, url: str, *, known_executions: int = DEFAULT_CAPACITY) -> None:
        try:
            parsed = sa.make_url(url)
        except sa.exc.ArgumentError:
            raise InputError(f"not a database URL: {url!r}") from None
        backend = parsed.get_backend_name()
        shown = parsed.render_as_string(hide_password=True)
        self._lock: AbstractContextManager[object]
        if backend in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
            self._engine = sa.create_engine(parsed, pool_pre_ping=True)
            self._lock = nullcontext()
        elif backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
            path = Path(str(parsed.database))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(f"cannot create the database {shown}: {exc}") from None
            self._engine = _sqlite_engine(parsed)
            self._lock = _sqlite_writers.setdefault(str(path.resolve()), threading.Lock())
        else:
            raise InputError(f"not a SQLite file or PostgreSQL URL: {shown}")
        self._sqlite = backend == "sqlite"
        self._upserts = t.Upserts.of(self._engine.dialect.name)
        self._direct = DirectStatements.of(self._engine.dialect, self._upserts)
        self._known = KnownExecutions(known_executions)
        self._driver_errors = _driver_errors(self._engine.dialect)
        try:
            with self._write() as conn:
                migrations.upgrade(conn)
        except (StoreError, sa.exc.DBAPIError) as exc:
            self._engine.dispose()
            cause = exc.__cause__ if isinstance(exc, StoreError) else exc
            orig = getattr(cause, "orig", None)
            reason = str(orig or exc).strip().splitlines()[0]
            raise StoreUnavailable(f"cannot open the database {shown}: {reason}") from None

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """A write transaction, committed at the end unless an exception leaves it."""
        with _database_errors(self._driver_errors), self._lock, self._engine.begin() as conn:
            if self._sqlite:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    @contextmanager
    def _snapshot(self) -> Iterator[sa.Connection]:
        """A read transaction: every read in it sees the same committed state."""
        with _database_errors(self._driver_errors), self._engine.connect() as conn:
            conn.exec_driver_sql(
                "BEGIN"
                if self._sqlite
                else "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
            )
            yield conn

    def _row(
        self, conn: sa.Connection, execution: ExecutionId, *, lock: bool
    ) -> tuple[int, int, str]:
        """``execution``'s row id, version and record (locked for a write if ``lock``)."""
        statement = self._direct.lock_execution if lock else self._direct.select_execution
        cursor = sql_direct.cursor(conn)
        cursor.execute(statement, t.named(execution))
        row = cursor.fetchone()
        if row is None:
            raise ExecutionNotFound(f"no execution {execution}")
        row_id, version, record = row
        return int(row_id), int(version), str(record)

    # -- executions --------------------------------------------------------------------------

    def create(self, spec: ExecutionSpec, now: datetime.datetime) -> ExecutionRecord:
        """Store a new QUEUED execution, pending; ``ExecutionExists`` if the id is taken."""
        record = ExecutionRecord(id=spec.id, created_at=now, updated_at=now)
        event = Event(
            execution=spec.id, kind=EventKind.EXECUTION, phase=record.phase.value, occurred_at=now
        )
        row = {
            "project": spec.id.project,
            "domain": spec.id.domain,
            "name": spec.id.name,
            "record": t.encode(record),
            "phase": record.phase.value,
            "version": record.version,
            "pending": True,
            "lease_owner": "",
            "lease_expires": 0.0,
            "created_at": now.timestamp(),
            "workflow": spec.closure.workflow.id.name,
            "launch_plan": spec.launch_plan.name if spec.launch_plan is not None else "",
            "labels": t.labels_text(spec.labels),
        }
        with self._write() as conn:
            row_id = conn.execute(self._upserts.create, row).scalar()
            if row_id is None:
                raise ExecutionExists(f"execution {spec.id} already exists")
            conn.execute(t.insert_spec, {"p_id": row_id, "p_spec": t.encode(spec)})
            conn.execute(self._upserts.append_events, [t.event_row(row_id, event)])
        return record

    def spec(self, execution: ExecutionId) -> ExecutionSpec:
        """What ``execution`` runs."""
        with self._engine.connect() as conn:
            stored = conn.execute(t.select_spec, t.named(execution)).scalar()
        if stored is None:
            raise ExecutionNotFound(f"no execution {execution}")
        return from_json(stored, ExecutionSpec)

    def load(self, execution: ExecutionId) -> ExecutionSnapshot:
        """All of ``execution``'s records, as of one version."""
        with self._snapshot() as conn:
            row_id, _, record = self._row(conn, execution, lock=False)
            node_rows = conn.execute(t.select_nodes, {"p_id": row_id}).all()
            attempt_rows = conn.execute(t.select_attempts, {"p_id": row_id}).all()
        snapshot = ExecutionSnapshot(
            from_json(record, ExecutionRecord),
            {from_json(key, NodeKey): from_json(node, NodeRecord) for key, node in node_rows},
            {token: t.read_attempt(stored, lease) for token, stored, lease in attempt_rows},
        )
        self._known.loaded(row_id, record, snapshot)
        return snapshot

    def record(self, execution: ExecutionId) -> ExecutionRecord:
        """The execution record, read alone."""
        with self._snapshot() as conn:
            _, version, stored = self._row(conn, execution, lock=False)
        return structs.replace(from_json(stored, ExecutionRecord), version=version)

    def list_executions(self, query: ExecutionQuery | None = None) -> ExecutionPage:
        """The execution records ``query`` selects; a page's position is its last row id."""
        query = query or ExecutionQuery()
        statement = t.list_executions(query).limit(query.limit + 1)
        with self._engine.connect() as conn:
            rows = conn.execute(statement).all()
        page = rows[: query.limit]
        records = [from_json(record, ExecutionRecord) for _, record, _, _ in page]
        entities = [(workflow, plan) for _, _, workflow, plan in page]
        return ExecutionPage(records, page[-1][0] if len(rows) > query.limit else None, entities)

    def events(self, execution: ExecutionId) -> list[Event]:
        """The event log of ``execution``, in the order it was appended."""
        with self._snapshot() as conn:
            rows = conn.execute(t.select_events, t.named(execution)).scalars().all()
            if not rows:
                self._row(conn, execution, lock=False)
        return [from_json(event, Event) for event in rows]

    # -- writing ---------------------------------------------------------------------------------

    def apply(self, execution: ExecutionId, expected_version: int, changes: Changes) -> int:
        """Write ``changes`` in one transaction if the version is still ``expected_version``.

        The execution's row is locked and its version compared before anything is read or
        written; a refused change rolls the whole transaction back. The rules are checked
        against the records this store knows at that version, or else against the stored
        rows the change touches (``sql_known``).
        """
        direct = self._direct
        with self._write() as conn:
            row_id, version, stored = self._row(conn, execution, lock=True)
            cursor = sql_direct.cursor(conn)
            if version != expected_version:
                raise VersionConflict(
                    f"execution {execution} is at version {version}, not {expected_version}"
                )
            known = self._known.at(row_id, version, stored)
            old = known.execution if known is not None else from_json(stored, ExecutionRecord)
            new = changes.execution or old
            check_execution(old, new, changes)
            if known is not None:
                _check_known(known, changes)
            else:
                self._check_nodes(conn, row_id, changes.nodes)
                self._check_attempts(conn, row_id, changes.attempts)
            version += 1
            written = t.execution_row(row_id, new, version, pending=False)
            cursor.execute(direct.update_execution, written)
            if changes.nodes:
                rows = [t.node_row(row_id, key, node) for key, node in changes.nodes.items()]
                execute_many(cursor, direct.upsert_nodes, rows)
            if changes.attempts:  # in token order, the order concurrent writers lock rows in
                attempts = sorted(changes.attempts.items())
                rows = [t.attempt_row(row_id, token, attempt) for token, attempt in attempts]
                if execute_many(cursor, direct.upsert_attempts, rows) != len(rows):
                    raise InvalidTransition(
                        f"an attempt token of execution {execution} is another execution's"
                    )
            if changes.events:
                rows = [t.event_row(row_id, event) for event in changes.events]
                execute_many(cursor, direct.append_events, rows)
        if known is not None:
            self._known.committed(row_id, known, version, written["p_record"], changes)
        return version

    def _check_nodes(
        self, conn: sa.Connection, row_id: int, nodes: dict[NodeKey, NodeRecord]
    ) -> None:
        """Refuse ``nodes`` if one would move a stored node backwards."""
        if not nodes:
            return
        keys = {t.key_text(key): node for key, node in nodes.items()}
        params = {"p_id": row_id, "p_keys": list(keys)}
        stored = dict(conn.execute(t.select_some_nodes, params).all())
        for key, node in keys.items():
            old = stored.get(key)
            check_node(None if old is None else from_json(old, NodeRecord), node)

    def _check_attempts(
        self, conn: sa.Connection, row_id: int, attempts: dict[str, AttemptRecord]
    ) -> None:
        """Refuse ``attempts`` if one would change an ended attempt, move one backwards, or
        take a token of another execution's attempt."""
        if not attempts:
            return
        stored = {}
        params = {"p_tokens": list(attempts)}
        for owner_id, _, token, record, lease in conn.execute(t.select_attempts_by_token, params):
            if owner_id != row_id:
                raise InvalidTransition(f"attempt token {token!r} is another execution's")
            stored[token] = t.read_attempt(record, lease)
        for token, attempt in attempts.items():
            check_attempt(stored.get(token), attempt)

    def accept_results(
        self, results: Sequence[TaskAttemptResult], now: datetime.datetime
    ) -> list[ResultOutcome]:
        """Record each result whose token is its node's current, still running attempt.

        The whole batch is one transaction: its executions are locked and their records
        read at once, and the accepted results written with one statement per table.
        """
        if not results:
            return []
        with self._write() as conn:
            batch = ResultBatch(conn, results)
            outcomes = [batch.judge(result, now) for result in results]
            batch.write(conn, self._upserts.append_events)
        for row_id, _ in batch.executions.values():  # at a version this store did not follow
            self._known.forget(row_id)
        return outcomes

    def request_abort(self, execution: ExecutionId) -> bool:
        """Mark ``execution`` for termination and pending; False if it had already ended."""
        with self._write() as conn:
            row_id, version, stored = self._row(conn, execution, lock=True)
            record = from_json(stored, ExecutionRecord)
            if record.phase.is_terminal:
                return False
            if not record.abort_requested:
                version += 1
                record = structs.replace(record, abort_requested=True)
            conn.execute(t.update_execution, t.execution_row(row_id, record, version, pending=True))
        self._known.forget(row_id)
        return True

    def wake(self, execution: ExecutionId) -> None:
        """Bump the version and mark pending, unless the execution has ended."""
        with self._write() as conn:
            row_id, version, stored = self._row(conn, execution, lock=True)
            record = from_json(stored, ExecutionRecord)
            if record.phase.is_terminal:
                return
            conn.execute(
                t.update_execution, t.execution_row(row_id, record, version + 1, pending=True)
            )
        self._known.forget(row_id)

    def give_signal(self, execution: ExecutionId, name: str, value: Literal) -> bool:
        """Store signal ``name`` in the execution record, bumping its version, once."""
        with self._write() as conn:
            row_id, version, stored = self._row(conn, execution, lock=True)
            record = from_json(stored, ExecutionRecord)
            if record.phase.is_terminal:
                return False
            given = with_signal(structs.replace(record, version=version), name, value)
            if given is not None:
                conn.execute(
                    t.update_execution, t.execution_row(row_id, given, given.version, pending=True)
                )
        self._known.forget(row_id)
        return True

    # -- leases ----------------------------------------------------------------------------------

    def claim(self, owner: str, now: float, ttl: float, limit: int) -> Claim:
        """Take up to ``limit`` free leases and report ``owner``'s pending executions."""
        with self._write() as conn:
            held = conn.execute(t.select_pending, {"p_owner": owner}).all()
            taken: list[Any] = []
            if limit > 0:
                params = {"p_owner": owner, "p_now": now, "p_limit": limit, "p_expires": now + ttl}
                taken = sorted(conn.execute(t.acquire, params).all())
        return Claim(
            [ExecutionId(project=p, domain=d, name=n) for _, p, d, n in taken],
            [ExecutionId(project=p, domain=d, name=n) for p, d, n in held],
        )

    def lease(self, execution: ExecutionId) -> tuple[str, float]:
        """Who holds ``execution``'s lease and until when (``("", 0.0)``: nobody)."""
        with self._engine.connect() as conn:
            row = conn.execute(t.select_lease, t.named(execution)).first()
        if row is None:
            raise ExecutionNotFound(f"no execution {execution}")
        owner, expires = row
        return owner, expires

    def take_over(
        self, owner: str, execution: ExecutionId, previous: str, now: float, ttl: float
    ) -> bool:
        """Take ``execution``'s lease from ``previous`` if it still holds it and the
        execution has not ended."""
        params = {"p_owner": owner, "p_previous": previous, "p_expires": now + ttl}
        with self._write() as conn:
            taken = conn.execute(t.take_over, {**t.named(execution), **params}).rowcount
            if not taken:
                self._row(conn, execution, lock=False)
        return bool(taken)

    def renew(
        self, owner: str, executions: Iterable[ExecutionId], now: float, ttl: float
    ) -> set[ExecutionId]:
        """Extend ``owner``'s leases; returns the executions it still holds."""
        names = t.names(executions)
        if not names:
            return set()
        params = {"p_owner": owner, "p_names": names, "p_expires": now + ttl}
        with self._write() as conn:
            rows = conn.execute(t.renew, params).all()
        return {ExecutionId(project=p, domain=d, name=n) for p, d, n in rows}

    def release(self, owner: str, executions: Iterable[ExecutionId]) -> None:
        """Give up ``owner``'s leases on ``executions``."""
        names = t.names(executions)
        if names:
            with self._write() as conn:
                conn.execute(t.release, {"p_owner": owner, "p_names": names})

    def renew_attempts(self, tokens: Iterable[str], expires: float) -> None:
        """Extend the leases of running attempts; ended or unknown ones are left alone."""
        tokens = list(tokens)
        if tokens:
            with self._write() as conn:
                conn.execute(t.renew_attempts, {"p_tokens": tokens, "p_expires": expires})

    # -- the cache catalog ------------------------------------------------------------------

    def get_many(self, keys: Iterable[str]) -> dict[str, CacheEntry]:
        """The entries of those ``keys`` that are cached."""
        wanted = list(dict.fromkeys(keys))
        rows: list[str] = []
        with _database_errors(self._driver_errors), self._engine.connect() as conn:
            for start in range(0, len(wanted), _KEYS_PER_QUERY):
                chunk = wanted[start : start + _KEYS_PER_QUERY]
                rows.extend(conn.execute(t.select_cache, {"p_keys": chunk}).scalars())
        entries = (from_json(row, CacheEntry) for row in rows)
        return {entry.key: entry for entry in entries}

    def put(self, entries: Sequence[CacheEntry]) -> None:
        """Keep ``entries``, replacing any under the same keys."""
        if not entries:
            return
        rows = [
            {
                "key": e.key,
                "task": e.task,
                "created_at": e.created_at.timestamp(),
                "entry": t.encode(e),
            }
            for e in entries
        ]
        with self._write() as conn:
            conn.execute(self._upserts.put_cache, rows)

    def entries(self, task: str | None = None) -> list[CacheEntry]:
        """Every entry (of ``task`` only, if given), newest first."""
        statement = t.list_cache
        if task is not None:
            statement = statement.where(t.cache_entries.c.task == task)
        with _database_errors(self._driver_errors), self._engine.connect() as conn:
            rows = conn.execute(statement).scalars().all()
        return [from_json(row, CacheEntry) for row in rows]

    def clear(self, task: str | None = None, older_than: datetime.datetime | None = None) -> int:
        """Remove the matching entries; returns how many."""
        statement = sa.delete(t.cache_entries)
        if task is not None:
            statement = statement.where(t.cache_entries.c.task == task)
        if older_than is not None:
            statement = statement.where(t.cache_entries.c.created_at < older_than.timestamp())
        with self._write() as conn:
            return int(conn.execute(statement).rowcount)

    def reserve(self, key: str, owner: str, now: float, ttl: float) -> str:
        """Take or renew the reservation unless a live one is someone else's; its holder."""
        row = {"key": key, "owner": owner, "expires": now + ttl, "p_now": now}
        with self._write() as conn:
            conn.execute(self._upserts.reserve, row)
            return str(conn.execute(t.select_reservation, {"p_key": key}).scalar_one())

    def extend_reservations(self, owners: Iterable[str], expires: float) -> None:
        """Keep ``owners``' reservations until ``expires``."""
        wanted = list(owners)
        if wanted:
            with self._write() as conn:
                conn.execute(t.extend_reservations, {"p_owners": wanted, "p_expires": expires})

    def release_reservations(self, owners: Iterable[str]) -> None:
        """Give up ``owners``' reservations."""
        wanted = list(owners)
        if wanted:
            with self._write() as conn:
                conn.execute(t.release_reservations, {"p_owners": wanted})

    def count_by_phase(self) -> dict[str, int]:
        """How many executions are stored in each phase (phases with none left out)."""
        with self._engine.connect() as conn:
            rows = conn.execute(t.count_by_phase).all()
        return {str(phase): int(count) for phase, count in rows}

    def count_running_attempts(self) -> int:
        """How many task attempts are recorded as running."""
        with self._engine.connect() as conn:
            return int(conn.execute(t.count_running_attempts).scalar() or 0)

    def registry(self) -> Registry:
        """The registry of entities and projects in this database."""
        return Registry(self._snapshot, self._write)

    def close(self) -> None:
        """Close the pooled connections."""
        self._engine.dispose()


def _check_known(known: KnownRecords, changes: Changes) -> None:
    """Refuse ``changes`` if a node or attempt would break the rules, judged against the
    records known at the execution's current version."""
    for key, node in changes.nodes.items():
        check_node(known.nodes.get(key), node)
    for token, attempt in changes.attempts.items():
        check_attempt(known.attempts.get(token), attempt)


def _driver_errors(dialect: sa.Dialect) -> tuple[type[Exception], ...]:
    """The driver's own exceptions for a failing database, raised by ``sql_direct``."""
    dbapi = dialect.loaded_dbapi
    return (dbapi.OperationalError, dbapi.InterfaceError)


@contextmanager
def _database_errors(driver_errors: tuple[type[Exception], ...]) -> Iterator[None]:
    """Report the database failing (not a refused write) as a ``StoreError``, whether
    SQLAlchemy or the driver itself (``driver_errors``) raised it."""
    try:
        yield
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"the database failed: {reason}") from exc
    except driver_errors as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"the database failed: {reason}") from exc


def _pragma(dbapi_connection: Any, pragma: str) -> None:
    """Run ``PRAGMA pragma``. Switching a new file to WAL needs a moment alone with it, and
    SQLite answers "locked" at once rather than waiting for the busy timeout, so a process
    opening the file while another does waits here instead."""
    deadline = time.monotonic() + _BUSY_TIMEOUT
    while True:
        try:
            dbapi_connection.execute(f"PRAGMA {pragma}")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    """An engine on a SQLite file: WAL, ``synchronous=NORMAL``, a busy timeout, and ``LIKE``
    case-sensitive as on PostgreSQL (label filters compare exactly).

    The driver is put in autocommit mode so that it begins no transaction of its own: the
    store emits ``BEGIN IMMEDIATE`` (writes) or ``BEGIN`` (snapshot reads) itself, and
    SQLAlchemy's commit and rollback end them. (A ``begin`` connection event could emit
    them too, but any connection event slows every statement.)
    """
    engine = sa.create_engine(url, connect_args={"timeout": _BUSY_TIMEOUT})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.isolation_level = None
        pragmas = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON")
        for pragma in (*pragmas, "case_sensitive_like=ON"):
            _pragma(dbapi_connection, pragma)

    return engine
