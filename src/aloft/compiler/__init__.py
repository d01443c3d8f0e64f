"""The compiler: traced workflow graphs to checked IR."""

from aloft.compiler.compile import compile_task_as_workflow, compile_workflow
from aloft.compiler.graph import (
    Constant,
    LaunchPlanCall,
    Location,
    MappedTask,
    NodeRunnable,
    OutputRef,
    TracedBinding,
    TracedBranch,
    TracedCase,
    TracedCheck,
    TracedComparison,
    TracedCondition,
    TracedConjunction,
    TracedGate,
    TracedGraph,
    TracedNode,
)
from aloft.compiler.typecheck import binding_variant

__all__ = [
    "Constant",
    "LaunchPlanCall",
    "Location",
    "MappedTask",
    "NodeRunnable",
    "OutputRef",
    "TracedBinding",
    "TracedBranch",
    "TracedCase",
    "TracedCheck",
    "TracedComparison",
    "TracedCondition",
    "TracedConjunction",
    "TracedGate",
    "TracedGraph",
    "TracedNode",
    "binding_variant",
    "compile_task_as_workflow",
    "compile_workflow",
]
