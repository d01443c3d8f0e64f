"""An S3-compatible endpoint for integration tests: moto's server, in this process.

The server listens on a free port of 127.0.0.1; nothing leaves the machine. Tests that use it
skip only if it cannot start.
"""

from __future__ import annotations

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
