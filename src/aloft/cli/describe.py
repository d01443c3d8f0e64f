"""How the CLI shows entities, their inputs and their outputs."""

from __future__ import annotations

from typing import Any

from aloft.cli.inputs import option_name
from aloft.sdk import Entity, PythonFunctionWorkflow
from aloft.types import python_type_name


def signature(entity: Entity) -> str:
    """``hello_wf(name: str = 'World') -> str``."""
    interface = entity.python_interface
    params = []
    for name, py_type in interface.inputs.items():
        text = f"{name}: {python_type_name(py_type)}"
        if name in interface.defaults:
            text += f" = {interface.defaults[name]!r}"
        params.append(text)
    outputs = [python_type_name(t) for t in interface.outputs.values()]
    result = outputs[0] if len(outputs) == 1 else f"({', '.join(outputs)})" if outputs else "None"
    return f"{entity.short_name}({', '.join(params)}) -> {result}"


def listing(entities: dict[str, Entity]) -> str:
    """What a file defines, workflows first."""
    workflows = [e for e in entities.values() if isinstance(e, PythonFunctionWorkflow)]
    tasks = [e for e in entities.values() if not isinstance(e, PythonFunctionWorkflow)]
    lines = []
    for title, group in (("Workflows", workflows), ("Tasks", tasks)):
        if group:
            lines.append(f"{title}:")
            lines.extend(f"  {signature(e)}" for e in sorted(group, key=lambda e: e.short_name))
    return "\n".join(lines) if lines else "no tasks or workflows defined"


def entity_help(entity: Entity, file: str) -> str:
    """``--help`` for one task or workflow: its inputs with types and defaults."""
    kind = "workflow" if isinstance(entity, PythonFunctionWorkflow) else "task"
    interface = entity.python_interface
    doc = (getattr(entity, "__doc__", None) or "").strip()
    lines = [f"Usage: aloft run {file} {entity.short_name} [INPUTS]", ""]
    lines.append(f"Runs {kind} {entity.name}." + (f"\n\n{doc}" if doc else ""))
    lines += ["", "Inputs:"]
    if not interface.inputs:
        lines.append("  (none)")
    for name, py_type in interface.inputs.items():
        detail = python_type_name(py_type)
        if name in interface.defaults:
            detail += f", default {interface.defaults[name]!r}"
        else:
            detail += ", required"
        lines.append(f"  {option_name(name):<24} {detail}")
    lines += ["", "Outputs:"]
    lines.extend(f"  {name:<24} {python_type_name(t)}" for name, t in interface.outputs.items())
    if not interface.outputs:
        lines.append("  (none)")
    return "\n".join(lines)


def format_value(value: Any) -> str:
    """An output value as printed: strings as they are, anything else as its repr."""
    return value if isinstance(value, str) else repr(value)


def format_outputs(outputs: dict[str, Any]) -> str:
    """Outputs as printed after a run: a single value alone, several as ``name: value``."""
    if not outputs:
        return ""
    if len(outputs) == 1:
        return format_value(next(iter(outputs.values())))
    return "\n".join(f"{name}: {format_value(value)}" for name, value in outputs.items())
