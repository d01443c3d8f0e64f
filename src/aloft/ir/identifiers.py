"""Identifiers of registered entities and of executions."""

from __future__ import annotations

from enum import StrEnum

from aloft.ir.base import IRModel

DEFAULT_PROJECT = "default"
DEFAULT_DOMAIN = "development"
LOCAL_VERSION = "local"


class ResourceType(StrEnum):
    """What kind of entity an identifier names."""

    TASK = "task"
    WORKFLOW = "workflow"
    LAUNCH_PLAN = "launch_plan"


class Identifier(IRModel, frozen=True):
    """Names one version of a task, workflow or launch plan."""

    resource_type: ResourceType
    name: str
    project: str = DEFAULT_PROJECT
    domain: str = DEFAULT_DOMAIN
    version: str = LOCAL_VERSION

    def __str__(self) -> str:
        return f"{self.resource_type.value}:{self.project}/{self.domain}/{self.name}@{self.version}"

    def describe_reference(self) -> str:
        """``reference task etl.clean (project p, domain development, version v3)``."""
        kind = self.resource_type.value.replace("_", " ")
        return (
            f"reference {kind} {self.name} (project {self.project}, domain {self.domain}, "
            f"version {self.version})"
        )


class ExecutionId(IRModel, frozen=True):
    """Names one execution of a workflow, launch plan or task."""

    name: str
    project: str = DEFAULT_PROJECT
    domain: str = DEFAULT_DOMAIN

    def __str__(self) -> str:
        return f"{self.project}/{self.domain}/{self.name}"
