"""An execution's inputs, as a request gives them, checked against what it launches.

Inputs come as plain JSON values (what a form or ``curl`` sends), converted by each
input's declared type, or as IR literals (what the Python client sends, converted by the
user's own types), checked to fit it. Launch plan defaults fill what is not given; fixed
inputs cannot be given at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aloft.errors import InputError
from aloft.ir import Literal, TypedInterface, describe, literal_fits, literal_from_json


def resolve_inputs(
    what: str,
    interface: TypedInterface,
    values: Mapping[str, Any],
    literals: Mapping[str, Literal],
    defaults: Mapping[str, Literal] | None = None,
    fixed: Mapping[str, Literal] | None = None,
) -> dict[str, Literal]:
    """The input literals of an execution of ``what``; ``InputError`` names the first input
    that is unknown, given twice, fixed, mistyped or missing."""
    declared = interface.inputs
    fixed = fixed or {}
    for name in [*values, *literals]:
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise InputError(f"{what} has no input {name!r}; its inputs are {known}")
        if name in fixed:
            raise InputError(f"input {name!r} of {what} is fixed by its launch plan")
        if name in values and name in literals:
            raise InputError(f"input {name!r} is given both as a value and as a literal")
    resolved: dict[str, Literal] = {}
    for name, variable in declared.items():
        if name in fixed:
            resolved[name] = fixed[name]
        elif name in values:
            resolved[name] = literal_from_json(values[name], variable.type, f"input {name!r}")
        elif name in literals:
            reason = literal_fits(literals[name], variable.type)
            if reason is not None:
                raise InputError(f"input {name!r}: {reason}")
            resolved[name] = literals[name]
        elif defaults and name in defaults:
            resolved[name] = defaults[name]
        elif variable.default is not None:
            resolved[name] = variable.default
        else:
            raise InputError(f"{what}: missing input {name!r} ({describe(variable.type)})")
    return resolved
