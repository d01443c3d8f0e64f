"""The server application: the REST API, the web console, health and metrics in front of the
control plane, with the engine host and its worker pool, and the scheduler, running beside
them (``aloft serve``)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI, Response
from prometheus_client import CollectorRegistry, Histogram

from aloft import __version__, console
from aloft.server import errors
from aloft.server.api import router
from aloft.server.body_limit import BodyLimit
from aloft.server.control_plane import MAX_BUNDLE_BYTES, ControlPlane
from aloft.server.end_notices import EndNotices
from aloft.server.engine_service import EngineService, PoolUse
from aloft.server.metrics import CONTENT_TYPE, PlatformCollector, metrics_text
from aloft.server.scheduler import Scheduler
from aloft.storage import BlobStore
from aloft.storage.executions.sql import SqlStore

MAX_JSON_BYTES = 32 << 20
"""The largest JSON request body taken (code bundles may be larger)."""
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600)


@dataclass(frozen=True)
class ServerConfig:
    """What a server runs on: the metadata database URL, the blob store (root URI and fsspec
    options), and how many worker processes run tasks (0: none, an API-only server)."""

    database: str
    store: str
    store_options: dict[str, object]
    workers: int


def create_app(config: ServerConfig) -> FastAPI:
    """The server's ASGI application; the engine starts and stops with its lifespan."""
    metrics = CollectorRegistry()
    latency = Histogram(
        "aloft_task_attempt_seconds",
        "Seconds from handing a task attempt to the worker pool to its result.",
        buckets=_LATENCY_BUCKETS,
        registry=metrics,
    )
    blobs = BlobStore(config.store, config.store_options)
    notices = EndNotices()
    engine = (  # attempts write under the store's normalised root, so their URIs lie in it
        EngineService(config.database, blobs.root, config.workers, latency.observe, notices.ended)
        if config.workers
        else None
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = SqlStore(config.database)
        control = ControlPlane(store, blobs)
        app.state.control_plane = control
        app.state.end_notices = notices
        notices.bind(asyncio.get_running_loop())
        scheduler = Scheduler(control)
        pool: Callable[[], PoolUse] = engine.pool_use if engine else (lambda: PoolUse(0, 0))
        metrics.register(PlatformCollector(store, pool))
        if engine is not None:
            engine.start()
        scheduler.start()
        logging.getLogger("aloft.server").info("aloft server ready")
        try:
            yield
        finally:
            scheduler.stop()
            if engine is not None:
                engine.stop()
            store.close()

    app = FastAPI(
        title="aloft",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    errors.install(app, page=console.error_page)
    app.include_router(router)
    console.install(app)
    app.add_middleware(BodyLimit, limit_for=_body_limit)

    @app.get("/healthz")
    def healthz() -> Response:
        """200 ``ok`` while the server serves and its engine host runs, else 503."""
        if engine is not None and engine.failure is not None:
            return errors.error_response(503, f"the engine host stopped: {engine.failure}")
        return Response(b'{"status":"ok"}', media_type="application/json")

    @app.get("/metrics")
    def prometheus() -> Response:
        """The Prometheus metrics."""
        return Response(metrics_text(metrics), media_type=CONTENT_TYPE)

    return app


def _body_limit(path: str) -> int:
    return MAX_BUNDLE_BYTES if path.startswith("/api/v1/bundles/") else MAX_JSON_BYTES
