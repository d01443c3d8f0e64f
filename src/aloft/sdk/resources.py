"""Settings objects a task is decorated with: ``Resources``, ``Secret``, ``Cache``,
``PodTemplate``. Each knows its IR form."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any

from aloft.errors import DecoratorError
from aloft.ir import ResourceSpec
from aloft.ir import Secret as SecretSpec
from aloft.ir.quantities import QuantityError, parse_cpu, parse_memory
from aloft.sdk.location import caller_location

Quantity = str | int | float


@dataclass(frozen=True)
class Resources:
    """Compute resources, as requests or limits: ``Resources(cpu="2", mem="4Gi")``."""

    cpu: Quantity | None = None
    mem: Quantity | None = None
    gpu: Quantity | None = None
    ephemeral_storage: Quantity | None = None

    def to_spec(self) -> ResourceSpec:
        """The IR form; quantities become strings, checked as Kubernetes quantities
        (``DecoratorError`` naming the one that is not)."""
        values = {}
        for name in ("cpu", "mem", "gpu", "ephemeral_storage"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, Quantity)):
                raise DecoratorError(
                    f"Resources({name}=...) must be a string or a number, got {value!r}"
                )
            values[name] = None if value is None else str(value)
            if value is not None:
                _check_quantity(name, str(value))
        return ResourceSpec(**values)


def resource_spec(resources: Resources, what: str) -> ResourceSpec:
    """``resources.to_spec()``, a bad quantity named with ``what`` (the task's file:line)."""
    try:
        return resources.to_spec()
    except DecoratorError as exc:
        raise DecoratorError(f"{what}: {exc}") from None


_EXAMPLES = {"cpu": "2, 0.5 or 500m", "gpu": "1 or 2", "mem": "512Mi, 4Gi or 1G"}


def _check_quantity(name: str, text: str) -> None:
    try:
        if name == "cpu":
            parse_cpu(text)
        elif name == "gpu":
            if not text.isdigit():
                raise QuantityError(f"invalid gpu count {text!r}")
        else:
            parse_memory(text)
    except QuantityError as exc:
        examples = _EXAMPLES.get(name, _EXAMPLES["mem"])
        raise DecoratorError(f"Resources({name}={text!r}): {exc} (use {examples})") from None


@dataclass(frozen=True)
class Secret:
    """A secret a task asks for: ``Secret(group="db", key="password")``."""

    class MountType(enum.Enum):
        """How the secret is handed to the task."""

        ANY = "any"
        ENV_VAR = "env_var"
        FILE = "file"

    group: str
    key: str | None = None
    group_version: str | None = None
    mount_requirement: MountType = MountType.ANY
    env_var: str | None = None

    def __post_init__(self) -> None:
        problem = _secret_problem(self)
        if problem:
            raise DecoratorError(f"{caller_location().display}: Secret({problem})")

    def to_spec(self) -> SecretSpec:
        """The IR form."""
        return SecretSpec(
            group=self.group,
            key=self.key or "",
            group_version=self.group_version or "",
            mount_requirement=self.mount_requirement.value,
            env_var=self.env_var or "",
        )


_ENV_VAR_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")


def _secret_problem(secret: Secret) -> str:
    """What is wrong with ``secret`` (``field=value: why``), as flytekit checks it; or ``""``."""
    if not isinstance(secret.group, str) or not secret.group:
        return f"group={secret.group!r}: a secret needs its group (a non-empty string)"
    for name in ("key", "group_version"):
        value = getattr(secret, name)
        if value is not None and not isinstance(value, str):
            return f"{name}={value!r}: must be a string"
    mount: object = secret.mount_requirement
    if not isinstance(mount, Secret.MountType):
        kinds = ", ".join(f"Secret.MountType.{kind.name}" for kind in Secret.MountType)
        return f"mount_requirement={mount!r}: must be one of {kinds}"
    env_var = secret.env_var
    if env_var is not None and not (isinstance(env_var, str) and _ENV_VAR_NAME.fullmatch(env_var)):
        return (
            f"env_var={env_var!r}: not an environment variable name (upper-case letters, "
            "digits and _, not starting with a digit)"
        )
    return ""


@dataclass(frozen=True)
class Cache:
    """Caching settings: ``@task(cache=Cache(version="1", serialize=True))``.

    ``version`` defaults to a digest of the function's source, so editing the body is a miss.
    """

    version: str | None = None
    serialize: bool = False
    ignored_inputs: tuple[str, ...] | str = ()
    salt: str = ""
    policies: Any = None


@dataclass(frozen=True)
class PodTemplate:
    """A Kubernetes pod template; recorded in the IR for the day tasks run in pods."""

    pod_spec: Any = None
    primary_container_name: str = "primary"
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-able form stored in the IR."""
        spec = self.pod_spec
        if spec is not None and not isinstance(spec, dict):
            to_dict = getattr(spec, "to_dict", None)
            spec = to_dict() if callable(to_dict) else repr(spec)
        return {
            "primary_container_name": self.primary_container_name,
            "labels": dict(self.labels or {}),
            "annotations": dict(self.annotations or {}),
            "pod_spec": spec,
        }
