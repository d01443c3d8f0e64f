"""Traced graphs to IR: check every binding, order the nodes, collect the closure."""

from __future__ import annotations

from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from typing import TypeVar

from aloft.compiler.branches import compile_branch
from aloft.compiler.graph import (
    Constant,
    LaunchPlanCall,
    Location,
    MappedTask,
    OutputRef,
    TracedBinding,
    TracedBranch,
    TracedGate,
    TracedGraph,
    TracedNode,
)
from aloft.compiler.typecheck import binding_variant, dataset_mismatch
from aloft.errors import CompileError
from aloft.ir import (
    START_NODE,
    Binding,
    BindingData,
    CollectionBinding,
    CollectionType,
    Identifier,
    LaunchPlanSpec,
    LaunchPlanTarget,
    LiteralBinding,
    LiteralType,
    MapBinding,
    MapType,
    Node,
    NodeTarget,
    PromiseBinding,
    ResourceType,
    StructuredDatasetType,
    TaskTarget,
    TaskTemplate,
    TypedInterface,
    UnionType,
    WorkflowClosure,
    WorkflowTarget,
    WorkflowTemplate,
    describe,
)

_Entity = TypeVar("_Entity", TaskTemplate, WorkflowTemplate, LaunchPlanSpec)


def compile_workflow(graph: TracedGraph) -> WorkflowClosure:
    """Check ``graph`` and compile it to a closure; raises ``CompileError`` naming file:line."""
    collected = _Collected()
    nodes = []
    for traced in graph.nodes:
        if isinstance(traced.target, TracedBranch):
            node, cases = compile_branch(traced, traced.target, graph, compile_workflow)
            for closure in cases:
                collected.add_closure(closure, traced.location)
            nodes.append(node)
        else:
            nodes.append(_compile_node(traced, collected))
    nodes = _in_dependency_order(nodes, graph)
    outputs = _compile_outputs(graph)
    failure = graph.failure_node
    template = WorkflowTemplate(
        id=graph.id,
        interface=graph.interface,
        nodes=tuple(nodes),
        outputs=outputs,
        failure_policy=graph.failure_policy,
        interruptible=graph.interruptible,
        failure_node=_compile_node(failure, collected) if failure is not None else None,
    )
    return collected.closure(template)


@dataclass
class _Collected:
    """The tasks, subworkflows and launch plans a workflow being compiled refers to."""

    tasks: dict[Identifier, TaskTemplate] = field(default_factory=dict)
    subworkflows: dict[Identifier, WorkflowTemplate] = field(default_factory=dict)
    launch_plans: dict[Identifier, LaunchPlanSpec] = field(default_factory=dict)

    def add_task(self, task: TaskTemplate, where: Location) -> None:
        _add_unique(self.tasks, task.id, task, where)

    def add_closure(self, closure: WorkflowClosure, where: Location) -> None:
        """Add ``closure``'s workflow and all it refers to."""
        for sub in (closure.workflow, *closure.subworkflows):
            _add_unique(self.subworkflows, sub.id, sub, where)
        for task in closure.tasks:
            self.add_task(task, where)
        for plan in closure.launch_plans:
            _add_unique(self.launch_plans, plan.id, plan, where)

    def closure(self, workflow: WorkflowTemplate) -> WorkflowClosure:
        """The closure of ``workflow``, in a stable order."""
        return WorkflowClosure(
            workflow=workflow,
            subworkflows=_sorted(self.subworkflows),
            tasks=_sorted(self.tasks),
            launch_plans=_sorted(self.launch_plans),
        )


def _sorted(registry: dict[Identifier, _Entity]) -> tuple[_Entity, ...]:
    return tuple(registry[key] for key in sorted(registry, key=str))


def compile_task_as_workflow(runnable: TaskTemplate | MappedTask) -> WorkflowClosure:
    """A one-node workflow running a task (or a map task): how one is executed alone."""
    target: NodeTarget
    if isinstance(runnable, MappedTask):
        task, interface, target = runnable.task, runnable.interface, runnable.target
        name = f"{task.id.name}.map"
    else:
        task, interface, name = runnable, runnable.interface, runnable.id.name
        target = TaskTarget(task=task.id)
    node = Node(
        id="n0",
        name=name,
        target=target,
        inputs=tuple(
            Binding(var=name, data=PromiseBinding(node=START_NODE, output=name))
            for name in interface.inputs
        ),
    )
    outputs = tuple(
        Binding(var=name, data=PromiseBinding(node="n0", output=name)) for name in interface.outputs
    )
    template = WorkflowTemplate(
        id=Identifier(resource_type=ResourceType.WORKFLOW, name=name),
        interface=TypedInterface(inputs=interface.inputs, outputs=interface.outputs),
        nodes=(node,),
        outputs=outputs,
    )
    return WorkflowClosure(workflow=template, tasks=(task,))


def _compile_node(node: TracedNode, collected: _Collected) -> Node:
    interface = node.interface
    where = f"{node.location}: node {node.id} ({node.name})"
    unknown = sorted(set(node.inputs) - set(interface.inputs))
    if unknown:
        raise CompileError(
            f"{where}: unknown input {', '.join(map(repr, unknown))}; "
            f"it takes {', '.join(interface.inputs) or 'no inputs'}"
        )
    bindings = []
    for name, variable in interface.inputs.items():
        if name in node.inputs:
            data = _compile_binding(node.inputs[name], variable.type, f"{where}, input {name!r}")
        elif variable.default is not None:
            data = LiteralBinding(value=variable.default)
        else:
            raise CompileError(f"{where}: missing input {name!r} ({describe(variable.type)})")
        bindings.append(Binding(var=name, data=data))
    target: NodeTarget
    if isinstance(node.target, TaskTemplate):
        target = TaskTarget(task=node.target.id)
        collected.add_task(node.target, node.location)
    elif isinstance(node.target, MappedTask):
        target = node.target.target
        collected.add_task(node.target.task, node.location)
    elif isinstance(node.target, TracedGate):
        target = node.target.target
    elif isinstance(node.target, LaunchPlanCall):
        target = LaunchPlanTarget(launch_plan=node.target.spec.id)
        collected.add_closure(node.target.closure, node.location)
    else:
        assert isinstance(node.target, WorkflowClosure)
        target = WorkflowTarget(workflow=node.target.workflow.id)
        collected.add_closure(node.target, node.location)
    upstream: dict[str, None] = {}
    for binding in node.inputs.values():
        for ref in _refs(binding):
            if ref.node != START_NODE:
                upstream[ref.node] = None
    for before in node.after:
        upstream[before] = None
    return Node(
        id=node.id,
        name=node.name,
        target=target,
        inputs=tuple(bindings),
        upstream=tuple(upstream),
        overrides=node.overrides,
        source=node.location.source,
    )


def _add_unique(
    registry: dict[Identifier, _Entity], key: Identifier, value: _Entity, where: Location
) -> None:
    known = registry.setdefault(key, value)
    if known != value:
        raise CompileError(f"{where}: two different definitions are both named {key.name!r}")


def _compile_binding(binding: TracedBinding, target: LiteralType, where: str) -> BindingData:
    if isinstance(binding, OutputRef):
        variant = binding_variant(binding.type, target)
        if variant is None:
            reason = ""
            if isinstance(target, StructuredDatasetType) and isinstance(
                binding.type, StructuredDatasetType
            ):
                reason = f": {dataset_mismatch(binding.type, target)}"
            raise CompileError(
                f"{where}: expected {describe(target)}, found {describe(binding.type)} "
                f"(from {_ref_name(binding)}){reason}"
            )
        return PromiseBinding(
            node=binding.node, output=binding.output, path=binding.path, union_variant=variant
        )
    if isinstance(binding, Constant):
        return LiteralBinding(value=binding.value)
    container = CollectionType if isinstance(binding, list) else MapType
    inner = target
    if isinstance(target, UnionType):
        inner = next((v for v in target.variants if isinstance(v, container)), target)
    if isinstance(binding, list):
        if not isinstance(inner, CollectionType):
            raise CompileError(f"{where}: expected {describe(target)}, found a list")
        return CollectionBinding(
            items=tuple(
                _compile_binding(item, inner.element, f"{where}, item {index}")
                for index, item in enumerate(binding)
            )
        )
    if not isinstance(inner, MapType):
        raise CompileError(f"{where}: expected {describe(target)}, found a dict")
    return MapBinding(
        entries={
            key: _compile_binding(item, inner.value, f"{where}, key {key!r}")
            for key, item in binding.items()
        }
    )


def _refs(binding: TracedBinding) -> list[OutputRef]:
    if isinstance(binding, OutputRef):
        return [binding]
    if isinstance(binding, list):
        return [ref for item in binding for ref in _refs(item)]
    if isinstance(binding, dict):
        return [ref for item in binding.values() for ref in _refs(item)]
    return []


def _ref_name(ref: OutputRef) -> str:
    path = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in ref.path)
    if ref.node == START_NODE:
        return f"workflow input {ref.output}{path}"
    return f"output {ref.output}{path} of node {ref.node}"


def _in_dependency_order(nodes: list[Node], graph: TracedGraph) -> list[Node]:
    """The nodes in call order, after checking that every node they wait for is one of this
    workflow's and that the ``>>`` edges add no cycle."""
    locations = {node.id: node.location for node in graph.nodes}
    for node in nodes:
        for upstream in node.upstream:
            if upstream not in locations:
                raise CompileError(
                    f"{locations[node.id]}: node {node.id} ({node.name}) uses node "
                    f"{upstream}, which runs inside a case of a conditional; use the "
                    "conditional's result instead"
                )
    sorter = TopologicalSorter({node.id: node.upstream for node in nodes})
    try:
        sorter.prepare()
    except CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        raise CompileError(
            f"{graph.location}: workflow {graph.id.name} has a cycle: {cycle}"
        ) from None
    return nodes


def _compile_outputs(graph: TracedGraph) -> tuple[Binding, ...]:
    declared = graph.interface.outputs
    where = f"{graph.location}: workflow {graph.id.name}"
    missing = [name for name in declared if name not in graph.outputs]
    if missing:
        raise CompileError(f"{where}: declared output {', '.join(map(repr, missing))} is not bound")
    extra = sorted(set(graph.outputs) - set(declared))
    if extra:
        raise CompileError(
            f"{where} returns {', '.join(map(repr, extra))} but declares no such output"
        )
    return tuple(
        Binding(
            var=name,
            data=_compile_binding(graph.outputs[name], variable.type, f"{where}, output {name!r}"),
        )
        for name, variable in declared.items()
    )
