"""NaN and the infinities round-trip exactly wherever a float is serialised: offloaded, in
a worker process, as a compiled default, and in the cache."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aloft import task, workflow
from aloft.ir import from_json, to_json
from aloft.types import to_literal, to_python

ROOT = Path(__file__).resolve().parents[3]
SPECIAL = [float("nan"), float("inf"), float("-inf")]


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


@pytest.mark.parametrize("value", SPECIAL)
def test_a_non_finite_float_survives_json(value: float) -> None:
    literal = to_literal([value, 1.5], list[float])
    back = to_python(from_json(to_json(literal), type(literal)), list[float])
    assert _same(back[0], value) and back[1] == 1.5


@task
def passthrough(x: float) -> float:
    return x


@workflow
def defaulted(x: float = float("inf")) -> float:
    return passthrough(x=x)


def test_a_non_finite_default_compiles_and_runs() -> None:
    assert defaulted() == float("inf")
    assert b"inf" in to_json(defaulted.closure)


def test_a_cached_nan_is_found_again_by_a_later_run(tmp_path: Path) -> None:
    (tmp_path / "cached_nan.py").write_text(
        "from aloft import task\n\n"
        "@task(cache=True, cache_version='1')\n"
        "def same(x: float) -> float:\n"
        "    return x\n"
    )
    env_db = f"sqlite:///{tmp_path / 'catalog.db'}"
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "aloft", "run", "cached_nan.py", "same", "--x", "nan"],
            cwd=tmp_path,
            env={**os.environ, "ALOFT_DB": env_db},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout == "nan\n"
