"""An execution's graph as the console draws it: the nodes of its workflow, what kind each
is, which can be opened to show the workflow they run, and the geometry of the whole.

A node of a workflow is keyed as the engine keys its record (``NodeKey``: the path of node
ids through the workflows that hold it). A subworkflow node runs its workflow as its
children, a branch node the case it took, a dynamic or eager node the workflow it built at
run time (stored with its record); any of these can be *expanded* to draw that workflow
inside it. A map node is one node, however many items it has.

The geometry depends only on the workflows, on which nodes are drawn (a workflow's failure
node only once it has started) and on which are expanded, never on phases, so it is computed
once per workflow version and set of drawn and expanded nodes and kept (``LayoutCache``);
phases are painted on it when a page is drawn.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from aloft.console.dag import Layout, lay_out
from aloft.ir import (
    DYNAMIC_TASK_TYPE,
    EAGER_TASK_TYPE,
    LOCAL_VERSION,
    ExecutionId,
    Identifier,
    NodeKey,
    NodeRecord,
    TaskTemplate,
    WorkflowClosure,
    WorkflowTemplate,
)
from aloft.ir.workflow import (
    ArrayTarget,
    BranchTarget,
    GateTarget,
    LaunchPlanTarget,
    Node,
    TaskTarget,
    WorkflowTarget,
)

NODE_WIDTH = 190.0
NODE_HEIGHT = 50.0
CLUSTER_PAD = 14.0
CLUSTER_HEADER = 26.0
CACHE_SIZE = 256
"""Layouts kept (each a workflow version with one set of expanded nodes)."""


@dataclass(frozen=True)
class GraphNode:
    """One node as drawn: its key, its id and name in its workflow, its kind (``task``,
    ``map``, ``branch``, ``subworkflow``, ``dynamic``, ``eager``, ``gate``, ``launch plan``),
    what it runs, and, if it is expanded, the frame of the workflow it runs."""

    key: NodeKey
    id: str
    name: str
    kind: str
    runs: str
    expandable: bool
    inner: Frame | None = None


@dataclass(frozen=True)
class Frame:
    """A workflow drawn as a graph: its nodes, its edges, and their layout."""

    workflow: Identifier
    nodes: list[GraphNode]
    edges: list[tuple[str, str]]
    layout: Layout = field(repr=False)

    def walk(self) -> list[GraphNode]:
        """Every node, those inside expanded nodes included, outermost first."""
        found: list[GraphNode] = []
        for node in self.nodes:
            found.append(node)
            if node.inner is not None:
                found.extend(node.inner.walk())
        return found


class Entities:
    """The workflows and tasks an execution's nodes can run: its closure's, and those built
    at run time by its dynamic and eager nodes (stored with their records)."""

    def __init__(self, closure: WorkflowClosure) -> None:
        self.workflows: dict[Identifier, WorkflowTemplate] = {}
        self.tasks: dict[Identifier, TaskTemplate] = {}
        self.add(closure)

    def add(self, closure: WorkflowClosure) -> None:
        """Know the workflows and tasks of ``closure`` too."""
        for workflow in (closure.workflow, *closure.subworkflows):
            self.workflows.setdefault(workflow.id, workflow)
        for task in closure.tasks:
            self.tasks.setdefault(task.id, task)


def node_kind(node: Node, tasks: Mapping[Identifier, TaskTemplate]) -> tuple[str, str]:
    """What kind of node ``node`` is, and the name of what it runs."""
    target = node.target
    match target:
        case TaskTarget(task=task):
            template = tasks.get(task)
            kind = {DYNAMIC_TASK_TYPE: "dynamic", EAGER_TASK_TYPE: "eager"}.get(
                template.type if template else "", "task"
            )
            return kind, task.name
        case ArrayTarget(task=task):
            return "map", task.name
        case BranchTarget(name=name):
            return "branch", name
        case WorkflowTarget(workflow=workflow):
            return "subworkflow", workflow.name
        case GateTarget(gate=gate, name=name):
            return "gate", f"{gate.value} {name}".strip()
        case LaunchPlanTarget(launch_plan=plan):
            return "launch plan", plan.name


def inner_workflow(
    node: Node, record: NodeRecord | None, entities: Entities
) -> WorkflowTemplate | None:
    """The workflow ``node`` runs as its children, if it runs one (so far): a subworkflow's,
    the case a branch took, what a dynamic or eager node built."""
    target = node.target
    if isinstance(target, WorkflowTarget):
        return entities.workflows.get(target.workflow)
    if isinstance(target, BranchTarget) and record is not None and record.branch is not None:
        case = target.cases[record.branch] if record.branch < len(target.cases) else None
        return entities.workflows.get(case.workflow) if case and case.workflow else None
    if isinstance(target, TaskTarget) and record is not None and record.workflow is not None:
        entities.add(record.workflow)
        return record.workflow.workflow
    return None


def frame_nodes(
    workflow: WorkflowTemplate, records: Mapping[NodeKey, NodeRecord], at: NodeKey
) -> list[Node]:
    """The nodes of ``workflow`` running at frame ``at``: its own, and its failure node once
    that has started."""
    nodes = list(workflow.nodes)
    failure = workflow.failure_node
    if failure is not None and at.child(failure.id) in records:
        nodes.append(failure)
    return nodes


class LayoutCache:
    """Layouts by (what the frame's workflow is, which of its nodes are expanded): a
    registered version is the same everywhere; a workflow run from a local file or built at
    run time is known only within its own execution and node."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._kept: OrderedDict[object, Layout] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object, compute: Callable[[], Layout]) -> Layout:
        """The layout kept under ``key``, computed and kept if there is none."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        layout = compute()
        with self._lock:
            self._kept[key] = layout
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return layout


def build_frame(
    execution: ExecutionId,
    workflow: WorkflowTemplate,
    at: NodeKey,
    records: Mapping[NodeKey, NodeRecord],
    entities: Entities,
    expanded: Collection[str],
    cache: LayoutCache,
    built: bool = False,
) -> Frame:
    """The frame of ``workflow`` running at ``at`` (the root key for the execution's own
    workflow), with the nodes whose key text is in ``expanded`` drawn open. ``built``: the
    workflow was built at run time (by a dynamic or eager node), so it is known only here."""
    nodes: list[GraphNode] = []
    signature: list[object] = []
    for node in frame_nodes(workflow, records, at):
        key = at.child(node.id)
        record = records.get(key)
        kind, runs = node_kind(node, entities.tasks)
        inner_template = inner_workflow(node, record, entities)
        inner = None
        if inner_template is not None and str(key) in expanded:
            inner_built = built or kind in ("dynamic", "eager")
            inner = build_frame(
                execution, inner_template, key, records, entities, expanded, cache, inner_built
            )
            signature.append((node.id, _identity(execution, inner_template.id, key, inner_built)))
        nodes.append(
            GraphNode(key, node.id, node.name, kind, runs, inner_template is not None, inner)
        )
    edges = [(up, node.id) for node in workflow.nodes for up in node.upstream]
    identity = _identity(execution, workflow.id, at, built)
    drawn = tuple(node.id for node in nodes)  # a failure node is drawn once it has started
    layout = cache.get((identity, drawn, tuple(signature)), lambda: _lay_out(nodes, edges))
    return Frame(workflow.id, nodes, edges, layout)


def _identity(execution: ExecutionId, workflow: Identifier, at: NodeKey, built: bool) -> object:
    if built or workflow.version == LOCAL_VERSION:
        return (execution, at, workflow)
    return workflow


def _lay_out(nodes: list[GraphNode], edges: list[tuple[str, str]]) -> Layout:
    sizes: dict[str, tuple[float, float]] = {}
    for node in nodes:
        if node.inner is None:
            sizes[node.id] = (NODE_WIDTH, NODE_HEIGHT)
        else:
            inner = node.inner.layout
            sizes[node.id] = (
                max(inner.width + 2 * CLUSTER_PAD, NODE_WIDTH),
                inner.height + CLUSTER_HEADER + 2 * CLUSTER_PAD,
            )
    return lay_out(sizes, edges)


def node_at(
    key: NodeKey,
    workflow: WorkflowTemplate,
    records: Mapping[NodeKey, NodeRecord],
    entities: Entities,
) -> Node | None:
    """The node of key ``key`` (an array item's key names its map node), found by walking
    down from the execution's ``workflow`` through the workflows its nodes run; None if
    there is none (yet)."""
    template: WorkflowTemplate | None = workflow
    found: Node | None = None
    at = NodeKey()
    for node_id in key.path:
        if template is None:
            return None
        found = next((n for n in frame_nodes(template, records, at) if n.id == node_id), None)
        if found is None:
            return None
        at = at.child(node_id)
        template = inner_workflow(found, records.get(at), entities)
    return found
