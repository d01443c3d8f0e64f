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
    "Annotations": "aloft.sdk.launch_plan",
    "ArrayNodeMapTask": "aloft.sdk.map_task",
    "ArrowRenderer": "aloft.sdk.deck_renderers",
    "BaseSensor": "aloft.tasks.sensors",
    "BatchSize": "aloft.types.batches",
    "Blob": "aloft.compat.literals",
    "BlobMetadata": "aloft.compat.literals",
    "BlobType": "aloft.compat.literal_types",
    "Cache": "aloft.sdk.resources",
    "Checkpoint": "aloft.sdk.checkpoint",
    "ContainerTask": "aloft.tasks.container",
    "CronSchedule": "aloft.sdk.schedules",
    "Deck": "aloft.sdk.deck",
    "DeckField": "aloft.sdk.deck",
    "Description": "aloft.sdk.documentation",
    "Documentation": "aloft.sdk.documentation",
    "DuckDBQuery": "aloft.tasks.duckdb_query",
    "DynamicWorkflowTask": "aloft.sdk.dynamic",
    "EagerException": "aloft.sdk.eager_controller",
    "EagerWorkflowTask": "aloft.sdk.eager",
    "Email": "aloft.sdk.notifications",
    "ExecutionParameters": "aloft.sdk.context",
    "FileSensor": "aloft.tasks.sensors",
    "FixedRate": "aloft.sdk.schedules",
    "FlyteContext": "aloft.compat.context",
    "FlyteContextManager": "aloft.compat.context",
    "FlyteDirectory": "aloft.types.directories",
    "FlyteError": "aloft.types.error",
    "FlyteFile": "aloft.types.files",
    "FlyteRecoverableException": "aloft.errors",
    "HashMethod": "aloft.types.hash_method",
    "Identity": "aloft.sdk.launch_plan",
    "ImageSpec": "aloft.sdk.image_spec",
    "Labels": "aloft.sdk.launch_plan",
    "LaunchPlan": "aloft.sdk.launch_plan",
    "Literal": "aloft.compat.literals",
    "LiteralType": "aloft.compat.literal_types",
    "MarkdownRenderer": "aloft.sdk.deck_renderers",
    "OutputLocation": "aloft.tasks.shell",
    "PagerDuty": "aloft.sdk.notifications",
    "PodTemplate": "aloft.sdk.resources",
    "Primitive": "aloft.compat.literals",
    "PythonFunctionTask": "aloft.sdk.task",
    "PythonInstanceTask": "aloft.sdk.python_task",
    "PythonTask": "aloft.sdk.python_task",
    "Resources": "aloft.sdk.resources",
    "SQLTask": "aloft.tasks.sql",
    "SQLite3Config": "aloft.tasks.sqlite",
    "SQLite3Task": "aloft.tasks.sqlite",
    "Scalar": "aloft.compat.literals",
    "Secret": "aloft.sdk.resources",
    "SecretsManager": "aloft.sdk.secrets",
    "SecurityContext": "aloft.sdk.launch_plan",
    "ShellTask": "aloft.tasks.shell",
    "SimpleType": "aloft.compat.literal_types",
    "Slack": "aloft.sdk.notifications",
    "SourceCodeRenderer": "aloft.sdk.deck_renderers",
    "StructuredDataset": "aloft.types.structured",
    "StructuredDatasetDecoder": "aloft.compat.structured",
    "StructuredDatasetEncoder": "aloft.compat.structured",
    "StructuredDatasetFormat": "aloft.types.structured",
    "StructuredDatasetTransformerEngine": "aloft.types.structured",
    "StructuredDatasetType": "aloft.types.structured",
    "TaskMetadata": "aloft.sdk.task_metadata",
    "TopFrameRenderer": "aloft.sdk.deck_renderers",
    "TypeEngine": "aloft.compat.type_engine",
    "TypeTransformer": "aloft.compat.type_transformer",
    "TypeTransformerFailedError": "aloft.compat.type_transformer",
    "Webhook": "aloft.sdk.notifications",
    "Workflow": "aloft.sdk.imperative",
    "WorkflowExecutionPhase": "aloft.sdk.notifications",
    "WorkflowFailurePolicy": "aloft.sdk.workflow",
    "approve": "aloft.sdk.gates",
    "conditional": "aloft.sdk.conditional",
    "create_node": "aloft.sdk.node",
    "current_context": "aloft.sdk.context",
    "dynamic": "aloft.sdk.dynamic",
    "eager": "aloft.sdk.eager",
    "kwtypes": "aloft.sdk.documentation",
    "map_task": "aloft.sdk.map_task",
    "reference_launch_plan": "aloft.sdk.reference",
    "reference_task": "aloft.sdk.reference",
    "reference_workflow": "aloft.sdk.reference",
    "sleep": "aloft.sdk.gates",
    "task": "aloft.sdk.task",
    "wait_for_input": "aloft.sdk.gates",
    "workflow": "aloft.sdk.workflow",
}

__all__ = [
    "Annotations",
    "ArrayNodeMapTask",
    "ArrowRenderer",
    "BaseSensor",
    "BatchSize",
    "Blob",
    "BlobMetadata",
    "BlobType",
    "Cache",
    "Checkpoint",
    "ContainerTask",
    "CronSchedule",
    "Deck",
    "DeckField",
    "Description",
    "Documentation",
    "DuckDBQuery",
    "DynamicWorkflowTask",
    "EagerException",
    "EagerWorkflowTask",
    "Email",
    "ExecutionParameters",
    "FileSensor",
    "FixedRate",
    "FlyteContext",
    "FlyteContextManager",
    "FlyteDirectory",
    "FlyteError",
    "FlyteFile",
    "FlyteRecoverableException",
    "HashMethod",
    "Identity",
    "ImageSpec",
    "Labels",
    "LaunchPlan",
    "Literal",
    "LiteralType",
    "MarkdownRenderer",
    "OutputLocation",
    "PagerDuty",
    "PodTemplate",
    "Primitive",
    "PythonFunctionTask",
    "PythonInstanceTask",
    "PythonTask",
    "Resources",
    "SQLTask",
    "SQLite3Config",
    "SQLite3Task",
    "Scalar",
    "Secret",
    "SecretsManager",
    "SecurityContext",
    "ShellTask",
    "SimpleType",
    "Slack",
    "SourceCodeRenderer",
    "StructuredDataset",
    "StructuredDatasetDecoder",
    "StructuredDatasetEncoder",
    "StructuredDatasetFormat",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
    "TaskMetadata",
    "TopFrameRenderer",
    "TypeEngine",
    "TypeTransformer",
    "TypeTransformerFailedError",
    "Webhook",
    "Workflow",
    "WorkflowExecutionPhase",
    "WorkflowFailurePolicy",
    "approve",
    "conditional",
    "create_node",
    "current_context",
    "dynamic",
    "eager",
    "kwtypes",
    "map_task",
    "reference_launch_plan",
    "reference_task",
    "reference_workflow",
    "sleep",
    "task",
    "wait_for_input",
    "workflow",
]

if TYPE_CHECKING:
    from aloft.compat.context import FlyteContext, FlyteContextManager
    from aloft.compat.literal_types import BlobType, LiteralType, SimpleType
    from aloft.compat.literals import Blob, BlobMetadata, Literal, Primitive, Scalar
    from aloft.compat.structured import StructuredDatasetDecoder, StructuredDatasetEncoder
    from aloft.compat.type_engine import TypeEngine
    from aloft.compat.type_transformer import TypeTransformer, TypeTransformerFailedError
    from aloft.errors import FlyteRecoverableException
    from aloft.sdk.checkpoint import Checkpoint
    from aloft.sdk.conditional import conditional
    from aloft.sdk.context import ExecutionParameters, current_context
    from aloft.sdk.deck import Deck, DeckField
    from aloft.sdk.deck_renderers import (
        ArrowRenderer,
        MarkdownRenderer,
        SourceCodeRenderer,
        TopFrameRenderer,
    )
    from aloft.sdk.documentation import Description, Documentation, kwtypes
    from aloft.sdk.dynamic import DynamicWorkflowTask, dynamic
    from aloft.sdk.eager import EagerWorkflowTask, eager
    from aloft.sdk.eager_controller import EagerException
    from aloft.sdk.gates import approve, sleep, wait_for_input
    from aloft.sdk.image_spec import ImageSpec
    from aloft.sdk.imperative import Workflow
    from aloft.sdk.launch_plan import Annotations, Identity, Labels, LaunchPlan, SecurityContext
    from aloft.sdk.map_task import ArrayNodeMapTask, map_task
    from aloft.sdk.node import create_node
    from aloft.sdk.notifications import Email, PagerDuty, Slack, Webhook, WorkflowExecutionPhase
    from aloft.sdk.python_task import PythonInstanceTask, PythonTask
    from aloft.sdk.reference import reference_launch_plan, reference_task, reference_workflow
    from aloft.sdk.resources import Cache, PodTemplate, Resources, Secret
    from aloft.sdk.schedules import CronSchedule, FixedRate
    from aloft.sdk.secrets import SecretsManager
    from aloft.sdk.task import PythonFunctionTask, task
    from aloft.sdk.task_metadata import TaskMetadata
    from aloft.sdk.workflow import WorkflowFailurePolicy, workflow
    from aloft.tasks.container import ContainerTask
    from aloft.tasks.duckdb_query import DuckDBQuery
    from aloft.tasks.sensors import BaseSensor, FileSensor
    from aloft.tasks.shell import OutputLocation, ShellTask
    from aloft.tasks.sql import SQLTask
    from aloft.tasks.sqlite import SQLite3Config, SQLite3Task
    from aloft.types.batches import BatchSize
    from aloft.types.directories import FlyteDirectory
    from aloft.types.error import FlyteError
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
