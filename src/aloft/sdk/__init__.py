"""The authoring API: tasks, workflows, promises and their settings."""

from aloft.sdk.context import ExecutionParameters, current_context
from aloft.sdk.entity import Entity
from aloft.sdk.interface import Interface
from aloft.sdk.node import create_node
from aloft.sdk.promise import NodeHandle, Promise, VoidPromise
from aloft.sdk.resources import Cache, PodTemplate, Resources, Secret
from aloft.sdk.task import PythonFunctionTask, task
from aloft.sdk.workflow import PythonFunctionWorkflow, WorkflowFailurePolicy, workflow

__all__ = [
    "Cache",
    "Entity",
    "ExecutionParameters",
    "Interface",
    "NodeHandle",
    "PodTemplate",
    "Promise",
    "PythonFunctionTask",
    "PythonFunctionWorkflow",
    "Resources",
    "Secret",
    "VoidPromise",
    "WorkflowFailurePolicy",
    "create_node",
    "current_context",
    "task",
    "workflow",
]
