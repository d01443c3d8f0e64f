"""What importing a layer pulls in: the SDK must not drag in the runner or the engine."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_sdk_imports_neither_the_runner_nor_the_engine() -> None:
    code = (
        "import sys, aloft.sdk\n"
        "print(sorted(m for m in sys.modules if m.startswith("
        "('aloft.runner', 'aloft.engine', 'aloft.executors'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
