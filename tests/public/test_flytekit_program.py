"""flytekit programs run unchanged but for their imports, and print what flytekit prints.

Each ``programs/NAME.py`` imports flytekit; ``programs/NAME.expected`` is its output under
flytekit 1.16.31 (``FLYTE_SDK_LOGGING_LEVEL=40``, so its log lines stay out). The test swaps
the imports for aloft's, as a Flyte user would, and nothing else.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).parent / "programs"

IMPORTS = [
    (r"^from flytekit\.testing import ", "from aloft.testing import "),
    (r"^from flytekit\.types\.\w+ import ", "from aloft import "),
    (r"^from flytekit import ", "from aloft import "),
    (r"^import flytekit$", "import aloft as flytekit"),
]


def with_aloft_imports(source: str) -> str:
    """``source`` with each flytekit import line made the same import from aloft."""
    for pattern, replacement in IMPORTS:
        source = re.sub(pattern, replacement, source, flags=re.MULTILINE)
    return source


@pytest.mark.parametrize("name", sorted(path.stem for path in PROGRAMS.glob("*.py")))
def test_a_flytekit_program_with_only_its_imports_changed_prints_the_same(
    tmp_path: Path, name: str
) -> None:
    source = (PROGRAMS / f"{name}.py").read_text()
    assert "flytekit" in source
    converted = tmp_path / f"{name}.py"
    converted.write_text(with_aloft_imports(source))
    assert "flytekit " not in converted.read_text().replace("import aloft as flytekit", "")
    result = subprocess.run(
        [sys.executable, str(converted)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (PROGRAMS / f"{name}.expected").read_text()
