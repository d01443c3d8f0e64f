"""Task templates: everything needed to run one task, with no Python objects in it."""

from __future__ import annotations

import datetime
from typing import Any

import msgspec

from aloft.ir.base import IRModel
from aloft.ir.identifiers import Identifier
from aloft.ir.interface import TypedInterface


class ResourceSpec(IRModel, frozen=True):
    """Compute resources, in Kubernetes quantity notation (``"2"``, ``"500m"``, ``"4Gi"``)."""

    cpu: str | None = None
    mem: str | None = None
    gpu: str | None = None
    ephemeral_storage: str | None = None


class CacheConfig(IRModel, frozen=True):
    """Whether and how a task's outputs are memoised by its inputs."""

    enabled: bool = False
    version: str = ""
    serialize: bool = False
    ignored_inputs: tuple[str, ...] = ()


class TaskMetadata(IRModel, frozen=True):
    """Runtime policy of a task: retries, timeout, caching, interruptibility."""

    retries: int = 0
    timeout: datetime.timedelta | None = None
    cache: CacheConfig = msgspec.field(default_factory=CacheConfig)
    interruptible: bool | None = None
    deprecated: str = ""


class CodeReference(IRModel, frozen=True):
    """Where a worker finds the task's code: a module relative to the project root.

    ``bundle`` is the digest of the registered code bundle; empty for local runs, which
    import from the project folder.
    """

    module: str
    qualname: str
    bundle: str = ""


class Secret(IRModel, frozen=True):
    """A secret the task asks for at run time."""

    group: str
    key: str = ""
    group_version: str = ""
    mount_requirement: str = "any"
    env_var: str = ""


DYNAMIC_TASK_TYPE = "dynamic-task"
"""The ``type`` of a ``@dynamic`` task's template: its attempt builds a workflow, which the
engine then runs as the node's children."""

REFERENCE_TASK_TYPE = "reference"
"""The type of a task known only by its registered id and declared interface
(``reference_task``): only a server that has it registered can run it."""

EAGER_TASK_TYPE = "eager"
"""The task type of an ``@eager`` workflow: its body runs in rounds, each ending with the
calls it waits for (the engine runs them as children) or with its outputs."""


class TaskTemplate(IRModel, frozen=True):
    """A compiled task. Settings whose feature is not built yet are still recorded here.

    ``container_image`` names the image the task asks for; when it was given as an
    ``ImageSpec``, ``image_spec`` holds the spec's fields (what a builder would need).
    """

    id: Identifier
    interface: TypedInterface
    code: CodeReference
    type: str = "python-task"
    metadata: TaskMetadata = msgspec.field(default_factory=TaskMetadata)
    requests: ResourceSpec = msgspec.field(default_factory=ResourceSpec)
    limits: ResourceSpec = msgspec.field(default_factory=ResourceSpec)
    container_image: str = ""
    image_spec: dict[str, Any] | None = None
    environment: dict[str, str] = msgspec.field(default_factory=dict)
    secret_requests: tuple[Secret, ...] = ()
    enable_deck: bool = False
    deck_fields: tuple[str, ...] = ()
    pod_template_name: str = ""
    pod_template: dict[str, Any] | None = None
    accelerator: str = ""
    shared_memory: str = ""
    labels: dict[str, str] = msgspec.field(default_factory=dict)
    annotations: dict[str, str] = msgspec.field(default_factory=dict)
    docs: str = ""
    config: dict[str, str] = msgspec.field(default_factory=dict)
