"""How the CLI shows entities, their inputs and their outputs, and executions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aloft.cli.inputs import option_name
from aloft.ir import ExecutionRecord
from aloft.sdk import Entity, PythonFunctionWorkflow
from aloft.sdk.imperative import Workflow
from aloft.sdk.launch_plan import LaunchPlan
from aloft.types import python_type_name


def signature(entity: Entity, shown: str | None = None) -> str:
    """``hello_wf(name: str = 'World') -> str`` (named ``shown``, or by its own name)."""
    interface = entity.python_interface
    params = []
    for name, py_type in interface.inputs.items():
        text = f"{name}: {python_type_name(py_type)}"
        if name in interface.defaults:
            text += f" = {interface.defaults[name]!r}"
        params.append(text)
    outputs = [python_type_name(t) for t in interface.outputs.values()]
    result = outputs[0] if len(outputs) == 1 else f"({', '.join(outputs)})" if outputs else "None"
    return f"{shown or entity.short_name}({', '.join(params)}) -> {result}"


def kind_of(entity: Entity) -> str:
    """``workflow``, ``launch plan`` or ``task``."""
    if isinstance(entity, PythonFunctionWorkflow | Workflow):
        return "workflow"
    return "launch plan" if isinstance(entity, LaunchPlan) else "task"


def listing(entities: dict[str, Entity]) -> str:
    """What a file defines, by the names to run them with: workflows, launch plans, tasks."""
    lines = []
    for kind, title in (
        ("workflow", "Workflows"),
        ("launch plan", "Launch plans"),
        ("task", "Tasks"),
    ):
        group = sorted((n, e) for n, e in entities.items() if kind_of(e) == kind)
        if group:
            lines.append(f"{title}:")
            lines.extend(f"  {signature(entity, name)}" for name, entity in group)
    return "\n".join(lines) if lines else "no tasks or workflows defined"


def entity_help(entity: Entity, file: str, name: str) -> str:
    """``--help`` for one entity, run as ``name``: its inputs with types and defaults."""
    interface = entity.python_interface
    doc = "" if isinstance(entity, LaunchPlan) else (getattr(entity, "__doc__", None) or "")
    of = f" of workflow {entity.workflow.name}" if isinstance(entity, LaunchPlan) else ""
    lines = [f"Usage: aloft run {file} {name} [INPUTS]", ""]
    lines.append(
        f"Runs {kind_of(entity)} {entity.name}{of}." + (f"\n\n{doc.strip()}" if doc else "")
    )
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


def execution_table(records: Sequence[ExecutionRecord]) -> str:
    """Executions as a table of name, phase and creation time (``no executions`` if none)."""
    if not records:
        return "no executions"
    width = max(4, *(len(r.id.name) for r in records))
    lines = [f"{'NAME':<{width}}  {'PHASE':<9}  CREATED"]
    for record in records:
        created = record.created_at.isoformat(timespec="seconds") if record.created_at else ""
        lines.append(f"{record.id.name:<{width}}  {record.phase.value:<9}  {created}")
    return "\n".join(lines)
