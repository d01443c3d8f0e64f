"""``aloft ir``: the published schema and the compiled IR, and the top-level command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from aloft import ir

ROOT = Path(__file__).resolve().parents[3]


def aloft(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aloft", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_schema_is_written_atomically_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = aloft("ir", "schema", "-o", str(target))
    assert result.returncode == 0, result.stderr
    schema = json.loads(target.read_text())
    assert schema["x-aloft-schema-version"] == ir.SCHEMA_VERSION
    assert "TaskTemplate" in schema["$defs"]
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]


def test_compile_prints_the_closure_that_the_decoder_accepts() -> None:
    result = aloft("ir", "compile", "examples/hello.py", "hello_wf")
    assert result.returncode == 0, result.stderr
    closure = ir.from_json(result.stdout.strip(), ir.WorkflowClosure)
    assert closure.workflow.id.name == "hello.hello_wf"
    assert [t.id.name for t in closure.tasks] == ["hello.say_hello"]


def test_help_and_version() -> None:
    help_text = aloft("--help")
    assert help_text.returncode == 0 and "run" in help_text.stdout
    version = aloft("--version")
    assert version.returncode == 0 and version.stdout.startswith("aloft, version")


def test_an_unknown_command_is_one_line_and_exit_2() -> None:
    result = aloft("rnu")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "rnu" in result.stderr
