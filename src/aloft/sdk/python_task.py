"""``PythonTask``: a task type written as a class, as flytekit's plugins and ready-made tasks are.

A subclass passes its task type, a name and an ``Interface`` to ``__init__`` and implements
``execute(**kwargs)``, which a worker calls with the decoded inputs; what it returns is
encoded as the outputs (one value, or a tuple for several). Instances are module-level
objects: a worker finds one by the module it was created in and the variable that holds it,
so the code reference is resolved when the task is first compiled, after the module has
bound its name.

How to add a task type
----------------------
::

    class WaitForFile(PythonTask):
        def __init__(self, name: str, **kwargs):
            super().__init__(task_type="wait-for-file", name=name,
                             interface=Interface(inputs={"path": str}, outputs={"path": str}),
                             **kwargs)

        def execute(self, **kwargs):
            ...

    waiter = WaitForFile(name="waiter", metadata=TaskMetadata(retries=2))
"""

from __future__ import annotations

import functools
import json
import os
import sys
from abc import abstractmethod
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

import msgspec

from aloft.errors import DecoratorError
from aloft.ir import (
    DYNAMIC_TASK_TYPE,
    EAGER_TASK_TYPE,
    REFERENCE_TASK_TYPE,
    CodeReference,
    Identifier,
    ResourceType,
    TaskTemplate,
)
from aloft.sdk.arguments import reject_unknown
from aloft.sdk.entity import TaskEntity
from aloft.sdk.interface import Interface, typed_interface
from aloft.sdk.location import Site, instantiation_site
from aloft.sdk.task_metadata import TaskMetadata
from aloft.sdk.task_settings import runtime_settings

T = TypeVar("T")

SETTINGS = (
    "metadata",
    "task_type_version",
    "security_ctx",
    "docs",
    "container_image",
    "requests",
    "limits",
    "resources",
    "secret_requests",
    "pod_template",
    "pod_template_name",
    "accelerator",
    "shared_memory",
    "labels",
    "annotations",
)
"""The keyword settings a ``PythonTask`` takes besides its own arguments (flytekit's ``Task``
and container-task settings)."""

_RESERVED_TYPES = (DYNAMIC_TASK_TYPE, EAGER_TASK_TYPE, REFERENCE_TASK_TYPE)


class PythonTask(TaskEntity, Generic[T]):
    """A task defined by a class: ``execute(**kwargs)`` runs it on decoded inputs.

    Args:
        task_type: What kind of task this is (recorded in the IR; ``"python-task"`` style).
        name: The task's name, unique in its project.
        task_config: The task type's own configuration object, if it has one.
        interface: The typed inputs and outputs (``Interface(inputs=..., outputs=...)``).
        environment: Environment variables recorded with the task.
        disable_deck: flytekit's switch for decks; recorded.
        enable_deck: flytekit's switch for decks; recorded.
        deck_fields: Which default decks to render; recorded.
        **kwargs: ``metadata=TaskMetadata(...)`` and the settings ``@task`` takes
            (``container_image``, ``requests``, ``limits``, ``secret_requests``, ...).
    """

    def __init__(
        self,
        task_type: str,
        name: str,
        task_config: T | None = None,
        interface: Interface | None = None,
        environment: dict[str, str] | None = None,
        disable_deck: bool | None = None,
        enable_deck: bool | None = None,
        deck_fields: Iterable[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self._site: Site = instantiation_site(self)
        where = self._site.location
        if not isinstance(name, str) or not name.strip():
            raise DecoratorError(f"{where}: a task needs a name (a non-empty string), got {name!r}")
        what = f"{where}: task {name!r}"
        self.what = what
        if not isinstance(task_type, str) or not task_type or task_type in _RESERVED_TYPES:
            raise DecoratorError(
                f"{what}: task_type must be a non-empty string other than "
                f"{', '.join(map(repr, _RESERVED_TYPES))}, got {task_type!r}"
            )
        unknown = {k: v for k, v in kwargs.items() if k not in SETTINGS}
        reject_unknown(f"task {name!r}", unknown, SETTINGS, where)
        if interface is None:
            interface = Interface(inputs={}, defaults={}, outputs={})
        if not isinstance(interface, Interface):
            raise DecoratorError(f"{what}: interface must be an Interface, got {interface!r}")
        metadata = kwargs.get("metadata") or TaskMetadata()
        if not isinstance(metadata, TaskMetadata):
            raise DecoratorError(f"{what}: metadata must be a TaskMetadata, got {metadata!r}")
        self.name = name
        self._task_type = task_type
        self._task_config = task_config
        self.python_interface = interface
        self.interface = typed_interface(interface, what)
        self.metadata = metadata
        self._id = Identifier(resource_type=ResourceType.TASK, name=name)
        self._unbound = self._template_without_code(
            metadata,
            {
                **kwargs,
                "environment": environment,
                "enable_deck": True if metadata.generates_deck else enable_deck,
                "disable_deck": None if metadata.generates_deck else disable_deck,
                "deck_fields": deck_fields,
                "pod_template_name": kwargs.get("pod_template_name") or metadata.pod_template_name,
                "labels": kwargs.get("labels") or metadata.labels,
                "annotations": kwargs.get("annotations") or metadata.annotations,
            },
        )
        self.environment = self._unbound.environment

    @property
    def task_type(self) -> str:
        """The task type recorded in the IR."""
        return self._task_type

    @property
    def task_config(self) -> T | None:
        """The configuration object this task was created with."""
        return self._task_config

    @property
    def module_name(self) -> str:
        """The module the task was created in (its name need not start with it)."""
        return self._site.module

    @abstractmethod
    def execute(self, **kwargs: Any) -> Any:
        """Run the task on decoded input values; return its output (a tuple for several)."""

    def get_custom(self, settings: Any = None) -> dict[str, Any] | None:
        """The task type's own settings, recorded in the IR as JSON (flytekit's hook)."""
        return None

    def get_config(self, settings: Any = None) -> dict[str, str] | None:
        """Extra string settings recorded in the IR's task config (flytekit's hook)."""
        return None

    @functools.cached_property
    def template(self) -> TaskTemplate:
        """The compiled task; its code reference names the variable that holds this task."""
        config = dict(self._unbound.config)
        config.update(self.get_config(None) or {})
        custom = self.get_custom(None)
        if custom is not None:
            config["custom"] = json.dumps(custom, sort_keys=True, default=str)
        return msgspec.structs.replace(self._unbound, code=self._code_reference(), config=config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def _template_without_code(
        self, metadata: TaskMetadata, settings: dict[str, Any]
    ) -> TaskTemplate:
        what = self.what
        docs = settings.get("docs")
        short = getattr(docs, "short_description", None) if docs is not None else None
        config = {}
        if self._task_config is not None:
            config["task_config_type"] = type(self._task_config).__qualname__
        return TaskTemplate(
            id=self._id,
            interface=self.interface,
            code=CodeReference(module=self.module_name, qualname=""),
            type=self._task_type,
            metadata=metadata.to_spec(self.python_interface.inputs, what),
            docs=str(short if short is not None else docs or ""),
            config=config,
            **runtime_settings(settings, what),
        )

    def _code_reference(self) -> CodeReference:
        """The module this task was created in and the module-level name that holds it."""
        module = self.module_name
        for name, value in list(self._site.namespace.items()):
            if value is self:
                return CodeReference(module=module, qualname=name)
        for module_name, loaded in list(sys.modules.items()):
            if loaded is None or module_name.startswith("aloft."):
                continue
            for name, value in list(vars(loaded).items()):
                if value is self:
                    return CodeReference(module=module_name, qualname=name)
        source = self._site.location.source.rsplit(":", 1)[0]
        if os.path.basename(source).startswith("test_"):
            # A task made inside a test function runs in the test's own process, as with
            # @task; a worker that must import it says why it cannot.
            return CodeReference(module=module, qualname=f"<locals>.{self.name}")
        raise DecoratorError(
            f"{self.what} is not held by a module-level variable, where a worker could find "
            "it; assign it at module level (my_task = ...)"
        )


class PythonInstanceTask(PythonTask[T]):
    """flytekit's name for a ``PythonTask`` that is used as an instance (``ShellTask``)."""
