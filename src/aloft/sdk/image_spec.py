"""``ImageSpec``: the environment a task asks for (flytekit's ``ImageSpec``).

aloft runs tasks in the worker's own Python environment and builds no images yet: an
``ImageSpec`` given as ``container_image`` is checked when it is made, named (``image_name()``
is ``registry/name:tag`` as in flytekit, the tag a digest of the fields computed aloft's own
way, so it differs from the tag flytekit gives the same spec) and recorded in the task's IR, so
a later builder or a cluster can use it. ``is_container()`` is true, as it is in flytekit
everywhere but inside a container built from another spec: a task's code always runs in the
environment it was written for.
"""

from __future__ import annotations

import copy as copying
import dataclasses
import enum
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aloft.errors import DecoratorError
from aloft.sdk.location import caller_location, find_local_file, instantiation_site

_LIST_FIELDS = (
    "packages",
    "conda_packages",
    "conda_channels",
    "apt_packages",
    "pip_extra_index_url",
    "entrypoint",
    "commands",
    "copy",
    "runtime_packages",
)
_TEXT_FIELDS = (
    "builder",
    "source_root",
    "registry",
    "requirements",
    "cuda",
    "cudnn",
    "platform",
    "pip_index",
    "pip_extra_args",
    "registry_config",
    "tag_format",
    "python_exec",
)
_PYTHON_VERSION = re.compile(r"\d+(\.\d+){0,2}")
_REGISTRY = re.compile(r"[a-z0-9]([a-z0-9._:/-]*[a-z0-9])?")


class ImageSpecError(DecoratorError, ValueError):
    """An ``ImageSpec`` field has a value flytekit would not accept."""


@dataclass
class ImageSpec:
    """The image a task runs in, by what goes into it. See the module's notes."""

    name: str = "flytekit"
    python_version: str | None = None
    builder: str | None = None
    source_root: str | None = None
    env: dict[str, str] | None = None
    registry: str | None = None
    packages: list[str] | None = None
    conda_packages: list[str] | None = None
    conda_channels: list[str] | None = None
    requirements: str | None = None
    apt_packages: list[str] | None = None
    cuda: str | None = None
    cudnn: str | None = None
    base_image: str | ImageSpec | None = None
    platform: str = "linux/amd64"
    pip_index: str | None = None
    pip_extra_index_url: list[str] | None = None
    pip_secret_mounts: list[tuple[str, str]] | None = None
    pip_extra_args: str | None = None
    registry_config: str | None = None
    entrypoint: list[str] | None = None
    commands: list[str] | None = None
    tag_format: str | None = None
    source_copy_mode: Any = None
    copy: list[str] | None = None
    python_exec: str | None = None
    runtime_packages: list[str] | None = None
    builder_options: dict[str, Any] | None = None
    builder_config: dict[str, Any] | None = None
    _is_force_push: bool = field(default=False, repr=False)
    _requirements_file: str | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problem = _problem(self)
        if problem:
            raise ImageSpecError(f"{caller_location().display}: ImageSpec({problem})")
        self.name = self.name.lower()
        if self.registry:
            self.registry = self.registry.lower()
        if self.requirements is not None:
            self._requirements_file = self._find_requirements(self.requirements)

    def _find_requirements(self, requirements: str) -> str:
        """The requirements file, found as a task's script is: from the working directory,
        next to the module that made this spec or in its project folder (where a worker that
        imports the module from a code bundle finds it)."""
        site = instantiation_site(self)
        found = find_local_file(requirements, site)
        if found is None:
            raise ImageSpecError(
                f"{site.location.display}: ImageSpec(requirements={requirements!r}: no such "
                "file in the working directory, next to the module or in its project folder)"
            )
        return str(found)

    @property
    def tag(self) -> str:
        """A digest of what goes into the image (with the requirements file's content), in
        ``tag_format`` if given (``"{spec_hash}-dev"``)."""
        fields = self.to_dict()
        fields.pop("registry_config", None)  # where to log in does not change the image
        if self._requirements_file:
            content = Path(self._requirements_file).read_bytes()
            fields["requirements"] = hashlib.sha256(content).hexdigest()
        spec_hash = _digest(fields)
        return self.tag_format.format(spec_hash=spec_hash) if self.tag_format else spec_hash

    @property
    def id(self) -> str:
        """A digest of the whole spec, telling two specs apart."""
        return _digest(self.to_dict())

    def image_name(self) -> str:
        """The full image name with its tag: ``registry/name:tag``."""
        name = f"{self.name}:{self.tag}"
        return f"{self.registry}/{name}" if self.registry else name

    def is_container(self) -> bool:
        """Whether the code runs in the image this spec describes: true, as in flytekit outside
        a container (aloft runs tasks in the environment they were written in)."""
        return True

    def with_packages(self, packages: str | list[str]) -> ImageSpec:
        """A new spec with ``packages`` added to the Python packages."""
        return self._with("packages", packages)

    def with_apt_packages(self, apt_packages: str | list[str]) -> ImageSpec:
        """A new spec with ``apt_packages`` added."""
        return self._with("apt_packages", apt_packages)

    def with_commands(self, commands: str | list[str]) -> ImageSpec:
        """A new spec with build ``commands`` added."""
        return self._with("commands", commands)

    def with_copy(self, src: str | list[str]) -> ImageSpec:
        """A new spec with files to copy into the image added."""
        return self._with("copy", src)

    def with_runtime_packages(self, runtime_packages: list[str]) -> ImageSpec:
        """A new spec with packages installed when the task starts added."""
        return self._with("runtime_packages", runtime_packages)

    def with_builder_options(self, builder_options: dict[str, Any]) -> ImageSpec:
        """A new spec with ``builder_options`` added."""
        spec = copying.deepcopy(self)
        spec.builder_options = {**(spec.builder_options or {}), **builder_options}
        return spec

    def force_push(self) -> ImageSpec:
        """A new spec that a builder pushes even if the image exists."""
        spec = copying.deepcopy(self)
        spec._is_force_push = True
        return spec

    @classmethod
    def from_env(cls, *, pinned_packages: list[str] | None = None, **kwargs: Any) -> ImageSpec:
        """A spec with this interpreter's Python version and ``pinned_packages`` at the
        versions installed here."""
        from importlib import metadata  # slow to import (about 10 ms): only this needs it

        pinned = []
        for package in pinned_packages or []:
            try:
                pinned.append(f"{package}=={metadata.version(package)}")
            except metadata.PackageNotFoundError:
                where = caller_location().display
                raise ImageSpecError(
                    f"{where}: ImageSpec.from_env: package {package!r} is not installed"
                ) from None
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        packages = [*pinned, *(kwargs.pop("packages", None) or [])]
        python_version = kwargs.pop("python_version", version)
        return cls(python_version=python_version, packages=packages, **kwargs)

    def to_dict(self) -> dict[str, Any]:
        """The fields that are set, as JSON values (how the task's IR records the spec)."""
        recorded: dict[str, Any] = {}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if value is None or item.name.startswith("_"):
                continue
            if isinstance(value, ImageSpec):
                value = value.to_dict()
            elif isinstance(value, enum.Enum):
                value = str(value.name)
            elif item.name == "pip_secret_mounts":
                value = [list(pair) for pair in value]
            recorded[item.name] = value
        return recorded

    def _with(self, name: str, more: str | list[str]) -> ImageSpec:
        added = [more] if isinstance(more, str) else list(more)
        if not all(isinstance(item, str) for item in added):
            where = caller_location().display
            raise ImageSpecError(f"{where}: {name} must be strings, got {more!r}")
        spec = copying.deepcopy(self)
        setattr(spec, name, [*(getattr(spec, name) or []), *added])
        return spec


def _problem(spec: Any) -> str:
    """What is wrong with ``spec``, an ``ImageSpec`` whose fields are not checked yet
    (``field=value: why``), or an empty string."""
    if not isinstance(spec.name, str) or not spec.name.strip():
        return f"name={spec.name!r}: the image needs a name"
    for name in _LIST_FIELDS:
        value = getattr(spec, name)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)
        ):
            return f"{name}={value!r}: must be a list of strings"
    for name in _TEXT_FIELDS:
        value = getattr(spec, name)
        if value is not None and not isinstance(value, str):
            return f"{name}={value!r}: must be a string"
    if spec.python_version is not None and not (
        isinstance(spec.python_version, str) and _PYTHON_VERSION.fullmatch(spec.python_version)
    ):
        return f"python_version={spec.python_version!r}: must be a version such as '3.11'"
    if spec.env is not None and (
        not isinstance(spec.env, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in spec.env.items())
    ):
        return f"env={spec.env!r}: must be a dict of strings to strings"
    if spec.base_image is not None and not isinstance(spec.base_image, str | ImageSpec):
        return f"base_image={spec.base_image!r}: must be an image name or an ImageSpec"
    if spec.registry is not None and not _REGISTRY.fullmatch(spec.registry.lower()):
        return f"registry={spec.registry!r}: not a container registry name"
    if spec.tag_format is not None and "{spec_hash}" not in spec.tag_format:
        return f"tag_format={spec.tag_format!r}: must contain {{spec_hash}}"
    for name in ("builder_options", "builder_config"):
        value = getattr(spec, name)
        if value is not None and not isinstance(value, dict):
            return f"{name}={value!r}: must be a dict"
    mounts = spec.pip_secret_mounts
    if mounts is not None and not all(
        isinstance(m, tuple | list) and len(m) == 2 and all(isinstance(p, str) for p in m)
        for m in mounts
    ):
        return f"pip_secret_mounts={mounts!r}: must be a list of (source, target) pairs"
    return ""


def image_of(value: Any, what: str) -> tuple[str, dict[str, Any] | None]:
    """A ``container_image`` setting as the IR records it: the image name, and for an
    ``ImageSpec`` its fields. ``DecoratorError`` naming ``what`` for anything else."""
    if value is None:
        return "", None
    if isinstance(value, ImageSpec):
        return value.image_name(), value.to_dict()
    if not isinstance(value, str):
        raise DecoratorError(
            f"{what}: container_image must be an image name or an ImageSpec, got {value!r}"
        )
    return value, None


def _digest(fields: dict[str, Any]) -> str:
    """A short digest of a spec's fields (values that are not JSON, such as paths, as text)."""
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:22]
