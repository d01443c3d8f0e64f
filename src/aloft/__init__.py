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
    "BatchSize": "aloft.types.batches",
    "Cache": "aloft.sdk.resources",
    "Checkpoint": "aloft.sdk.checkpoint",
    "CronSchedule": "aloft.sdk.schedules",
    "Deck": "aloft.sdk.deck",
    "DeckField": "aloft.sdk.deck",
    "Description": "aloft.sdk.documentation",
    "Documentation": "aloft.sdk.documentation",
    "DynamicWorkflowTask": "aloft.sdk.dynamic",
    "EagerException": "aloft.sdk.eager_controller",
    "EagerWorkflowTask": "aloft.sdk.eager",
    "Email": "aloft.sdk.notifications",
    "ExecutionParameters": "aloft.sdk.context",
    "FixedRate": "aloft.sdk.schedules",
    "FlyteDirectory": "aloft.types.directories",
    "FlyteError": "aloft.types.error",
    "FlyteFile": "aloft.types.files",
    "FlyteRecoverableException": "aloft.errors",
    "HashMethod": "aloft.types.hash_method",
    "Identity": "aloft.sdk.launch_plan",
    "ImageSpec": "aloft.sdk.image_spec",
    "Labels": "aloft.sdk.launch_plan",
    "LaunchPlan": "aloft.sdk.launch_plan",
    "MarkdownRenderer": "aloft.sdk.deck_renderers",
    "PagerDuty": "aloft.sdk.notifications",
    "PodTemplate": "aloft.sdk.resources",
    "PythonFunctionTask": "aloft.sdk.task",
    "Resources": "aloft.sdk.resources",
    "Secret": "aloft.sdk.resources",
    "SecretsManager": "aloft.sdk.secrets",
    "SecurityContext": "aloft.sdk.launch_plan",
    "Slack": "aloft.sdk.notifications",
    "SourceCodeRenderer": "aloft.sdk.deck_renderers",
    "StructuredDataset": "aloft.types.structured",
    "StructuredDatasetFormat": "aloft.types.structured",
    "StructuredDatasetTransformerEngine": "aloft.types.structured",
    "StructuredDatasetType": "aloft.types.structured",
    "TopFrameRenderer": "aloft.sdk.deck_renderers",
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
    "BatchSize",
    "Cache",
    "Checkpoint",
    "CronSchedule",
    "Deck",
    "DeckField",
    "Description",
    "Documentation",
    "DynamicWorkflowTask",
    "EagerException",
    "EagerWorkflowTask",
    "Email",
    "ExecutionParameters",
    "FixedRate",
    "FlyteDirectory",
    "FlyteError",
    "FlyteFile",
    "FlyteRecoverableException",
    "HashMethod",
    "Identity",
    "ImageSpec",
    "Labels",
    "LaunchPlan",
    "MarkdownRenderer",
    "PagerDuty",
    "PodTemplate",
    "PythonFunctionTask",
    "Resources",
    "Secret",
    "SecretsManager",
    "SecurityContext",
    "Slack",
    "SourceCodeRenderer",
    "StructuredDataset",
    "StructuredDatasetFormat",
    "StructuredDatasetTransformerEngine",
    "StructuredDatasetType",
    "TopFrameRenderer",
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
    from aloft.sdk.reference import reference_launch_plan, reference_task, reference_workflow
    from aloft.sdk.resources import Cache, PodTemplate, Resources, Secret
    from aloft.sdk.schedules import CronSchedule, FixedRate
    from aloft.sdk.secrets import SecretsManager
    from aloft.sdk.task import PythonFunctionTask, task
    from aloft.sdk.workflow import WorkflowFailurePolicy, workflow
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
