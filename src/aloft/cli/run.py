"""``aloft run [--durable [--name NAME] [--db URL]] [--signal NAME=VALUE] FILE [NAME]
[--input value ...]``, and ``aloft run --remote [URL] [--wait] FILE NAME ...``."""

from __future__ import annotations

import click

from aloft.cli.describe import entity_help, format_outputs, listing
from aloft.cli.inputs import parse_inputs
from aloft.cli.loading import entities_of, find_entity, load_file
from aloft.errors import ExecutionFailedError
from aloft.executors.process import ProcessExecutor
from aloft.runner import LocalExecution, execute
from aloft.runner.signals import give_signals, parse_signal_options
from aloft.sdk.location import project_root
from aloft.storage import worker_count

_HELP = ("-h", "--help")


@click.command(
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "allow_interspersed_args": False,
    },
    add_help_option=False,
)
@click.option("--durable", is_flag=True, help="Store the execution so it survives a crash.")
@click.option("--name", "execution_name", help="Name of a durable execution (default: generated).")
@click.option("--db", help="Database URL of a durable execution (default: the configured one).")
@click.option(
    "--overwrite-cache", is_flag=True, help="Run cached tasks anew and replace what is cached."
)
@click.option(
    "--signal",
    "signals",
    multiple=True,
    metavar="NAME=VALUE",
    help="Give a gate's signal (repeatable); gates not given one ask at the terminal.",
)
@click.option(
    "--remote",
    "remote",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[URL]",
    help="Run on an aloft server: --remote [URL] FILE NAME (default URL: ALOFT_REMOTE, the "
    "config file, http://127.0.0.1:8420); the code is registered on the fly.",
)
@click.option("--wait", is_flag=True, help="With --remote: show progress, print the outputs.")
@click.option("--project", default="default", show_default=True, help="With --remote.")
@click.option("--domain", default="development", show_default=True, help="With --remote.")
@click.argument("file", required=False)
@click.argument("name", required=False)
@click.pass_context
def run(
    ctx: click.Context,
    remote: str | None,
    wait: bool,
    project: str,
    domain: str,
    durable: bool,
    execution_name: str | None,
    db: str | None,
    overwrite_cache: bool,
    signals: tuple[str, ...],
    file: str | None,
    name: str | None,
) -> None:
    """Run task or workflow NAME from FILE, with its inputs as --name value.

    Without NAME, list the tasks and workflows FILE defines. With NAME, --help lists its
    inputs with their types and defaults. Options of `run` itself go before FILE. With
    --durable the execution is stored in the database: if this process dies, `aloft resume
    NAME` continues it. Tasks run on a pool of worker processes (ALOFT_WORKERS).
    """
    args = list(ctx.args)
    url = remote or None
    if url is not None and not url.startswith(("http://", "https://")):  # it was FILE
        if name is not None:
            args.insert(0, name)
        url, file, name = None, url, file
    if remote is not None and durable:
        raise click.UsageError("--remote runs on the server, which is durable: drop --durable")
    if remote is None and (wait or project != "default" or domain != "development"):
        raise click.UsageError("--wait, --project and --domain only apply to --remote runs")
    if file is None or (name is None and any(a in _HELP for a in args)) or file in _HELP:
        click.echo(ctx.get_help())
        return
    if (execution_name or db) and not durable:
        raise click.UsageError("--name and --db only apply to --durable runs")
    module = load_file(file)
    if name is None:
        click.echo(listing(entities_of(module)))
        return
    entity = find_entity(module, file, name)
    if any(a in _HELP for a in args):
        click.echo(entity_help(entity, file, name))
        return
    values = parse_inputs(entity, args)
    if remote is not None:
        from aloft.cli.remote import run_remote

        if signals or overwrite_cache:
            raise click.UsageError("--signal and --overwrite-cache do not apply to --remote runs")
        run_remote(url, project, domain, entity, values, wait)
        return
    given = parse_signal_options(entity.closure, signals)
    if durable:
        from aloft.runner.durable import create_durable, drive, new_name, open_store

        workers = worker_count()  # a bad setting fails here, before anything is stored
        store = open_store(db)
        execution_id = create_durable(
            store,
            entity,
            values,
            execution_name or new_name(entity),
            str(project_root(file)),
            f"{module.__name__}:{name}",
        )
        click.echo(
            f"execution {execution_id.name} (continue it with: aloft resume {execution_id.name})",
            err=True,
        )
        give_signals(store, execution_id, given)
        drive(store, execution_id, workers, overwrite_cache=overwrite_cache)
        execution = LocalExecution.of(entity, store, execution_id)
    else:  # on worker processes, so that no task can end this one
        with ProcessExecutor(worker_count(), echo_output=True) as pool:
            execution = execute(
                entity,
                values,
                overwrite_cache=overwrite_cache,
                signals=given,
                executor=pool,
                code_root=str(project_root(file)),
            )
    print_outcome(execution)


def print_outcome(execution: LocalExecution) -> None:
    """Print where the execution's decks are (on stderr), then its outputs, or raise its
    failure."""
    for node, uri in sorted(execution.decks.items(), key=lambda item: str(item[0])):
        path = uri.removeprefix("file://")
        click.echo(f"deck of node {node}: {path}", err=True)
    if not execution.succeeded:
        raise ExecutionFailedError(execution.error_message())
    text = format_outputs(execution.output_values())
    if text:
        click.echo(text)
