"""The wheel as a user installs it: a type checker reads aloft's annotations (PEP 561)."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

USER_FILE = """\
from aloft import Resources, task, workflow


@task
def double(x: int) -> int:
    return x * 2


@workflow
def wf(x: int) -> int:
    return double(x=x)


requests: Resources = Resources(cpu="1", mem="1Gi")
wrong: int = Resources(cpu="1")
"""


def test_a_type_checker_reads_the_annotations_of_the_installed_wheel(tmp_path: Path) -> None:
    """Built and unpacked into a fresh environment as pip would, the wheel carries
    ``py.typed``: mypy checks a user's file against aloft's annotations (it finds the one
    wrong assignment) instead of skipping aloft as an untyped package."""
    from hatchling.builders.wheel import WheelBuilder

    (wheel,) = WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"])
    assert "aloft/py.typed" in zipfile.ZipFile(wheel).namelist()
    venv.EnvBuilder(with_pip=False).create(tmp_path / "env")
    python = tmp_path / "env" / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    zipfile.ZipFile(wheel).extractall(purelib)
    (tmp_path / "user.py").write_text(USER_FILE)
    mypy = [sys.executable, "-m", "mypy", "--python-executable", str(python)]
    checked = subprocess.run(
        [*mypy, "--no-incremental", "--cache-dir", str(tmp_path / "cache"), "user.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 1, checked.stdout + checked.stderr
    errors = [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert errors == [
        'user.py:15: error: Incompatible types in assignment (expression has type "Resources", '
        'variable has type "int")  [assignment]'
    ]
