"""An S3-compatible endpoint for integration tests: moto's server, in this process.

The server listens on a free port of 127.0.0.1; nothing leaves the machine. Tests that use it
skip only if it cannot start.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy
from s3_server import BUCKET, CREDENTIALS, s3_client

from aloft.storage import BlobStore, DataContext, data_context

POSTGRES = os.environ.get("ALOFT_TEST_POSTGRES_URL", "")
"""The PostgreSQL server integration tests use, if any."""


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """The URL of a moto S3 server with an empty bucket."""
    pytest.importorskip("s3fs")
    moto_server = pytest.importorskip("moto.server")

    with pytest.MonkeyPatch.context() as patch:
        for key, value in CREDENTIALS.items():
            patch.setenv(key, value)
        server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        try:
            server.start()
        except Exception as exc:  # a sandbox without sockets, for one
            pytest.skip(f"moto's S3 server cannot start here: {exc}")
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        try:
            s3_client(url).create_bucket(Bucket=BUCKET)
            yield url
        finally:
            server.stop()


@pytest.fixture
def store(endpoint: str) -> Iterator[BlobStore]:
    """An S3 store, in force for the test: every value a task writes goes to the bucket."""
    options = {"client_kwargs": {"endpoint_url": endpoint}, "key": "testing", "secret": "testing"}
    store = BlobStore(f"s3://{BUCKET}/aloft", options)
    with data_context(DataContext(store, store.uri("raw", "t"), 1 << 20)):
        yield store


def postgres_engine(database: str | None = None) -> sqlalchemy.Engine:
    """An AUTOCOMMIT engine on the test server's database, or on ``database`` there."""
    url = sqlalchemy.make_url(POSTGRES).set(drivername="postgresql+psycopg")
    if database is not None:
        url = url.set(database=database)
    return sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="module")
def fresh_database() -> Iterator[Callable[[], str]]:
    """A function that creates an empty PostgreSQL database and returns its URL; all are
    dropped at the end, their leftover connections terminated first.

    The server is the one ``ALOFT_TEST_POSTGRES_URL`` names; without it, the test skips.
    """
    if not POSTGRES:
        pytest.skip("ALOFT_TEST_POSTGRES_URL is not set: no PostgreSQL to test against")
    admin = postgres_engine()
    created: list[str] = []

    def create() -> str:
        name = f"aloft_test_{secrets.token_hex(6)}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        created.append(name)
        url = sqlalchemy.make_url(POSTGRES).set(drivername="postgresql+psycopg", database=name)
        return url.render_as_string(hide_password=False)

    yield create
    with admin.connect() as conn:
        for name in created:
            conn.execute(
                sqlalchemy.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin.dispose()


@pytest.fixture
def postgres_url(fresh_database: Callable[[], str]) -> str:
    """The URL of a fresh, empty PostgreSQL database."""
    return fresh_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'aloft.db'}"
    fresh: Callable[[], str] = request.getfixturevalue("fresh_database")
    return fresh()
