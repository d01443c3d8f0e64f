"""``aloft run FILE [NAME] [--input value ...]``."""

from __future__ import annotations

import click

from aloft.cli.describe import entity_help, format_outputs, listing
from aloft.cli.inputs import parse_inputs
from aloft.cli.loading import entities_of, find_entity, load_file
from aloft.errors import ExecutionFailedError
from aloft.runner import execute

_HELP = ("-h", "--help")


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("file", required=False)
@click.argument("name", required=False)
@click.pass_context
def run(ctx: click.Context, file: str | None, name: str | None) -> None:
    """Run task or workflow NAME from FILE locally, with its inputs as --name value.

    Without NAME, list the tasks and workflows FILE defines. With NAME, --help lists its
    inputs with their types and defaults.
    """
    args = list(ctx.args)
    if file is None or (name is None and any(a in _HELP for a in args)) or file in _HELP:
        click.echo(ctx.get_help())
        return
    module = load_file(file)
    if name is None:
        click.echo(listing(entities_of(module)))
        return
    entity = find_entity(module, file, name)
    if any(a in _HELP for a in args):
        click.echo(entity_help(entity, file))
        return
    values = parse_inputs(entity, args)
    if any(t.metadata.cache.enabled for t in entity.closure.tasks):
        click.echo("note: caching is not active yet; cached tasks run every time", err=True)
    execution = execute(entity, values)
    if not execution.succeeded:
        raise ExecutionFailedError(execution.error_message())
    text = format_outputs(execution.output_values())
    if text:
        click.echo(text)
