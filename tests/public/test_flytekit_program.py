"""A flytekit program runs unchanged but for its imports, and prints what flytekit prints.

``programs/flytekit_style.expected`` is the program's output under flytekit 1.16.31.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROGRAMS = Path(__file__).parent / "programs"


def test_a_flytekit_program_with_only_its_imports_changed_prints_the_same(tmp_path: Path) -> None:
    source = (PROGRAMS / "flytekit_style.py").read_text()
    assert "from flytekit import" in source
    converted = tmp_path / "flytekit_style.py"
    converted.write_text(source.replace("from flytekit import", "from aloft import"))
    result = subprocess.run(
        [sys.executable, str(converted)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (PROGRAMS / "flytekit_style.expected").read_text()
