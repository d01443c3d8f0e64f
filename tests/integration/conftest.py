"""An S3-compatible endpoint for integration tests: moto's server, in this process.

The server listens on a free port of 127.0.0.1; nothing leaves the machine. Tests that use it
skip only if it cannot start.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from s3_server import BUCKET, CREDENTIALS, s3_client

from aloft.storage import BlobStore, DataContext, data_context


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


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped afterwards.

    Made on the server named by ``ALOFT_TEST_POSTGRES_URL``; tests using it skip when that
    variable is unset.
    """
    base = os.environ.get("ALOFT_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("ALOFT_TEST_POSTGRES_URL is not set: no PostgreSQL to test against")
    import sqlalchemy

    name = f"aloft_test_{uuid.uuid4().hex[:10]}"
    admin_url = sqlalchemy.make_url(base).set(drivername="postgresql+psycopg")
    admin = sqlalchemy.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                sqlalchemy.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"
                ),
                {"d": name},
            )
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
