"""Registering entities: giving their IR the registered project, domain, version and code
bundle, and the digests that make registering idempotent.

A client sends each entity as it compiled it (project ``default``, version ``local``, code
naming no bundle) with the digest of the code bundle it uploaded. Here every identifier the
client's code defines (version ``local``) gets the registration's project, domain and
version, and every code reference the bundle; identifiers of reference entities, which name
their own registered versions, are left alone.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import msgspec

from aloft.errors import InputError
from aloft.ir import (
    LOCAL_VERSION,
    REFERENCE_TASK_TYPE,
    CodeReference,
    Identifier,
    LaunchPlanSpec,
    OffloadedValue,
    ResourceType,
    TaskTemplate,
    WorkflowClosure,
    WorkflowTemplate,
    from_json,
    to_json,
)
from aloft.ir.closure_check import closure_problem
from aloft.server.schedules import schedule_problem
from aloft.storage.registry import RegisteredEntity

TEMPLATE_TYPES: dict[ResourceType, type[Any]] = {
    ResourceType.TASK: TaskTemplate,
    ResourceType.WORKFLOW: WorkflowTemplate,
    ResourceType.LAUNCH_PLAN: LaunchPlanSpec,
}
"""The IR type of each kind's own template."""

MAX_DEPTH = 64
"""How deeply the IR of an entity may nest (the compiler's is a dozen levels or so)."""
MAX_NAME = 500
"""The longest name an entity may have (what a launch request may name)."""
_UNFIT_NAME = re.compile(r"[/\x00-\x1f\x7f]")
"""What a name must not hold: a '/' (a URL could not name it) or a control character."""


@dataclass(frozen=True)
class EntityDraft:
    """One entity as a client compiled it: its kind, its own IR and its closure, as the
    builtins their JSON decodes to."""

    resource_type: ResourceType
    template: dict[str, Any]
    closure: dict[str, Any]


@dataclass(frozen=True)
class Draft:
    """One entity of a registration, decoded and checked: its kind, template and closure."""

    resource_type: ResourceType
    template: TaskTemplate | WorkflowTemplate | LaunchPlanSpec
    closure: WorkflowClosure


def check_drafts(drafts: Sequence[EntityDraft]) -> list[Draft]:
    """The drafts decoded; ``InputError`` naming the first whose IR does not decode as its
    kind's, whose closure does not hold together, whose template is not what its closure
    runs, whose schedule cannot fire, or that holds an offloaded literal (a blob of the
    sender's, which the server must not be made to read)."""
    decoded = []
    for index, draft in enumerate(drafts):
        where = f"entities[{index}]"
        for part, value in (("template", draft.template), ("closure", draft.closure)):
            if _depth(value) > MAX_DEPTH:
                raise InputError(f"{where}.{part} is nested deeper than {MAX_DEPTH} levels")
        kind = draft.resource_type
        template = _decode(draft.template, TEMPLATE_TYPES[kind], f"{where}.template")
        closure: WorkflowClosure = _decode(draft.closure, WorkflowClosure, f"{where}.closure")
        problem = closure_problem(closure)
        if problem is not None:
            raise InputError(f"{where}.closure: {problem}")
        if template.id.resource_type is not kind:
            raise InputError(
                f"{where}: its template is a {template.id.resource_type.value}, not a {kind.value}"
            )
        problem = _own_id_problem(template.id)
        if problem is not None:
            raise InputError(f"{where}.template.id: {problem}")
        runs = {
            ResourceType.TASK: template in closure.tasks,
            ResourceType.WORKFLOW: template == closure.workflow,
            ResourceType.LAUNCH_PLAN: getattr(template, "workflow", None) == closure.workflow.id,
        }[kind]
        if not runs:
            raise InputError(f"{where}: its closure does not run its template")
        schedule = getattr(template, "schedule", None)
        problem = schedule_problem(schedule) if schedule is not None else None
        if problem is not None:
            raise InputError(f"{where}.template.schedule: {problem}")
        if any(isinstance(s, OffloadedValue) for s in _structs((template, closure))):
            raise InputError(f"{where} holds an offloaded literal; give values inline")
        decoded.append(Draft(kind, template, closure))
    return decoded


def _own_id_problem(id: Identifier) -> str | None:
    """Why an entity's own id cannot be registered: it must be as the client compiled it
    (version ``local``: the registration gives it its project, domain and version, which
    otherwise it would keep, landing where the registration does not say), and its name
    must be one a URL can hold."""
    if id.version != LOCAL_VERSION:
        return (
            f"version {id.version!r}: an entity is sent as compiled (version "
            f"{LOCAL_VERSION!r}); the registration gives it its version"
        )
    if not id.name or len(id.name) > MAX_NAME or _UNFIT_NAME.search(id.name):
        return (
            f"name {id.name[:80]!r} is not a name: 1 to {MAX_NAME} characters, "
            "without '/' or control characters"
        )
    return None


def default_version(bundle: str, drafts: Sequence[Draft]) -> str:
    """The version a registration gets when none is given: a digest of the code bundle and
    every entity's IR, so the same code and IR always register as the same version."""
    digest = hashlib.sha256(bundle.encode())
    for draft in sorted(drafts, key=lambda d: (d.resource_type.value, d.template.id.name)):
        digest.update(to_json(draft.template))
        digest.update(to_json(draft.closure))
    return digest.hexdigest()[:20]


def stamp(
    drafts: Sequence[Draft], project: str, domain: str, version: str, bundle: str
) -> list[RegisteredEntity]:
    """The registered form of ``drafts``: their IR with the registration's names (see the
    module docstring), each with the digest of its content."""
    registered = []
    for draft in drafts:
        template = _registered(draft.template, project, domain, version, bundle)
        closure = _registered(draft.closure, project, domain, version, bundle)
        template_text, closure_text = to_json(template).decode(), to_json(closure).decode()
        digest = hashlib.sha256(f"{template_text}\n{closure_text}".encode()).hexdigest()
        registered.append(RegisteredEntity(template.id, digest, template_text, closure_text))
    return registered


def has_code(drafts: Sequence[Draft]) -> bool:
    """Whether any task of ``drafts`` has code of its own (and so needs a code bundle)."""
    return any(
        task.type != REFERENCE_TASK_TYPE and task.code.module
        for draft in drafts
        for task in draft.closure.tasks
    )


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and dicts (counted without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                children = item.values() if isinstance(item, dict) else item
                todo.extend((child, depth + 1) for child in children)
    return deepest


def _decode(value: dict[str, Any], type_: type[Any], where: str) -> Any:
    try:
        return from_json(json.dumps(value), type_)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise InputError(f"{where} is not a valid {type_.__name__}: {exc}") from None


def _structs(value: Any) -> Iterator[msgspec.Struct]:
    """Every IR object within ``value``."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, msgspec.Struct):
            yield item
            todo.extend(getattr(item, name) for name in item.__struct_fields__)
        elif isinstance(item, tuple | list):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.values())


_T = TypeVar("_T")


def _registered(value: _T, project: str, domain: str, version: str, bundle: str) -> _T:
    """``value`` with the client's own identifiers and code references registered: by type,
    so that no label or literal that happens to look like one is touched."""
    if isinstance(value, Identifier):
        if value.version != LOCAL_VERSION:  # a reference's: it names its own version
            return value
        return cast(
            _T, msgspec.structs.replace(value, project=project, domain=domain, version=version)
        )
    if isinstance(value, CodeReference):
        if not value.module or value.bundle:
            return value
        return cast(_T, msgspec.structs.replace(value, bundle=bundle))
    if isinstance(value, msgspec.Struct):
        changes = {}
        for name in value.__struct_fields__:
            field = getattr(value, name)
            new = _registered(field, project, domain, version, bundle)
            if new is not field:
                changes[name] = new
        return cast(_T, msgspec.structs.replace(value, **changes)) if changes else value
    if isinstance(value, tuple | list):
        items = [_registered(item, project, domain, version, bundle) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return cast(_T, type(value)(items))
    if isinstance(value, dict):
        entries = {k: _registered(v, project, domain, version, bundle) for k, v in value.items()}
        if all(entries[k] is v for k, v in value.items()):
            return value
        return cast(_T, entries)
    return value
