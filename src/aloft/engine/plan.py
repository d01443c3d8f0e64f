"""The static shape of a workflow, precomputed once for scheduling."""

from __future__ import annotations

from dataclasses import dataclass

from aloft.ir import Node, WorkflowTemplate


@dataclass(frozen=True)
class WorkflowPlan:
    """A workflow's nodes by id (its failure node too) with their upstream counts and
    downstream lists (the failure node has neither: it runs only when the workflow fails)."""

    template: WorkflowTemplate
    nodes: dict[str, Node]
    upstream_count: dict[str, int]
    downstream: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, template: WorkflowTemplate) -> WorkflowPlan:
        """Build the plan of ``template``."""
        nodes = {node.id: node for node in template.nodes}
        downstream: dict[str, list[str]] = {node_id: [] for node_id in nodes}
        if template.failure_node is not None:
            nodes[template.failure_node.id] = template.failure_node
            downstream[template.failure_node.id] = []
        for node in template.nodes:
            for upstream in node.upstream:
                downstream[upstream].append(node.id)
        return cls(
            template=template,
            nodes=nodes,
            upstream_count={node.id: len(node.upstream) for node in template.nodes},
            downstream={key: tuple(value) for key, value in downstream.items()},
        )
