"""``aloft cache list`` and ``aloft cache clear``: what the catalog holds, and forgetting it."""

from __future__ import annotations

import datetime
import re

import click

_DB_HELP = "Database URL (default: the configured one)."
_AGE = re.compile(r"(\d+)([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@click.group()
def cache() -> None:
    """The cache catalog: outputs of cached tasks, by task and inputs."""


@cache.command("list")
@click.option("--task", "task_name", help="Only the entries of this task (its full name).")
@click.option("--db", help=_DB_HELP)
def list_entries(task_name: str | None, db: str | None) -> None:
    """List cached outputs, newest first."""
    from aloft.runner.durable import open_store

    entries = open_store(db).entries(task_name)
    if not entries:
        click.echo("no cache entries")
        return
    width = max(4, *(len(e.task) for e in entries))
    click.echo(f"{'TASK':<{width}}  {'VERSION':<16}  {'CREATED':<19}  KEY")
    for entry in entries:
        created = entry.created_at.isoformat(timespec="seconds")[:19]
        click.echo(f"{entry.task:<{width}}  {entry.version[:16]:<16}  {created}  {entry.key[:16]}")


@cache.command("clear")
@click.option("--task", "task_name", help="Only the entries of this task (its full name).")
@click.option("--older-than", help="Only entries older than this: 30s, 15m, 12h, 7d, 2w.")
@click.option("--db", help=_DB_HELP)
def clear(task_name: str | None, older_than: str | None, db: str | None) -> None:
    """Forget cached outputs (all of them, unless narrowed), so those tasks run again."""
    from aloft.runner.durable import open_store

    before = None
    if older_than is not None:
        before = datetime.datetime.now(datetime.UTC) - _age(older_than)
    removed = open_store(db).clear(task_name, before)
    click.echo(f"removed {removed} cache {'entry' if removed == 1 else 'entries'}")


def _age(text: str) -> datetime.timedelta:
    match = _AGE.fullmatch(text.strip())
    if match is None:
        raise click.BadParameter(
            f"{text!r} is not an age; give a number and a unit: 30s, 15m, 12h, 7d or 2w",
            param_hint="--older-than",
        )
    return datetime.timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
