"""What ``current_context()`` gives a running task, and outside one."""

from __future__ import annotations

import datetime
import importlib
import logging
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from aloft import current_context
from aloft.runner import execute

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
tasks: Any = importlib.import_module("tests.fixtures.runtime_tasks")


def test_a_task_knows_its_execution_node_attempt_and_where_its_data_goes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    execution = execute(tasks.context_wf, {})
    seen = execution.outputs()
    prefix = seen["output_metadata_prefix"]
    assert seen["execution"] == execution.spec.id.name and seen["project"] == "default"
    assert seen["task"] == "tests.fixtures.runtime_tasks.describe_context"
    assert (seen["node"], seen["attempt"], seen["decks"]) == ("n0", "0", "False")
    assert prefix.endswith(f"/executions/default/development/{seen['execution']}/n0/0")
    assert seen["raw_output_prefix"] == f"{prefix}/raw"
    assert not os.path.exists(seen["working_directory"])  # removed when the attempt ended
    started = datetime.datetime.fromisoformat(seen["date"])
    assert started.tzinfo is not None
    assert "a message from the task" in caplog.text


def test_outside_a_task_the_context_is_for_local_use() -> None:
    context = current_context()
    assert context.execution_id.name == "local"
    assert os.path.isdir(context.working_directory)
    assert isinstance(context.logging, logging.Logger)
    assert context.decks == [] or all(hasattr(d, "html") for d in context.decks)
    assert not context.has_attr("SPARK_SESSION")
    with pytest.raises(KeyError, match="'spark_session' is not in this task's context"):
        context.get("spark_session")
