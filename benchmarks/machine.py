"""What was measured on what: machine, git commit, and each environment's Python and packages."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from benchmarks.paths import REPO_ROOT, redact

# Run by each environment's interpreter: its Python version and every installed distribution.
_ENV_PROBE = """
import importlib.metadata as md, json, sys
dists = {}
for dist in md.distributions():
    name = dist.metadata["Name"]
    if name:
        dists[name.lower()] = dist.version
print(json.dumps({"python": sys.version.split()[0], "packages": dict(sorted(dists.items()))}))
"""


def machine_details() -> dict[str, Any]:
    """CPU model, core count, memory, OS and the runner's Python."""
    return {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "runner_python": platform.python_version(),
    }


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def git_commit() -> dict[str, Any]:
    """The commit measured (short hash) and whether the work tree had uncommitted changes."""

    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.rstrip("\n") if result.returncode == 0 else ""

    changed = [line[3:] for line in git("status", "--porcelain").splitlines() if line]
    return {
        "commit": git("rev-parse", "--short", "HEAD") or "unknown",
        "dirty": bool(changed),
        "changed_paths": sorted({path.split("/")[0] for path in changed}),
    }


def env_details(python: Path) -> dict[str, Any]:
    """Python version and installed packages of the environment of ``python``."""
    result = subprocess.run(
        [str(python), "-c", _ENV_PROBE], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        return {"error": redact(lines[-1] if lines else f"exit {result.returncode}")}
    details: dict[str, Any] = json.loads(result.stdout)
    return details
