"""``aloft ir``: the IR's JSON Schema and the compiled IR of an entity."""

from __future__ import annotations

import json
import os

import click

from aloft.cli.loading import find_entity, load_file
from aloft.ir import DOCUMENT_TYPES, json_schema, to_json


@click.group()
def ir() -> None:
    """Inspect the intermediate representation."""


@ir.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here.")
def schema(output: str | None) -> None:
    """Write the JSON Schema of IR documents (stdout by default)."""
    text = json.dumps(json_schema(*DOCUMENT_TYPES), indent=2, sort_keys=True) + "\n"
    _write(text, output)


@ir.command()
@click.argument("file")
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here.")
def compile(file: str, name: str, output: str | None) -> None:
    """Print the compiled IR (a workflow closure, as JSON) of task or workflow NAME in FILE."""
    entity = find_entity(load_file(file), file, name)
    _write(to_json(entity.closure).decode() + "\n", output)


def _write(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    tmp = f"{output}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, output)
