"""``aloft executions list``, ``aloft resume NAME`` and ``aloft terminate NAME``."""

from __future__ import annotations

import click

from aloft.cli.describe import execution_table
from aloft.cli.loading import entity_named
from aloft.cli.run import print_outcome
from aloft.engine import ExecutionBusy
from aloft.ir import ExecutionId, ExecutionPhase
from aloft.runner import LocalExecution
from aloft.runner.signals import give_signals, parse_signal_options
from aloft.storage.executions import ExecutionQuery

_DB_HELP = "Database URL (default: the configured one)."


@click.group()
def executions() -> None:
    """Stored (durable) executions."""


@executions.command("list")
@click.option("--db", help=_DB_HELP)
@click.option(
    "--phase",
    type=click.Choice([p.value for p in ExecutionPhase]),
    help="Only executions in this phase.",
)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
def list_executions(db: str | None, phase: str | None, limit: int) -> None:
    """List stored executions, newest first."""
    from aloft.runner.durable import open_store

    store = open_store(db)
    query = ExecutionQuery(phase=ExecutionPhase(phase) if phase else None, limit=limit)
    click.echo(execution_table(store.list_executions(query).records))


@click.command()
@click.argument("name")
@click.option("--db", help=_DB_HELP)
@click.option(
    "--signal", "signals", multiple=True, metavar="NAME=VALUE", help="Give a gate's signal."
)
def resume(name: str, db: str | None, signals: tuple[str, ...]) -> None:
    """Continue durable execution NAME after its process died (or while its gates wait for
    signals), and print its outputs."""
    from aloft.runner.durable import drive, open_store

    store = open_store(db)
    execution = ExecutionId(name=name)
    spec = store.spec(execution)
    entity = entity_named(spec.code_root, spec.entrypoint or spec.closure.workflow.id.name)
    given = parse_signal_options(spec.closure, signals)
    if not store.load(execution).execution.phase.is_terminal:
        give_signals(store, execution, given)
        try:
            drive(store, execution)
        except ExecutionBusy:
            if not given:
                raise
            names = ", ".join(sorted(given))
            click.echo(f"gave signal {names} to {name}, which another process runs", err=True)
            return
    print_outcome(LocalExecution.of(entity, store, execution))


@click.command()
@click.argument("name")
@click.option("--db", help=_DB_HELP)
@click.option("--remote", "url", metavar="URL", help="Stop an execution of this server instead.")
@click.option("--project", default="default", show_default=True, help="With --remote.")
@click.option("--domain", default="development", show_default=True, help="With --remote.")
def terminate(name: str, db: str | None, url: str | None, project: str, domain: str) -> None:
    """Stop execution NAME: its running tasks are killed and it ends ABORTED (a durable
    local one, or with --remote one of a server)."""
    if url is not None:
        from aloft.cli.remote import terminate_remote

        terminate_remote(name, url, project, domain)
        return
    from aloft.runner.durable import open_store
    from aloft.runner.durable import terminate as end

    if end(open_store(db), ExecutionId(name=name)) is None:
        click.echo(f"termination of {name} requested; the process running it stops it")
    else:
        click.echo(f"{name} terminated")
