"""``aloft serve``: the control plane on embedded defaults, or on the database and store the
flags, environment or config file name."""

from __future__ import annotations

import os
import signal

import click

from aloft.storage.config import server_address

DEFAULT_PORT = 8420


@click.command()
@click.option("--db", help="Metadata database URL (default: ALOFT_DB, the config file, SQLite).")
@click.option("--store", help="Blob store URL (default: ALOFT_STORE, the config file, a folder).")
@click.option(
    "--workers",
    type=click.IntRange(0, 1024),
    help="Worker processes for tasks (default: ALOFT_WORKERS, the config file, the CPUs); 0 "
    "serves the API alone.",
)
@click.option("--host", help="Address to listen on (default: ALOFT_SERVER_HOST, 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), help=f"Port (default: {DEFAULT_PORT}).")
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="info",
    show_default=True,
)
def serve(
    db: str | None,
    store: str | None,
    workers: int | None,
    host: str | None,
    port: int | None,
    log_level: str,
) -> None:
    """Run the aloft server: REST API under /api/v1, engine and worker pool.

    SIGTERM or Ctrl-C stops it gracefully; executions continue when it starts again,
    whether it stopped or was killed.
    """
    import uvicorn

    from aloft.server.app import ServerConfig, create_app
    from aloft.storage.config import database_url, load_storage_config, worker_count
    from aloft.storage.executions.sql import SqlStore

    # Flags win over the environment, which wins over the config file: set them in the
    # environment, so that the worker processes, which read it too, agree.
    for variable, value in (("ALOFT_DB", db), ("ALOFT_STORE", store)):
        if value:
            os.environ[variable] = value
    if workers is not None:
        os.environ["ALOFT_WORKERS"] = str(workers or 1)
    storage = load_storage_config()
    config = ServerConfig(
        database=database_url(),
        store=storage.url,
        store_options=dict(storage.options),
        workers=0 if workers == 0 else worker_count(),
    )
    address = server_address()
    listen_host = host or address[0]
    listen_port = port if port is not None else (address[1] or DEFAULT_PORT)
    SqlStore(config.database).close()  # a bad URL or an unreachable database: say so now
    app = create_app(config)
    click.echo(
        f"aloft server on http://{listen_host}:{listen_port} (API: /api/v1, docs: /api/v1/docs)"
    )
    click.echo(
        f"  database {_shown(config.database)}, store {config.store}, {config.workers} workers"
    )
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again with the handler
    # it found: make that one end the command with exit code 0, since the stop was clean.
    signal.signal(signal.SIGTERM, _stopped)
    uvicorn.run(app, host=listen_host, port=listen_port, log_level=log_level, access_log=False)


def _stopped(signum: int, frame: object) -> None:
    raise click.exceptions.Exit(0)


def _shown(url: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).render_as_string(hide_password=True)
