"""``@task``: a Python function as a typed, retryable, cacheable unit of work."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import functools
import inspect
import os
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, overload

from aloft.errors import CompileError, DecoratorError
from aloft.ir import (
    CodeReference,
    Identifier,
    ResourceType,
    TaskMetadata,
    TaskTemplate,
)
from aloft.sdk.arguments import reject_unknown
from aloft.sdk.eager_controller import active_controller
from aloft.sdk.entity import TaskEntity
from aloft.sdk.function_checks import check_is_function, check_task_function
from aloft.sdk.interface import Interface, interface_of, typed_interface
from aloft.sdk.location import caller_location, function_location, module_of
from aloft.sdk.resources import Cache, PodTemplate, Resources, Secret
from aloft.sdk.settings import cache_config_of, interruptible_of, retries_of, timeout_of
from aloft.sdk.task_settings import runtime_settings
from aloft.sdk.tracing import active_builder
from aloft.types.iterators import is_iterator_type

R = TypeVar("R")

TASK_ARGUMENTS = (
    "task_config",
    "cache",
    "cache_serialize",
    "cache_version",
    "cache_ignore_input_vars",
    "retries",
    "interruptible",
    "deprecated",
    "timeout",
    "container_image",
    "environment",
    "requests",
    "limits",
    "secret_requests",
    "execution_mode",
    "node_dependency_hints",
    "task_resolver",
    "docs",
    "disable_deck",
    "enable_deck",
    "deck_fields",
    "pod_template",
    "pod_template_name",
    "accelerator",
    "pickle_untyped",
    "shared_memory",
    "resources",
    "labels",
    "annotations",
)


class PythonFunctionTask(TaskEntity):
    """A task whose body is a Python function. Create it with ``@task``."""

    def __init__(self, task_function: Callable[..., Any], **settings: Any) -> None:
        check_is_function(task_function, "@task")
        self.task_function = task_function
        self.name = f"{module_of(task_function)}.{task_function.__qualname__}"
        where = function_location(task_function)
        what = f"{where}: task {self.name}"
        if "<locals>" in task_function.__qualname__ and not _in_test_module(task_function):
            raise DecoratorError(
                f"{what} is defined inside a function, where no worker can import it; "
                "define it at module level (as flytekit requires; test_*.py modules excepted)"
            )
        self.python_interface = interface_of(task_function, what)
        check_task_function(task_function, what, streams=_streams(self.python_interface))
        self.interface = typed_interface(self.python_interface, what)
        self._template = _template(self, settings, what)

    @property
    def template(self) -> TaskTemplate:
        """The compiled task."""
        return self._template

    @functools.cached_property
    def is_async(self) -> bool:
        """Whether the function is ``async def`` (called in an eager body, it is awaited)."""
        return inspect.iscoroutinefunction(self.task_function)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the task; an ``async def`` one behaves as in flytekit: in an eager body it is
        awaited, anywhere else outside a workflow it gives a coroutine
        (``asyncio.run(t(x=1))``), and a workflow body cannot call it."""
        if not self.is_async or active_controller() is not None:
            return super().__call__(*args, **kwargs)
        if active_builder() is not None:
            raise CompileError(
                f"{caller_location()}: task {self.name} is 'async def', so a workflow cannot "
                "call it; await it in an @eager workflow, or make it a plain 'def'"
            )
        if args:
            kwargs = self._with_positional(args, kwargs)
        from aloft.runner import run_locally  # the SDK's one back-edge, as in Entity

        return asyncio.to_thread(run_locally, self, kwargs)

    def execute(self, **kwargs: Any) -> Any:
        """Run the function on Python values (what a worker does with decoded inputs); an
        ``async def`` function runs to its end on an event loop of its own."""
        if self.is_async:
            return asyncio.run(self.task_function(**kwargs))
        return self.task_function(**kwargs)

    def __repr__(self) -> str:
        return f"<task {self.name}>"


TaskKind = TypeVar("TaskKind", bound=PythonFunctionTask)


def task_decorator(
    kind: type[TaskKind], what: str, function: Callable[..., Any] | None, settings: dict[str, Any]
) -> TaskKind | Callable[[Callable[..., Any]], TaskKind]:
    """What ``@dynamic`` and ``@eager`` share: used bare (``function`` given) or with the
    settings ``@task`` takes, each checked; ``what`` names the decorator in errors."""
    unknown = {key: value for key, value in settings.items() if key not in TASK_ARGUMENTS}
    reject_unknown(what, unknown, TASK_ARGUMENTS)
    given = {key: value for key, value in settings.items() if value is not None}

    def wrap(fn: Callable[..., Any]) -> TaskKind:
        instance = kind(fn, **given)
        functools.update_wrapper(instance, fn)
        return instance

    return wrap(function) if function is not None else wrap


def _streams(interface: Interface) -> bool:
    """Whether the task's one output is an ``Iterator[T]``, which a generator may give."""
    outputs = list(interface.outputs.values())
    return len(outputs) == 1 and is_iterator_type(outputs[0])


def _in_test_module(fn: Callable[..., Any]) -> bool:
    """Whether ``fn`` comes from a ``test_*.py`` file, where flytekit allows nested tasks (they
    run in the test's own process)."""
    code = getattr(fn, "__code__", None)
    return code is not None and os.path.basename(code.co_filename).startswith("test_")


def _template(task: PythonFunctionTask, settings: dict[str, Any], what: str) -> TaskTemplate:
    fn = task.task_function
    cache = cache_config_of(
        settings.get("cache", False),
        settings.get("cache_version", ""),
        settings.get("cache_serialize", False),
        settings.get("cache_ignore_input_vars", ()),
        inputs=task.python_interface.inputs,
        function=fn,
        what=what,
    )
    deprecated = settings.get("deprecated", "")
    if not isinstance(deprecated, str):
        raise DecoratorError(f"{what}: deprecated must be a message string, got {deprecated!r}")
    metadata = TaskMetadata(
        retries=retries_of(settings.get("retries", 0), what),
        timeout=timeout_of(settings.get("timeout"), what),
        cache=cache,
        interruptible=interruptible_of(settings.get("interruptible"), what),
        deprecated=deprecated,
    )
    return TaskTemplate(
        id=Identifier(resource_type=ResourceType.TASK, name=task.name),
        interface=task.interface,
        code=CodeReference(module=module_of(fn), qualname=fn.__qualname__),
        metadata=metadata,
        docs=_docs(settings.get("docs"), fn),
        config=_config(settings),
        **runtime_settings(settings, what),
    )


def _docs(value: Any, fn: Callable[..., Any]) -> str:
    if value is None:
        return (fn.__doc__ or "").strip().split("\n\n")[0]
    short = getattr(value, "short_description", None)
    return str(short if short is not None else value)


def _config(settings: dict[str, Any]) -> dict[str, str]:
    """Plugin-level settings recorded as strings for the features that will read them."""
    config = {}
    task_config = settings.get("task_config")
    if task_config is not None:
        config["task_config_type"] = type(task_config).__qualname__
        if dataclasses.is_dataclass(task_config) and not isinstance(task_config, type):
            for field in dataclasses.fields(task_config):
                config[f"task_config.{field.name}"] = repr(getattr(task_config, field.name))
    if settings.get("pickle_untyped"):
        config["pickle_untyped"] = "true"
    hints = settings.get("node_dependency_hints")
    if hints:
        config["node_dependency_hints"] = ",".join(
            sorted(str(getattr(h, "name", h)) for h in hints)
        )
    return config


@overload
def task(_task_function: Callable[..., R], **settings: Any) -> PythonFunctionTask: ...


@overload
def task(
    _task_function: None = None, **settings: Any
) -> Callable[[Callable[..., R]], PythonFunctionTask]: ...


def task(
    _task_function: Callable[..., Any] | None = None,
    *,
    task_config: Any = None,
    cache: bool | Cache = False,
    cache_serialize: bool = False,
    cache_version: str = "",
    cache_ignore_input_vars: Iterable[str] = (),
    retries: int = 0,
    interruptible: bool | None = None,
    deprecated: str = "",
    timeout: datetime.timedelta | int = 0,
    container_image: Any = None,
    environment: dict[str, str] | None = None,
    requests: Resources | None = None,
    limits: Resources | None = None,
    secret_requests: list[Secret] | None = None,
    execution_mode: Any = None,
    node_dependency_hints: Iterable[Any] | None = None,
    task_resolver: Any = None,
    docs: Any = None,
    disable_deck: bool | None = None,
    enable_deck: bool | None = None,
    deck_fields: Iterable[Any] | None = None,
    pod_template: PodTemplate | None = None,
    pod_template_name: str | None = None,
    accelerator: Any = None,
    pickle_untyped: bool = False,
    shared_memory: bool | str | None = None,
    resources: Resources | None = None,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    **unknown: Any,
) -> PythonFunctionTask | Callable[[Callable[..., Any]], PythonFunctionTask]:
    """Make a function a task, with or without arguments: ``@task`` or ``@task(retries=3)``.

    Takes every argument flytekit's ``@task`` takes. ``retries`` counts retries after the
    first attempt, for ``FlyteRecoverableException`` and timeouts; ``timeout`` (seconds or a
    timedelta) stops an attempt that runs longer; ``cache``/``cache_version`` memoise outputs
    by inputs. Settings whose feature is not built yet are recorded in the task's IR.
    """
    reject_unknown("@task", unknown, TASK_ARGUMENTS)
    settings = {
        key: value for key, value in locals().items() if key in TASK_ARGUMENTS and value is not None
    }

    def wrap(fn: Callable[..., Any]) -> PythonFunctionTask:
        instance = PythonFunctionTask(fn, **settings)
        functools.update_wrapper(instance, fn)
        return instance

    return wrap(_task_function) if _task_function is not None else wrap
