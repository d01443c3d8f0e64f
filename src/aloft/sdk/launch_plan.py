"""Launch plans: a workflow with some inputs defaulted or fixed, and how it is started.

``LaunchPlan.get_or_create(wf)`` is the workflow's default plan; a named one can default or
fix inputs, carry a schedule, notifications, labels, annotations, a parallelism cap and a
security context. Calling a plan inside a workflow starts a child execution linked to the
calling node; calling it anywhere else runs it here as its own execution.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import msgspec

from aloft.compiler import LaunchPlanCall, NodeRunnable
from aloft.errors import DecoratorError, TypeTransformerError
from aloft.ir import (
    Identifier,
    LaunchPlanSpec,
    Literal,
    Notification,
    ResourceType,
    Schedule,
    SecurityContextSpec,
    SimpleKind,
    SimpleType,
    WorkflowClosure,
)
from aloft.sdk.entity import Entity
from aloft.sdk.interface import Interface, typed_interface
from aloft.sdk.location import caller_location, caller_module
from aloft.sdk.notifications import notification_spec
from aloft.sdk.resources import Secret
from aloft.sdk.schedules import CronSchedule, FixedRate, schedule_spec
from aloft.types import literal_type_of, to_literal
from aloft.types.hash_method import declaring


class Identity:
    """Who executions run as: an IAM role or a Kubernetes service account."""

    def __init__(self, iam_role: str | None = None, k8s_service_account: str | None = None) -> None:
        self.iam_role = iam_role or ""
        self.k8s_service_account = k8s_service_account or ""


class SecurityContext:
    """The identity executions run as and the secrets they may read."""

    def __init__(
        self,
        run_as: Identity | None = None,
        secrets: Iterable[Secret] | None = None,
        tokens: Any = None,
    ) -> None:
        self.run_as = run_as
        self.secrets = list(secrets or [])
        self.tokens = tokens

    def to_spec(self) -> SecurityContextSpec:
        """The IR form."""
        run_as = self.run_as or Identity()
        for secret in self.secrets:
            if not isinstance(secret, Secret):
                raise DecoratorError(
                    f"SecurityContext secrets must be Secret objects, not {secret!r}"
                )
        return SecurityContextSpec(
            iam_role=run_as.iam_role,
            service_account=run_as.k8s_service_account,
            secrets=tuple((s.group, s.key or "") for s in self.secrets),
        )


class Labels:
    """Labels given to a launch plan's executions (``Labels({"team": "ml"})``)."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)


class Annotations:
    """Annotations given to a launch plan's executions."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)


class LaunchPlan(Entity):
    """A named way to launch a workflow. Create one with ``get_or_create`` or ``create``."""

    CACHE: ClassVar[dict[str, LaunchPlan]] = {}
    """Every launch plan created in this process, by name."""

    def __init__(
        self,
        spec: LaunchPlanSpec,
        workflow: Entity,
        python_interface: Interface,
        module: str,
    ) -> None:
        self.spec = spec
        self.workflow = workflow
        self.name = spec.id.name
        self.python_interface = python_interface
        self.interface = typed_interface(python_interface, f"launch plan {self.name}")
        self._module = module
        closure = workflow.closure
        self._closure = msgspec.structs.replace(
            closure, launch_plans=tuple({p.id: p for p in (*closure.launch_plans, spec)}.values())
        )

    @classmethod
    def get_or_create(
        cls, workflow: Entity, name: str | None = None, **settings: Any
    ) -> LaunchPlan:
        """The launch plan ``name`` of ``workflow``, created if this process has none by that
        name; without ``name``, the workflow's default plan (which takes no settings). A name
        already used with other settings is an error."""
        if name is None:
            if any(value is not None and value != {} for value in settings.values()):
                raise DecoratorError(
                    f"{caller_location()}: LaunchPlan.get_or_create({workflow.name}): a launch "
                    "plan with settings needs a name of its own"
                )
            name = workflow.name
        return cls.create(name, workflow, **settings)

    @classmethod
    def create(
        cls,
        name: str,
        workflow: Entity,
        default_inputs: Mapping[str, Any] | None = None,
        fixed_inputs: Mapping[str, Any] | None = None,
        schedule: CronSchedule | FixedRate | None = None,
        notifications: Iterable[Any] | None = None,
        labels: Labels | Mapping[str, str] | None = None,
        annotations: Annotations | Mapping[str, str] | None = None,
        max_parallelism: int | None = None,
        security_context: SecurityContext | None = None,
        overwrite_cache: bool | None = None,
        auto_activate: bool = False,
    ) -> LaunchPlan:
        """A launch plan named ``name`` of ``workflow`` (see the class docstring)."""
        location = caller_location()
        what = f"{location}: launch plan {name!r}"
        if not isinstance(name, str) or not name.strip():
            raise DecoratorError(f"{location}: a launch plan needs a non-empty name, not {name!r}")
        if not isinstance(workflow, Entity) or isinstance(workflow, LaunchPlan):
            raise DecoratorError(f"{what}: launches a workflow, not {workflow!r}")
        declared = workflow.python_interface
        fixed = _literals(fixed_inputs or {}, declared, what, "fixed_inputs")
        defaults = _literals(default_inputs or {}, declared, what, "default_inputs")
        both = sorted(set(fixed) & set(defaults))
        if both:
            raise DecoratorError(f"{what}: input {both[0]!r} is both fixed and defaulted")
        spec = LaunchPlanSpec(
            id=Identifier(resource_type=ResourceType.LAUNCH_PLAN, name=name),
            workflow=workflow.closure.workflow.id,
            default_inputs=defaults,
            fixed_inputs=fixed,
            schedule=_schedule(schedule, what),
            notifications=_notifications(notifications, what),
            labels=_strings(labels, what, "labels"),
            annotations=_strings(annotations, what, "annotations"),
            max_parallelism=_parallelism(max_parallelism, what),
            security_context=security_context.to_spec() if security_context else None,
            overwrite_cache=bool(overwrite_cache),
            auto_activate=auto_activate,
        )
        interface = Interface(
            inputs={n: t for n, t in declared.inputs.items() if n not in fixed},
            defaults={
                **{n: v for n, v in declared.defaults.items() if n not in fixed},
                **dict(default_inputs or {}),
            },
            outputs=declared.outputs,
            output_tuple=declared.output_tuple,
        )
        if spec.schedule is not None:
            _check_schedule(spec, interface, what)
        plan = cls(spec, workflow, interface, caller_module())
        known = cls.CACHE.get(name)
        if known is not None and known.spec != spec:
            raise DecoratorError(
                f"{what} already exists with other settings (a launch plan's name is its identity)"
            )
        cls.CACHE[name] = plan
        return plan

    @property
    def module_name(self) -> str:
        return self._module

    @property
    def closure(self) -> WorkflowClosure:
        return self._closure

    def launch_settings(self) -> LaunchPlanSpec:
        return self.spec

    def node_target(self) -> NodeRunnable:
        return LaunchPlanCall(spec=self.spec, interface=self.interface, closure=self._closure)

    def task_objects(self) -> dict[Identifier, Any]:
        return self.workflow.task_objects()

    def __repr__(self) -> str:
        return f"LaunchPlan({self.name!r} of {self.workflow.name})"


def _literals(
    values: Mapping[str, Any], declared: Interface, what: str, setting: str
) -> dict[str, Literal]:
    literals = {}
    for name, value in values.items():
        if name not in declared.inputs:
            known = ", ".join(declared.inputs) or "none"
            raise DecoratorError(
                f"{what}: {setting} names {name!r}, not an input (inputs: {known})"
            )
        try:
            with declaring():
                literals[name] = to_literal(value, declared.inputs[name])
        except TypeTransformerError as exc:
            raise DecoratorError(f"{what}: {setting}[{name!r}]: {exc}") from None
    return literals


def _schedule(schedule: Any, what: str) -> Schedule | None:
    try:
        return schedule_spec(schedule) if schedule is not None else None
    except DecoratorError as exc:
        raise DecoratorError(f"{what}: {exc}") from None


def _notifications(notifications: Any, what: str) -> tuple[Notification, ...]:
    if notifications is None:
        return ()
    if not isinstance(notifications, list | tuple):
        notifications = [notifications]
    try:
        return tuple(notification_spec(n) for n in notifications)
    except DecoratorError as exc:
        raise DecoratorError(f"{what}: {exc}") from None


def _strings(values: Any, what: str, setting: str) -> dict[str, str]:
    if values is None:
        return {}
    mapping = values.values if isinstance(values, Labels | Annotations) else values
    if not isinstance(mapping, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise DecoratorError(f"{what}: {setting} must map strings to strings")
    return dict(mapping)


def _parallelism(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DecoratorError(f"{what}: max_parallelism must be a positive integer, not {value!r}")
    return value


def _check_schedule(spec: LaunchPlanSpec, interface: Interface, what: str) -> None:
    assert spec.schedule is not None
    kickoff = spec.schedule.kickoff_time_input
    if kickoff:
        if kickoff not in interface.inputs:
            raise DecoratorError(
                f"{what}: the schedule's kickoff_time_input_arg {kickoff!r} is not an input "
                "the launch plan takes"
            )
        if literal_type_of(interface.inputs[kickoff]) != SimpleType(simple=SimpleKind.DATETIME):
            raise DecoratorError(
                f"{what}: the schedule's kickoff_time_input_arg {kickoff!r} must be a datetime"
            )
    missing = [n for n in interface.inputs if n not in interface.defaults and n != kickoff]
    if missing:
        raise DecoratorError(
            f"{what}: a scheduled launch plan needs a value for every input; "
            f"{', '.join(map(repr, missing))} has none (default or fix it)"
        )
