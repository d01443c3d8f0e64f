"""The settings every kind of task takes alike, checked and turned into ``TaskTemplate`` fields.

``@task`` (and ``@dynamic``, ``@eager``) and class-based tasks (``PythonTask`` and the
ready-made task types) accept the same keyword settings for where and how a task runs:
resources, image, environment, secrets, decks, pod settings, accelerator, labels. One
function reads them all, so a setting means the same, and is refused with the same message,
whichever way the task was written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aloft.errors import DecoratorError
from aloft.ir import ResourceSpec
from aloft.ir import Secret as SecretSpec
from aloft.sdk.deck import deck_settings
from aloft.sdk.image_spec import image_of
from aloft.sdk.resources import PodTemplate, Resources, Secret, resource_spec


def runtime_settings(settings: Mapping[str, Any], what: str) -> dict[str, Any]:
    """The ``TaskTemplate`` fields that ``settings`` (a task's keyword arguments) give.

    Raises:
        DecoratorError: a setting of the wrong kind, naming ``what`` (the task's file:line).
    """
    enable_deck, deck_fields = deck_settings(
        settings.get("enable_deck"), settings.get("disable_deck"), settings.get("deck_fields"), what
    )
    pod_template = settings.get("pod_template")
    if pod_template is not None and not isinstance(pod_template, PodTemplate):
        raise DecoratorError(f"{what}: pod_template must be a PodTemplate, got {pod_template!r}")
    container_image, image_spec = image_of(settings.get("container_image"), what)
    return {
        "requests": _resources(settings.get("requests") or settings.get("resources"), what),
        "limits": _resources(settings.get("limits"), what),
        "container_image": container_image,
        "image_spec": image_spec,
        "environment": _string_map(settings.get("environment"), "environment", what),
        "secret_requests": _secret_requests(settings.get("secret_requests"), what),
        "enable_deck": enable_deck,
        "deck_fields": deck_fields,
        "pod_template_name": _text(settings.get("pod_template_name"), "pod_template_name", what),
        "pod_template": pod_template.to_dict() if pod_template else None,
        "accelerator": _accelerator(settings.get("accelerator")),
        "shared_memory": _shared_memory(settings.get("shared_memory")),
        "labels": _string_map(settings.get("labels"), "labels", what),
        "annotations": _string_map(settings.get("annotations"), "annotations", what),
    }


def _resources(value: Any, what: str) -> ResourceSpec:
    if value is None:
        return ResourceSpec()
    if not isinstance(value, Resources):
        raise DecoratorError(f"{what}: expected Resources(...), got {value!r}")
    return resource_spec(value, what)


def _text(value: Any, name: str, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DecoratorError(f"{what}: {name} must be a string, got {value!r}")
    return value


def _string_map(value: Any, name: str, what: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise DecoratorError(f"{what}: {name} must be a dict of strings to strings, got {value!r}")
    return dict(value)


def _secret_requests(value: Any, what: str) -> tuple[SecretSpec, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(s, Secret) for s in value):
        raise DecoratorError(
            f"{what}: secret_requests must be a list of Secret(...) objects, got {value!r}"
        )
    return tuple(secret.to_spec() for secret in value)


def _accelerator(value: Any) -> str:
    if value is None:
        return ""
    return str(getattr(value, "device", None) or getattr(value, "_device", None) or value)


def _shared_memory(value: Any) -> str:
    if value is None or value is False:
        return ""
    return "true" if value is True else str(value)
