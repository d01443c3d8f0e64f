"""The ``aloft`` command."""

from __future__ import annotations

import sys

import click

from aloft import __version__
from aloft.cli.cache import cache
from aloft.cli.executions import executions, resume, terminate
from aloft.cli.ir import ir
from aloft.cli.remote import (
    get,
    launch_plan,
    logs,
    recover,
    register,
    relaunch,
    signal,
)
from aloft.cli.run import run
from aloft.cli.serve import serve
from aloft.errors import AloftError, ExecutionFailedError, UserError

EXIT_FAILED = 1
"""An execution ran and failed."""
EXIT_USAGE = 2
"""The command could not start: bad arguments, inputs or code."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aloft")
def cli() -> None:
    """aloft: typed, cached, reproducible pipelines with flytekit's API."""


cli.add_command(run)
cli.add_command(ir)
cli.add_command(executions)
cli.add_command(resume)
cli.add_command(terminate)
cli.add_command(cache)
cli.add_command(serve)
for command in (register, get, relaunch, recover, signal, logs, launch_plan):
    cli.add_command(command)


MAX_ERROR = 2000
"""Characters of an error message printed; a longer one (a task's exception may carry
megabytes) is cut, and stays whole in the execution's record."""


def shortened(message: str) -> str:
    """``message``, cut to ``MAX_ERROR`` characters with a note saying how much was left."""
    if len(message) <= MAX_ERROR:
        return message
    left = len(message) - MAX_ERROR
    return f"{message[:MAX_ERROR]} [... {left:,} more characters, kept in the execution's record]"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; errors are one line on stderr and a non-zero exit code."""
    try:
        cli.main(args=argv, prog_name="aloft", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.Abort:
        click.echo("aborted", err=True)
        return EXIT_FAILED
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return EXIT_USAGE
    except ExecutionFailedError as exc:
        click.echo(f"error: {shortened(str(exc))}", err=True)
        return EXIT_FAILED
    except UserError as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    except AloftError as exc:  # the platform failed: say so in one line, not a traceback
        click.echo(f"error: {exc}", err=True)
        return EXIT_FAILED
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
