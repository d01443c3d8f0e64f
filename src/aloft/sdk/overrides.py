"""``with_overrides``: per-node replacements of a task's settings."""

from __future__ import annotations

from typing import Any

import msgspec

from aloft.compiler import TracedNode
from aloft.errors import DecoratorError
from aloft.ir import NodeOverrides
from aloft.sdk.arguments import reject_unknown
from aloft.sdk.image_spec import image_of
from aloft.sdk.resources import Cache, Resources, resource_spec
from aloft.sdk.settings import cache_config_of, interruptible_of, retries_of, timeout_of

# Accepted as in flytekit; recorded where the IR has a place for them, else ignored until
# their feature lands (task_config, aliases, shared_memory, pod_template).
_ACCEPTED_ONLY = ("aliases", "task_config", "shared_memory", "pod_template")
_KNOWN = (
    "node_name",
    "name",
    "retries",
    "timeout",
    "interruptible",
    "requests",
    "limits",
    "resources",
    "cache",
    "cache_version",
    "cache_serialize",
    "container_image",
    "accelerator",
    *_ACCEPTED_ONLY,
)


def apply_overrides(node: TracedNode, overrides: dict[str, Any]) -> None:
    """Record ``overrides`` on ``node``; unknown names are an error with a suggestion."""
    what = f"with_overrides on node {node.id} ({node.name})"
    reject_unknown(what, {k: v for k, v in overrides.items() if k not in _KNOWN}, _KNOWN)
    changes: dict[str, Any] = {}
    for key in ("node_name", "name"):
        if key in overrides:
            if not isinstance(overrides[key], str) or not overrides[key]:
                raise DecoratorError(f"{what}: {key} must be a non-empty string")
            node.name = overrides[key]
    if "retries" in overrides:
        changes["retries"] = retries_of(overrides["retries"], what)
    if "timeout" in overrides:
        changes["timeout"] = timeout_of(overrides["timeout"], what)
    if "interruptible" in overrides:
        changes["interruptible"] = interruptible_of(overrides["interruptible"], what)
    for key in ("requests", "limits"):
        if key in overrides:
            changes[key] = resource_spec(_resources(overrides[key], key, what), what)
    if "resources" in overrides:
        resources = _resources(overrides["resources"], "resources", what)
        changes["requests"] = resource_spec(resources, what)
    if "cache" in overrides or "cache_version" in overrides or "cache_serialize" in overrides:
        cache: bool | Cache = overrides.get("cache", True)
        changes["cache"] = cache_config_of(
            cache,
            overrides.get("cache_version", ""),
            overrides.get("cache_serialize", False),
            (),
            inputs=(),
            function=None,
            what=what,
        )
    if "container_image" in overrides:
        changes["container_image"] = image_of(overrides["container_image"], what)[0]
    if "accelerator" in overrides:
        changes["accelerator"] = str(overrides["accelerator"])
    base = node.overrides or NodeOverrides()
    node.overrides = msgspec.structs.replace(base, **changes)


def _resources(value: Any, key: str, what: str) -> Resources:
    if not isinstance(value, Resources):
        raise DecoratorError(f"{what}: {key} must be Resources(...), got {value!r}")
    return value
