"""The inline executor: attempts without a timeout run inside ``submit``, in this process."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from aloft.executors.inline import InlineExecutor
from aloft.ir import IntegerValue

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
tasks: Any = importlib.import_module("tests.fixtures.pool_tasks")


def test_an_attempt_is_busy_until_its_result_is_polled(tmp_path: Path) -> None:
    with InlineExecutor() as executor:
        assert not executor.busy()
        spec = tasks.attempt(tasks.add, tmp_path, a=1, b=2)
        executor.submit(spec)
        assert executor.busy()
        assert executor.in_flight() == {spec.token}
        [result] = executor.poll(0)
        assert result.outputs == {"o0": IntegerValue(value=3)}
        assert not executor.busy()
        assert executor.in_flight() == set()
