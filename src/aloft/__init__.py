"""aloft: strictly typed, cached, reproducible pipelines with flytekit's API, without
Kubernetes or Docker.

Every user-facing name is importable from here (``from aloft import task, workflow``). Names
are resolved on first use, so importing aloft stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "ArrayNodeMapTask": "aloft.sdk.map_task",
    "Cache": "aloft.sdk.resources",
    "Description": "aloft.sdk.documentation",
    "Documentation": "aloft.sdk.documentation",
    "ExecutionParameters": "aloft.sdk.context",
    "FlyteDirectory": "aloft.types.directories",
    "FlyteFile": "aloft.types.files",
    "FlyteRecoverableException": "aloft.errors",
    "HashMethod": "aloft.types.hash_method",
    "PodTemplate": "aloft.sdk.resources",
    "PythonFunctionTask": "aloft.sdk.task",
    "Resources": "aloft.sdk.resources",
    "Secret": "aloft.sdk.resources",
    "StructuredDataset": "aloft.types.structured",
    "StructuredDatasetFormat": "aloft.types.structured",
    "StructuredDatasetTransformerEngine": "aloft.types.structured",
    "StructuredDatasetType": "aloft.types.structured",
    "WorkflowFailurePolicy": "aloft.sdk.workflow",
    "conditional": "aloft.sdk.conditional",
    "create_node": "aloft.sdk.node",
    "DynamicWorkflowTask": "aloft.sdk.dynamic",
    "current_context": "aloft.sdk.context",
    "dynamic": "aloft.sdk.dynamic",
    "kwtypes": "aloft.sdk.documentation",
    "map_task": "aloft.sdk.map_task",
    "task": "aloft.sdk.task",
    "workflow": "aloft.sdk.workflow",
}

__all__ = [
    "ArrayNodeMapTask",
    "Cache",
    "Description",
    "Documentation",
    "DynamicWorkflowTask",
    "ExecutionParameters",
    "FlyteDirectory",
    "FlyteFile",
    "FlyteRecoverableException",
    "HashMethod",
    "PodTemplate",
    "PythonFunctionTask",
    "Resources",
    "Secret",
    "StructuredDataset",
    "StructuredDatasetFormat",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
    "WorkflowFailurePolicy",
    "conditional",
    "create_node",
    "current_context",
    "dynamic",
    "kwtypes",
    "map_task",
    "task",
    "workflow",
]

if TYPE_CHECKING:
    from aloft.errors import FlyteRecoverableException
    from aloft.sdk.conditional import conditional
    from aloft.sdk.context import ExecutionParameters, current_context
    from aloft.sdk.documentation import Description, Documentation, kwtypes
    from aloft.sdk.dynamic import DynamicWorkflowTask, dynamic
    from aloft.sdk.map_task import ArrayNodeMapTask, map_task
    from aloft.sdk.node import create_node
    from aloft.sdk.resources import Cache, PodTemplate, Resources, Secret
    from aloft.sdk.task import PythonFunctionTask, task
    from aloft.sdk.workflow import WorkflowFailurePolicy, workflow
    from aloft.types.directories import FlyteDirectory
    from aloft.types.files import FlyteFile
    from aloft.types.hash_method import HashMethod
    from aloft.types.structured import (
        StructuredDataset,
        StructuredDatasetFormat,
        StructuredDatasetTransformerEngine,
        StructuredDatasetType,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'aloft' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
