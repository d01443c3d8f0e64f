"""The public surface: exactly these names, importable from ``aloft`` alone."""

from __future__ import annotations

import subprocess
import sys

import aloft

EXPECTED = [
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


def test_all_is_exactly_the_public_api() -> None:
    assert aloft.__all__ == EXPECTED


def test_every_exported_name_resolves() -> None:
    for name in aloft.__all__:
        assert getattr(aloft, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        aloft.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_importing_aloft_loads_no_heavy_module() -> None:
    code = (
        "import sys, aloft\n"
        "heavy = {'aloft.sdk', 'aloft.engine', 'click', 'pydantic', 'msgspec'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_task_and_workflow_import_without_the_cli_or_pydantic() -> None:
    code = (
        "import sys\nfrom aloft import task, workflow\n"
        "print(sorted({'click', 'pydantic', 'aloft.cli'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
