"""Command-line inputs: ``--name value`` pairs parsed by each input's declared type."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from aloft.errors import InputError, TypeTransformerError
from aloft.sdk import Entity
from aloft.sdk.arguments import suggest
from aloft.types import parse_cli_value, python_type_name

_BOOL_WORDS = {"true", "false", "yes", "no", "1", "0", "on", "off"}


def option_name(name: str) -> str:
    """The command-line spelling of input ``name``."""
    return "--" + name.replace("_", "-")


def parse_inputs(entity: Entity, args: list[str]) -> dict[str, Any]:
    """Parse ``args`` (``--x 1 --flag --name=World``) into Python values for ``entity``."""
    types = entity.python_interface.inputs
    by_option = {option_name(name): name for name in types} | {f"--{name}": name for name in types}
    values: dict[str, Any] = {}
    index = 0
    while index < len(args):
        token = args[index]
        index += 1
        if not token.startswith("--"):
            raise InputError(f"unexpected argument {token!r}; inputs are given as --name value")
        option, has_value, text = token.partition("=")
        negated = option.startswith("--no-") and option not in by_option
        name = by_option.get("--" + option[5:] if negated else option)
        if name is None:
            raise InputError(
                f"{entity.short_name} has no input {option}{suggest(option, by_option)}; "
                f"its inputs are {', '.join(option_name(n) for n in types) or 'none'}"
            )
        if name in values:
            raise InputError(f"input {option_name(name)} is given twice")
        py_type = types[name]
        if py_type is bool and not has_value:
            if negated:
                values[name] = False
                continue
            following = args[index] if index < len(args) else "--"
            if following.lower() in _BOOL_WORDS:
                text, index = following, index + 1
            elif not following.startswith("--"):
                raise InputError(
                    f"invalid value for input {option}: expected bool, got {following!r} "
                    "(use true/false, 1/0 or yes/no)"
                )
            else:
                text = "true"
        elif not has_value:
            if index >= len(args):
                raise InputError(f"input {option} ({python_type_name(py_type)}) needs a value")
            text, index = args[index], index + 1
        text = _read_if_named(text, option)
        try:
            values[name] = parse_cli_value(text, py_type)
        except (TypeTransformerError, InputError) as exc:  # a bad value, an unknown store
            raise InputError(f"invalid value for input {option}: {exc}") from None
    return values


def _read_if_named(text: str, option: str) -> str:
    """``text``, or what it names: ``@path`` is the content of a file, ``-`` the standard
    input (for values too large for a command line). ``@@...`` is a literal ``@...``."""
    if text == "-":
        return sys.stdin.read()
    if text.startswith("@@"):
        return text[1:]
    if not text.startswith("@"):
        return text
    path = Path(text[1:])
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"input {option}: cannot read {path}: {reason}") from None
