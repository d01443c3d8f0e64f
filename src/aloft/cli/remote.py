"""Commands that talk to an aloft server: ``register``, ``get``, ``relaunch``, ``recover``,
``signal set``, ``logs``, and what ``run --remote`` and ``terminate --remote`` do."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from aloft.cli.describe import execution_table, format_outputs
from aloft.errors import ExecutionFailedError
from aloft.ir import ExecutionPhase, ResourceType, literal_to_json

F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:  # importing the client loads httpx: only commands that talk to a server do
    from aloft.remote import Remote, RemoteExecution


def server_options(command: F) -> F:
    """``--remote URL``, ``--project`` and ``--domain``, shared by every remote command."""
    command = click.option(
        "--domain", default="development", show_default=True, help="Domain to work in."
    )(command)
    command = click.option(
        "--project", default="default", show_default=True, help="Project to work in."
    )(command)
    return click.option(
        "--remote",
        "url",
        metavar="URL",
        help="The server (default: ALOFT_REMOTE, the config file, http://127.0.0.1:8420).",
    )(command)


def connect(url: str | None, project: str, domain: str) -> Remote:
    """A client of the server at ``url`` (or the configured one)."""
    from aloft.remote import Remote

    return Remote(url, project=project, domain=domain)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--version", default="", help="Version to register under (default: a digest).")
@server_options
def register(
    paths: tuple[str, ...], version: str, url: str | None, project: str, domain: str
) -> None:
    """Register the tasks, workflows and launch plans that PATHS (files or folders) define,
    with the code bundle of their project folder."""
    from aloft.remote.registration import draft_of, entities_in

    _, entities = entities_in(paths)
    with connect(url, project, domain) as remote:
        registered = remote.register(*entities, version=version)
    names = sorted(e.name for e in entities if draft_of(e) is not None)
    click.echo(f"registered {len(names)} entities in {project}/{domain} as version {registered}")
    for name in names:
        click.echo(f"  {name}")


def run_remote(
    url: str | None, project: str, domain: str, entity: Any, values: dict[str, Any], wait: bool
) -> None:
    """``aloft run --remote``: register ``entity`` with its code, launch it on ``values`` and,
    with ``wait``, show its nodes' progress live and print its outputs."""
    with connect(url, project, domain) as remote:
        execution = remote.execute(entity, values)
        click.echo(f"execution {execution.id} on {remote.url}", err=True)
        if not wait:
            _print_next_steps(execution, remote.url)
            return
        execution = watch(remote, execution)
        if execution.phase is not ExecutionPhase.SUCCEEDED:
            raise ExecutionFailedError(remote.with_nodes(execution).error_message())
        text = format_outputs(remote.output_values(execution))
        if text:
            click.echo(text)


def watch(remote: Remote, execution: RemoteExecution) -> RemoteExecution:
    """Show the execution's nodes and their phases live until it ends (plainly when stderr
    is not a terminal); returns it ended."""
    from rich.console import Console
    from rich.live import Live
    from rich.table import Table

    console = Console(stderr=True)

    def table(current: RemoteExecution) -> Table:
        shown = Table(title=f"{current.id} — {current.phase.value}", title_justify="left")
        shown.add_column("node")
        shown.add_column("phase")
        shown.add_column("attempts", justify="right")
        for node in current.nodes[:40]:
            shown.add_row(node.key, node.record.phase.value, str(len(node.attempts)))
        if len(current.nodes) > 40:
            shown.add_row(f"... {len(current.nodes) - 40} more", "", "")
        return shown

    if not console.is_terminal:
        ended = remote.wait(execution)
        return remote.with_nodes(ended)
    with Live(table(execution), console=console, refresh_per_second=8) as live:
        while True:
            current = remote.with_nodes(remote.fetch_execution(execution))
            live.update(table(current))
            if current.is_done:
                return current
            time.sleep(0.2)


def _print_next_steps(execution: RemoteExecution, url: str) -> None:
    name = execution.id.name
    where = f" --remote {url}"
    click.echo(f"  follow it:   aloft get execution {name}{where}")
    click.echo(f"  its nodes:   aloft get execution {name} --nodes{where}")
    click.echo(f"  stop it:     aloft terminate {name}{where}")


@click.group()
def get() -> None:
    """Show what a server holds: executions, workflows, tasks, launch plans."""


@get.command("executions")
@click.option("--phase", type=click.Choice([p.value for p in ExecutionPhase]))
@click.option("--workflow", help="Only executions of this workflow.")
@click.option("--launch-plan", help="Only executions of this launch plan.")
@click.option("--label", "labels", multiple=True, metavar="KEY=VALUE", help="Only with label.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=50, show_default=True)
@server_options
def get_executions(
    phase: str | None,
    workflow: str | None,
    launch_plan: str | None,
    labels: tuple[str, ...],
    limit: int,
    url: str | None,
    project: str,
    domain: str,
) -> None:
    """List executions, newest first."""
    pairs = {}
    for label in labels:
        key, equals, value = label.partition("=")
        if not equals:
            raise click.BadParameter(f"{label!r} is not KEY=VALUE", param_hint="--label")
        pairs[key] = value
    with connect(url, project, domain) as remote:
        found = remote.list_executions(
            phase=phase, workflow=workflow, launch_plan=launch_plan, labels=pairs, limit=limit
        )
    click.echo(execution_table([execution.record for execution in found]))


@get.command("execution")
@click.argument("name")
@click.option("--nodes", is_flag=True, help="Show its nodes and their attempts too.")
@server_options
def get_execution(name: str, nodes: bool, url: str | None, project: str, domain: str) -> None:
    """Show execution NAME: phase, outputs or error (and with --nodes, its nodes)."""
    with connect(url, project, domain) as remote:
        execution = remote.fetch_execution(name)
        if nodes or execution.error:
            execution = remote.with_nodes(execution)
    record = execution.record
    click.echo(f"execution {record.id}: {record.phase.value}")
    click.echo(f"  workflow {execution.workflow.name} version {execution.workflow.version}")
    if record.outputs:
        for output, literal in record.outputs.items():
            click.echo(f"  output {output} = {json.dumps(literal_to_json(literal))}")
    if record.error is not None:
        click.echo(f"  error: {execution.error_message()}")
    for node in execution.nodes if nodes else []:
        tries = f", {len(node.attempts)} attempts" if len(node.attempts) > 1 else ""
        click.echo(f"  node {node.key}: {node.record.phase.value}{tries}")


def _entities_command(kind: ResourceType, title: str) -> click.Command:
    @click.command(title)
    @click.argument("name", required=False)
    @click.argument("version", required=False)
    @server_options
    def show(
        name: str | None, version: str | None, url: str | None, project: str, domain: str
    ) -> None:
        with connect(url, project, domain) as remote:
            found = remote.get(kind, name or "", version or "")
        if version:
            click.echo(json.dumps(found[0], indent=2))
            return
        if not found:
            click.echo(f"no {title}")
        for entity in found:
            id = entity["id"]
            click.echo(f"{id['name']}  {id['version']}  {entity['created_at']}")

    kind_name = kind.value.replace("_", " ")
    show.help = (
        f"List the {title} of a project and domain (the newest version of each), the versions "
        f"of {kind_name} NAME, or one VERSION of it with its IR."
    )
    return show


get.add_command(_entities_command(ResourceType.WORKFLOW, "workflows"))
get.add_command(_entities_command(ResourceType.TASK, "tasks"))
get.add_command(_entities_command(ResourceType.LAUNCH_PLAN, "launch-plans"))


@click.command()
@click.argument("name")
@click.option("--name", "new_name", default="", help="Name of the new execution.")
@server_options
def relaunch(name: str, new_name: str, url: str | None, project: str, domain: str) -> None:
    """Launch again what execution NAME ran, on the same inputs."""
    with connect(url, project, domain) as remote:
        execution = remote.relaunch(name, new_name)
    click.echo(f"execution {execution.id} relaunches {name}")


@click.command()
@click.argument("name")
@click.option("--version", default="", help="Run this version of its workflow (fixed code).")
@click.option("--name", "new_name", default="", help="Name of the new execution.")
@server_options
def recover(
    name: str, version: str, new_name: str, url: str | None, project: str, domain: str
) -> None:
    """Re-run failed execution NAME, reusing the outputs of every node that succeeded."""
    with connect(url, project, domain) as remote:
        execution = remote.recover(name, version, new_name)
    click.echo(f"execution {execution.id} recovers {name}")


@click.group()
def signal() -> None:
    """Give gates their signals on a server."""


@signal.command("set")
@click.argument("execution")
@click.argument("name")
@click.argument("value")
@server_options
def set_signal(
    execution: str, name: str, value: str, url: str | None, project: str, domain: str
) -> None:
    """Give signal NAME of EXECUTION its VALUE (JSON, or plain text for a string; ``true``
    approves)."""
    try:
        parsed: Any = json.loads(value)
    except json.JSONDecodeError:
        parsed = value
    with connect(url, project, domain) as remote:
        remote.set_signal(execution, name, parsed)
    click.echo(f"gave signal {name} to {execution}")


@click.command()
@click.argument("execution")
@click.argument("node")
@click.option("--attempt", type=click.IntRange(0), help="Which attempt (default: the latest).")
@click.option("--tail", type=click.IntRange(1), help="Only the last lines.")
@click.option(
    "--follow", "-f", is_flag=True, help="Print what it prints as it prints it, until it ends."
)
@server_options
def logs(
    execution: str,
    node: str,
    attempt: int | None,
    tail: int | None,
    follow: bool,
    url: str | None,
    project: str,
    domain: str,
) -> None:
    """Print what NODE of EXECUTION printed (its latest attempt; a map node's attempts are
    its batches). With --follow, also while it runs: each attempt in turn, until the node
    ends."""
    with connect(url, project, domain) as remote:
        if not follow:
            click.echo(remote.logs(execution, node, attempt=attempt, tail=tail), nl=False)
            return
        shown = None
        for number, text in remote.follow_logs(execution, node, attempt=attempt, tail=tail):
            if shown is not None and number != shown:
                click.echo(f"aloft: attempt {number} of {node} runs", err=True)
            shown = number
            click.echo(text, nl=False)


def terminate_remote(name: str, url: str | None, project: str, domain: str) -> None:
    """``aloft terminate --remote``: ask the server to stop execution ``name``."""
    with connect(url, project, domain) as remote:
        remote.terminate(name)
    click.echo(f"termination of {name} requested")


@click.group("launchplan")
def launch_plan() -> None:
    """Activate and deactivate launch plans (an active one's schedule fires)."""


@launch_plan.command("activate")
@click.argument("name")
@click.argument("version")
@server_options
def activate(name: str, version: str, url: str | None, project: str, domain: str) -> None:
    """Make VERSION of launch plan NAME the active one: its schedule fires from now on."""
    with connect(url, project, domain) as remote:
        remote.activate(name, version)
    click.echo(f"launch plan {name} version {version} is active")


@launch_plan.command("deactivate")
@click.argument("name")
@click.argument("version")
@server_options
def deactivate(name: str, version: str, url: str | None, project: str, domain: str) -> None:
    """Stop the schedule of launch plan NAME."""
    with connect(url, project, domain) as remote:
        remote.activate(name, version, active=False)
    click.echo(f"launch plan {name} is inactive")
