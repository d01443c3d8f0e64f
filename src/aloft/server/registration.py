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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from aloft.errors import InputError
from aloft.ir import (
    LOCAL_VERSION,
    Identifier,
    LaunchPlanSpec,
    ResourceType,
    TaskTemplate,
    WorkflowClosure,
    WorkflowTemplate,
    from_json,
)
from aloft.ir.closure_check import closure_problem
from aloft.storage.registry import RegisteredEntity

TEMPLATE_TYPES: dict[ResourceType, type[Any]] = {
    ResourceType.TASK: TaskTemplate,
    ResourceType.WORKFLOW: WorkflowTemplate,
    ResourceType.LAUNCH_PLAN: LaunchPlanSpec,
}
"""The IR type of each kind's own template."""

MAX_DEPTH = 64
"""How deeply the IR of an entity may nest (the compiler's is a dozen levels or so)."""
_ID_FIELDS = frozenset({"resource_type", "name"})
"""The fields an identifier always has in JSON (the others are left out at their defaults)."""


@dataclass(frozen=True)
class EntityDraft:
    """One entity as a client compiled it: its kind, its own IR and its closure, as the
    builtins their JSON decodes to."""

    resource_type: ResourceType
    template: dict[str, Any]
    closure: dict[str, Any]


def check_drafts(drafts: Sequence[EntityDraft]) -> None:
    """``InputError`` naming the first draft whose IR does not decode as its kind's, whose
    closure does not hold together, or whose template is not what its closure runs."""
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
        runs = {
            ResourceType.TASK: template in closure.tasks,
            ResourceType.WORKFLOW: template == closure.workflow,
            ResourceType.LAUNCH_PLAN: getattr(template, "workflow", None) == closure.workflow.id,
        }[kind]
        if not runs:
            raise InputError(f"{where}: its closure does not run its template")


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


def default_version(bundle: str, drafts: Sequence[EntityDraft]) -> str:
    """The version a registration gets when none is given: a digest of the code bundle and
    every entity's IR, so the same code and IR always register as the same version."""
    digest = hashlib.sha256(bundle.encode())
    for draft in sorted(drafts, key=_sort_key):
        digest.update(_canonical({"template": draft.template, "closure": draft.closure}))
    return digest.hexdigest()[:20]


def stamp(
    drafts: Sequence[EntityDraft], project: str, domain: str, version: str, bundle: str
) -> list[RegisteredEntity]:
    """The registered form of ``drafts`` (checked with ``check_drafts`` first): their IR
    with the registration's names, each with the digest of its content."""
    registered = []
    for index, draft in enumerate(drafts):
        template = _stamped(draft.template, project, domain, version, bundle)
        closure = _stamped(draft.closure, project, domain, version, bundle)
        where = f"entities[{index}]"
        id = _id_of(_decode(template, TEMPLATE_TYPES[draft.resource_type], f"{where}.template"))
        template_text = _canonical(template).decode()
        closure_text = _canonical(closure).decode()
        digest = hashlib.sha256(f"{template_text}\n{closure_text}".encode()).hexdigest()
        registered.append(RegisteredEntity(id, digest, template_text, closure_text))
    return registered


def bundles_named(drafts: Sequence[EntityDraft]) -> bool:
    """Whether any task of ``drafts`` has code of its own (and so needs a code bundle)."""
    return any(
        task.get("type") != "reference" and task.get("code", {}).get("module")
        for draft in drafts
        for task in draft.closure.get("tasks", ())
    )


def _id_of(template: TaskTemplate | WorkflowTemplate | LaunchPlanSpec) -> Identifier:
    return template.id


def _sort_key(draft: EntityDraft) -> tuple[str, str]:
    return draft.resource_type.value, str(draft.template.get("id", {}).get("name", ""))


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _decode(value: dict[str, Any], type_: type[Any], where: str) -> Any:
    try:
        return from_json(_canonical(value), type_)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise InputError(f"{where} is not a valid {type_.__name__}: {exc}") from None


def _stamped(value: Any, project: str, domain: str, version: str, bundle: str) -> Any:
    """``value`` with the client's own identifiers and code references registered."""
    if isinstance(value, list):
        return [_stamped(item, project, domain, version, bundle) for item in value]
    if not isinstance(value, dict):
        return value
    stamped = {k: _stamped(v, project, domain, version, bundle) for k, v in value.items()}
    if stamped.keys() >= _ID_FIELDS and stamped.get("version", LOCAL_VERSION) == LOCAL_VERSION:
        stamped.update(project=project, domain=domain, version=version)
    elif {"module", "qualname"} <= stamped.keys() and not stamped.get("bundle"):
        stamped["bundle"] = bundle
    return stamped
