"""The extension API and the ready-made task types run inline, on worker processes, durably on
SQLite and on a server, and the examples run as a user runs them."""

from __future__ import annotations

import importlib
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from durable import ROOT, aloft
from s3_server import BUCKET, s3_client
from server import Server

from aloft.runner.durable import create_durable, drive
from aloft.runner.local import LocalExecution
from aloft.storage import BlobStore
from aloft.storage.executions import InMemoryStore

pytestmark = pytest.mark.integration

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures"
extension: Any = importlib.import_module("tests.fixtures.flytekit_extension")
types: Any = importlib.import_module("tests.fixtures.task_types")

CASES = [
    (extension, "dataset_wf", {"n": 3}, ["line 0", "line 1", "line 2"]),
    (types, "greet_wf", {"who": "grace", "times": 3}, "hello grace x3"),
    (types, "cheap_wf", {"limit": 20.0}, ["lamp", "pan"]),
]


def on_worker_processes(entity: Any, inputs: dict[str, Any]) -> Any:
    """Run ``entity`` on a pool of worker processes, which import its code by reference."""
    store = InMemoryStore()
    execution = create_durable(store, entity, inputs, f"t-{uuid.uuid4().hex[:8]}", str(ROOT))
    drive(store, execution, workers=1)
    return LocalExecution.of(entity, store, execution).outputs()


@pytest.mark.parametrize(("module", "name", "inputs", "expected"), CASES)
def test_inline_and_on_worker_processes(
    module: Any, name: str, inputs: dict[str, Any], expected: Any
) -> None:
    workflow = getattr(module, name)
    assert workflow(**inputs) == expected
    assert on_worker_processes(workflow, inputs) == expected


@pytest.mark.parametrize(("module", "name", "inputs", "expected"), CASES)
def test_durably_on_sqlite(
    tmp_path: Path, module: Any, name: str, inputs: dict[str, Any], expected: Any
) -> None:
    file = FIXTURES / f"{module.__name__.rsplit('.', 1)[-1]}.py"
    options = [f"--{key}={value}" for key, value in inputs.items()]
    db = f"sqlite:///{tmp_path / 'aloft.db'}"
    result = aloft("run", "--durable", "--db", db, str(file), name, *options)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(expected)


def test_a_python_task_subclass_runs_on_worker_processes_and_durably(tmp_path: Path) -> None:
    path = tmp_path / "ready.txt"
    path.write_text("ready")
    assert on_worker_processes(extension.sensor_wf, {"path": str(path)}) == "ready"
    db = f"sqlite:///{tmp_path / 'aloft.db'}"
    file = str(FIXTURES / "flytekit_extension.py")
    result = aloft("run", "--durable", "--db", db, file, "sensor_wf", "--path", str(path))
    assert (result.returncode, result.stdout) == (0, "ready\n"), result.stderr


def test_a_failing_shell_script_fails_the_durable_run_with_its_exit_code(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'aloft.db'}"
    result = aloft("run", "--durable", "--db", db, str(FIXTURES / "task_types.py"), "failing_wf")
    assert result.returncode == 1
    assert "exited with code 3" in result.stderr
    assert "it went wrong" in result.stderr


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(f"sqlite:///{tmp_path / 'server.db'}", tmp_path).start()
    try:
        yield running
    finally:
        running.stop()


def test_the_task_types_compile_register_and_run_on_a_server(server: Server) -> None:
    for file, name in (("task_types.py", "greet_wf"), ("flytekit_extension.py", "dataset_wf")):
        compiled = aloft("ir", "compile", str(FIXTURES / file), name)
        assert compiled.returncode == 0, compiled.stderr
    compiled = aloft("ir", "compile", str(FIXTURES / "task_types.py"), "greet_wf")
    assert '"type":"shell"' in compiled.stdout
    for file in ("task_types.py", "flytekit_extension.py"):
        registered = aloft("register", str(FIXTURES / file), "--remote", server.url)
        assert registered.returncode == 0, registered.stderr
    runs = [
        ("task_types.py", "greet_wf", ["--who", "alan"], "hello alan x2"),
        ("task_types.py", "cheap_wf", [], "['lamp', 'pan']"),
        ("flytekit_extension.py", "dataset_wf", ["--n", "2"], "['line 0', 'line 1']"),
    ]
    for file, name, options, expected in runs:
        result = aloft(
            "run", "--remote", server.url, "--wait", str(FIXTURES / file), name, *options
        )
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout


def test_a_file_sensor_waits_for_an_object_in_s3(store: BlobStore, endpoint: str) -> None:
    # Under the store's root, where aloft applies the store's options (endpoint, keys).
    uri = store.uri("incoming", f"{uuid.uuid4().hex}.csv")
    key = uri.removeprefix(f"s3://{BUCKET}/")
    timer = threading.Timer(
        0.5, lambda: s3_client(endpoint).put_object(Bucket=BUCKET, Key=key, Body=b"a,b\n")
    )
    timer.start()
    try:
        types.wait_for(path=uri)
    finally:
        timer.cancel()
    assert store.exists(uri)


@pytest.mark.parametrize(
    ("example", "arguments", "expected"),
    [
        ("shell_pipeline.py", ["shell_wf", "--rows", "4"], "demo: 4 rows, last square 16\n"),
        ("sql_task.py", ["sales_wf", "--min-price", "100"], "sofa: 1 sold, 420.00; "),
        ("sql_task.py", ["duckdb_wf"], "best seller sofa\n"),
    ],
)
def test_the_examples_run_as_a_user_runs_them(
    example: str, arguments: list[str], expected: str
) -> None:
    result = aloft("run", str(ROOT / "examples" / example), *arguments)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
