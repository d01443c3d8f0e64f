"""The compiled IR of the examples is byte-identical across checkouts, folders and runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = [("hello.py", "hello_wf"), ("etl.py", "etl_wf"), ("subworkflow.py", "parent_wf")]


def compiled(file: Path, name: str, cwd: Path) -> bytes:
    result = subprocess.run(
        [sys.executable, "-m", "aloft", "ir", "compile", str(file), name],
        cwd=cwd,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def test_examples_compile_to_the_same_bytes_anywhere(tmp_path: Path) -> None:
    first = tmp_path / "checkout-a" / "examples"
    second = tmp_path / "elsewhere" / "checkout-b" / "examples"
    shutil.copytree(ROOT / "examples", first)
    shutil.copytree(ROOT / "examples", second)
    for file, name in EXAMPLES:
        original = compiled(ROOT / "examples" / file, name, cwd=ROOT)
        assert compiled(Path("examples") / file, name, cwd=first.parent) == original
        assert compiled(second / file, name, cwd=tmp_path) == original
        assert compiled(Path(file), name, cwd=second) == original
        assert str(tmp_path).encode() not in original
        assert str(ROOT).encode() not in original
