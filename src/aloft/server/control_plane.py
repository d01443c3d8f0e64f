"""The control plane's operations, below the HTTP layer: registering, launching and steering
executions over the metadata store, the registry and the blob store.

Everything here works on IR only: the server never imports user code (DESIGN.md). Each
operation checks its whole request before it writes, so a refused one changes nothing.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from msgspec import structs

from aloft.errors import InputError
from aloft.ir import (
    AttemptRecord,
    ExecutionId,
    ExecutionPhase,
    ExecutionRecord,
    ExecutionSpec,
    HashedValue,
    Identifier,
    LaunchPlanSpec,
    Literal,
    NodePhase,
    RecoveredNode,
    ResourceType,
    WorkflowClosure,
    from_json,
    literal_fits,
    literal_from_json,
)
from aloft.server.inputs import resolve_inputs
from aloft.server.references import resolve_references
from aloft.server.registration import (
    EntityDraft,
    check_drafts,
    default_version,
    has_code,
    stamp,
)
from aloft.storage import BlobStore
from aloft.storage.bundles import check
from aloft.storage.executions import (
    ExecutionNotFound,
    ExecutionPage,
    ExecutionQuery,
    ExecutionSnapshot,
)
from aloft.storage.executions.sql import SqlStore
from aloft.storage.layout import bundle_uri, bundles_prefix
from aloft.storage.registry import DOMAINS, EntityNotFound, Project, RegisteredEntity

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
LATEST = "latest"
"""The version name that asks for an entity's newest version."""
MAX_BUNDLE_BYTES = 256 << 20
"""The largest code bundle the server takes."""


class NotFound(InputError):
    """What a request names does not exist (HTTP 404)."""


class Conflict(InputError):
    """A request clashes with what is stored (HTTP 409)."""


@dataclass(frozen=True)
class Registration:
    """What a registration did: the version it used and, per entity, whether it was new."""

    version: str
    entities: list[tuple[Identifier, bool]]


@dataclass(frozen=True)
class NodeAttempt:
    """An attempt of a node (None before its first), and where the node and its execution
    stand."""

    attempt: AttemptRecord | None
    node_phase: NodePhase
    execution_phase: ExecutionPhase


@dataclass(frozen=True)
class Launch:
    """What to launch: a registered task, workflow or launch plan (newest version if
    ``version`` is empty), on ``values`` (JSON) and ``literals`` (IR)."""

    resource_type: ResourceType
    name: str
    project: str
    domain: str
    version: str = ""
    values: Mapping[str, Any] | None = None
    literals: Mapping[str, Literal] | None = None
    execution_name: str = ""
    labels: Mapping[str, str] | None = None
    annotations: Mapping[str, str] | None = None


class ControlPlane:
    """The server's state and operations: ``store`` (executions and the registry) and
    ``blobs`` (code bundles, inputs and outputs)."""

    def __init__(self, store: SqlStore, blobs: BlobStore) -> None:
        self.store = store
        self.registry = store.registry()
        self.blobs = blobs
        self.registry.add_project(Project("default", "The project entities go to by default."))

    # -- projects -------------------------------------------------------------------------------

    def projects(self) -> list[Project]:
        """Every project."""
        return self.registry.projects()

    def add_project(self, name: str, description: str) -> bool:
        """Create project ``name``; False if it exists."""
        check_name(name, "project name")
        return self.registry.add_project(Project(name, description))

    def check_scope(self, project: str, domain: str) -> None:
        """``NotFound`` unless ``project`` exists and ``domain`` is one of its domains."""
        _check_domain(domain)
        if not self.registry.has_project(project):
            raise NotFound(f"no project {project!r}")

    # -- code bundles ---------------------------------------------------------------------------

    def put_bundle(self, digest: str, data: bytes) -> tuple[str, bool]:
        """Store code bundle ``data`` under its ``digest`` once: its URI and whether it is new.
        A bundle whose digest or members are wrong is an ``InputError`` naming the fault."""
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise InputError(f"bundle digest {digest!r} is not a sha256 hex digest")
        if len(data) > MAX_BUNDLE_BYTES:
            raise InputError(f"code bundle is larger than {MAX_BUNDLE_BYTES >> 20} MiB")
        uri = bundle_uri(bundles_prefix(self.blobs.root), digest)
        if self.blobs.exists(uri):
            return uri, False
        check(data, digest)
        self.blobs.write_new(uri, data)
        return uri, True

    def has_bundle(self, digest: str) -> bool:
        """Whether code bundle ``digest`` is stored."""
        return self.blobs.exists(bundle_uri(bundles_prefix(self.blobs.root), digest))

    # -- registration ---------------------------------------------------------------------------

    def register(
        self,
        project: str,
        domain: str,
        version: str,
        bundle: str,
        drafts: Sequence[EntityDraft],
    ) -> Registration:
        """Register ``drafts`` under ``version`` (a digest of bundle and IR if empty), all
        or none: ``Conflict`` if a version holds other content."""
        _check_domain(domain)
        check_name(project, "project name")
        if not drafts:
            raise InputError("entities: nothing to register")
        decoded = check_drafts(drafts)
        if has_code(decoded):
            if not bundle:
                raise InputError("bundle: the entities' tasks have code, so name its bundle")
            if not self.has_bundle(bundle):
                raise NotFound(f"bundle: no code bundle {bundle}; upload it first")
        version = version or default_version(bundle, decoded)
        check_name(version, "version")
        if version == LATEST:
            raise InputError(f"version {LATEST!r} is reserved: it names the newest version")
        registered = stamp(decoded, project, domain, version, bundle)
        names = [entity.id for entity in registered]
        if len(set(names)) != len(names):
            raise InputError("entities: the same entity is given twice")
        self.registry.add_project(Project(project))
        try:
            new = self.registry.register(registered)
        except InputError as exc:
            raise Conflict(str(exc)) from None
        for entity, created in zip(registered, new, strict=True):
            plan = entity.id.resource_type is ResourceType.LAUNCH_PLAN
            if plan and created and from_json(entity.template, LaunchPlanSpec).auto_activate:
                self.registry.set_active(entity.id, True)
        return Registration(version, list(zip(names, new, strict=True)))

    def activate(self, id: Identifier, active: bool) -> None:
        """Make launch plan version ``id`` the active one, whose schedule fires (or, with
        ``active`` false, stop the launch plan's schedule)."""
        self.entity(id)
        self.registry.set_active(id, active)

    def entity(self, id: Identifier) -> RegisteredEntity:
        """The registered entity ``id`` names (its newest version if the version is empty)."""
        self.check_scope(id.project, id.domain)
        try:
            return self.registry.get(id)
        except EntityNotFound as exc:
            raise NotFound(str(exc)) from None

    # -- executions -----------------------------------------------------------------------------

    def launch(self, launch: Launch) -> ExecutionRecord:
        """Create an execution of what ``launch`` names; it starts once an engine host
        claims it. Bad or missing inputs are an ``InputError`` naming the input."""
        entity = self.entity(
            Identifier(
                launch.resource_type, launch.name, launch.project, launch.domain, launch.version
            )
        )
        closure = resolve_references(from_json(entity.closure, WorkflowClosure), self.registry)
        what = f"{launch.resource_type.value.replace('_', ' ')} {launch.name}"
        plan = (
            from_json(entity.template, LaunchPlanSpec)
            if launch.resource_type is ResourceType.LAUNCH_PLAN
            else None
        )
        inputs = resolve_inputs(
            what,
            closure.workflow.interface,
            launch.values or {},
            launch.literals or {},
            plan.default_inputs if plan else None,
            plan.fixed_inputs if plan else None,
        )
        labels = {**(plan.labels if plan else {}), **(launch.labels or {})}
        annotations = {**(plan.annotations if plan else {}), **(launch.annotations or {})}
        spec = ExecutionSpec(
            id=self._new_id(launch.project, launch.domain, launch.execution_name, launch.name),
            closure=closure,
            inputs=inputs,
            launch_plan=plan.id if plan else None,
            max_parallelism=plan.max_parallelism if plan else None,
            labels=labels,
            annotations=annotations,
        )
        return self._create(spec)

    def relaunch(self, execution: ExecutionId, name: str = "") -> ExecutionRecord:
        """A new execution of what ``execution`` ran, on the same inputs."""
        spec = self.spec(execution)
        new_id = self._new_id(execution.project, execution.domain, name, _base(execution))
        fresh = structs.replace(spec, id=new_id, recover_from=None, recovered={}, parent=None)
        return self._create(fresh)

    def recover(self, execution: ExecutionId, version: str = "", name: str = "") -> ExecutionRecord:
        """Re-run failed ``execution``, taking every node that succeeded in it from there: only
        the nodes that failed or never ran, and what depends on them, run again. With
        ``version``, the recovery runs that version of the same workflow or launch plan (code
        fixed since) on the same inputs."""
        spec = self.spec(execution)
        snapshot = self.store.load(execution)
        if snapshot.execution.phase not in (ExecutionPhase.FAILED, ExecutionPhase.ABORTED):
            raise Conflict(
                f"execution {execution} is {snapshot.execution.phase.value}: only a failed or "
                "aborted execution can be recovered"
            )
        closure, inputs, plan_id = spec.closure, spec.inputs, spec.launch_plan
        if version:
            kind, name_of = (
                (ResourceType.LAUNCH_PLAN, spec.launch_plan.name)
                if spec.launch_plan is not None
                else (ResourceType.WORKFLOW, spec.closure.workflow.id.name)
            )
            entity = self.entity(
                Identifier(kind, name_of, execution.project, execution.domain, version)
            )
            closure = resolve_references(from_json(entity.closure, WorkflowClosure), self.registry)
            plan = from_json(entity.template, LaunchPlanSpec) if spec.launch_plan else None
            fixed = plan.fixed_inputs if plan else {}
            declared = closure.workflow.interface.inputs
            kept = {k: v for k, v in spec.inputs.items() if k in declared and k not in fixed}
            what = f"{kind.value.replace('_', ' ')} {name_of} version {version}"
            inputs = resolve_inputs(
                what,
                closure.workflow.interface,
                {},
                kept,
                plan.default_inputs if plan else None,
                fixed,
            )
        recovered = {
            str(key): RecoveredNode(outputs=node.outputs, outputs_uri=node.outputs_uri)
            for key, node in snapshot.nodes.items()
            if node.phase is NodePhase.SUCCEEDED
        }
        new_id = self._new_id(execution.project, execution.domain, name, _base(execution))
        fresh = structs.replace(
            spec,
            id=new_id,
            closure=closure,
            inputs=inputs,
            launch_plan=plan_id,
            recover_from=execution,
            recovered=recovered,
        )
        return self._create(fresh)

    def terminate(self, execution: ExecutionId) -> ExecutionRecord:
        """Ask ``execution`` to end ABORTED; ``Conflict`` if it has ended already."""
        self.record(execution)
        if not self.store.request_abort(execution):
            raise Conflict(f"execution {execution} has already ended")
        return self.store.record(execution)

    def signal(
        self, execution: ExecutionId, name: str, value: Any, literal: Literal | None
    ) -> None:
        """Give gate signal ``name`` of ``execution`` (a JSON ``value`` converted by the
        gate's type, or a ``literal``)."""
        spec = self.spec(execution)
        gate = spec.closure.signal_gates().get(name)
        if gate is None:
            raise NotFound(f"execution {execution} has no gate waiting for signal {name!r}")
        gate_type = gate.signal_type
        if literal is None:
            literal = literal_from_json(value, gate_type, f"signal {name!r}")
        else:
            reason = literal_fits(literal, gate_type)
            if reason is not None:
                raise InputError(f"signal {name!r}: {reason}")
            if isinstance(literal, HashedValue):  # a gate reads the value itself
                literal = literal.value
        try:
            given = self.store.give_signal(execution, name, literal)
        except InputError as exc:  # given before with another value
            raise Conflict(str(exc)) from None
        if not given:
            raise Conflict(f"execution {execution} has already ended")

    def record(self, execution: ExecutionId) -> ExecutionRecord:
        """``execution``'s record; ``NotFound`` if there is none."""
        try:
            return self.store.record(execution)
        except ExecutionNotFound as exc:
            raise NotFound(str(exc)) from None

    def spec(self, execution: ExecutionId) -> ExecutionSpec:
        """What ``execution`` runs; ``NotFound`` if there is none."""
        try:
            return self.store.spec(execution)
        except ExecutionNotFound as exc:
            raise NotFound(str(exc)) from None

    def snapshot(self, execution: ExecutionId) -> ExecutionSnapshot:
        """All of ``execution``'s records."""
        try:
            return self.store.load(execution)
        except ExecutionNotFound as exc:
            raise NotFound(str(exc)) from None

    def executions(self, query: ExecutionQuery) -> ExecutionPage:
        """A page of executions."""
        return self.store.list_executions(query)

    def node_attempt(self, execution: ExecutionId, node: str, attempt: int | None) -> NodeAttempt:
        """Attempt ``attempt`` of ``node`` (its latest if None; none if the node has made
        none yet), and the phases of the node and the execution. ``NotFound`` if there is no
        such attempt, or no such node: one of the top workflow's nodes that has not started
        yet while the execution runs is found, not started."""
        snapshot = self.snapshot(execution)
        phase = snapshot.execution.phase
        record = next((r for key, r in snapshot.nodes.items() if str(key) == node), None)
        attempts = sorted(
            (a for a in snapshot.attempts.values() if str(a.node) == node),
            key=lambda a: a.number,
        )
        if record is None:
            if phase.is_terminal or node not in self._top_nodes(execution):
                raise NotFound(f"execution {execution} has no node {node!r}")
            return NodeAttempt(None, NodePhase.NOT_STARTED, phase)
        if attempt is None:
            return NodeAttempt(attempts[-1] if attempts else None, record.phase, phase)
        found = [a for a in attempts if a.number == attempt]
        if not found:
            raise NotFound(f"node {node!r} of execution {execution} has no attempt {attempt}")
        return NodeAttempt(found[0], record.phase, phase)

    def _top_nodes(self, execution: ExecutionId) -> set[str]:
        return {node.id for node in self.spec(execution).closure.workflow.nodes}

    def _new_id(self, project: str, domain: str, name: str, base: str) -> ExecutionId:
        self.check_scope(project, domain)
        if name:
            check_name(name, "execution name")
        else:
            short = re.sub(r"[^A-Za-z0-9_-]", "-", base.rpartition(".")[2])[:40] or "run"
            name = f"{short}-{uuid.uuid4().hex[:8]}"
        return ExecutionId(name=name, project=project, domain=domain)

    def _create(self, spec: ExecutionSpec) -> ExecutionRecord:
        try:
            return self.store.create(spec, datetime.datetime.now(datetime.UTC))
        except InputError as exc:  # the name is taken
            raise Conflict(str(exc)) from None


def _check_domain(domain: str) -> None:
    if domain not in DOMAINS:
        raise NotFound(f"no domain {domain!r}; the domains are {', '.join(DOMAINS)}")


def check_name(name: str, what: str) -> None:
    """``InputError`` unless ``name`` is a valid name of a project, version or execution
    (``what``, as the message says it)."""
    if not _NAME.fullmatch(name):
        raise InputError(
            f"{what} {name!r} is not valid: use letters, digits, '_', '-' and '.', starting "
            "with a letter or digit, at most 63 characters"
        )


def _base(execution: ExecutionId) -> str:
    return execution.name.rsplit("-", 1)[0] if "-" in execution.name else execution.name
