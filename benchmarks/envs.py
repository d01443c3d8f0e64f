"""The virtual environments of the other systems, under ``benchmarks/.envs`` (git-ignored).

Each is built from ``benchmarks/requirements-<name>.txt`` (exact ``==`` pins of everything
installed) with the interpreter that runs the suite. Creation is idempotent: a stamp file holds
a hash of the requirements file and the Python version; a matching stamp means nothing to do,
a different one means the environment is rebuilt from scratch.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from benchmarks.paths import BENCH_DIR, ENVS_DIR, REPO_VENV, redact

STAMP_NAME = ".requirements.sha256"


class EnvBuildError(RuntimeError):
    """An environment could not be built."""


def requirements_file(name: str) -> Path:
    """The pinned requirements of environment ``name``."""
    return BENCH_DIR / f"requirements-{name}.txt"


def expected_stamp(name: str) -> str:
    """What the stamp of an up-to-date environment ``name`` holds."""
    digest = hashlib.sha256(requirements_file(name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def is_current(name: str) -> bool:
    """Whether environment ``name`` exists and was built from its current requirements."""
    stamp = ENVS_DIR / name / STAMP_NAME
    return stamp.is_file() and stamp.read_text().strip() == expected_stamp(name)


def ensure_env(name: str, log: bool = True) -> Path:
    """Build environment ``name`` unless it is current; returns its folder."""
    prefix = ENVS_DIR / name
    if is_current(name):
        return prefix
    if log:
        print(f"[envs] building benchmarks/.envs/{name} from requirements-{name}.txt ...")
    if prefix.exists():
        shutil.rmtree(prefix)
    venv.EnvBuilder(with_pip=True, clear=True).create(prefix)
    install_log = ENVS_DIR / f"{name}.install.log"
    argv = [str(prefix / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    argv += ["-r", str(requirements_file(name))]
    with install_log.open("wb") as out:
        result = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        tail = install_log.read_text(errors="replace").splitlines()[-15:]
        raise EnvBuildError(
            f"pip install for benchmarks/.envs/{name} failed (exit {result.returncode}); "
            f"see benchmarks/.envs/{name}.install.log:\n" + redact("\n".join(tail))
        )
    (prefix / STAMP_NAME).write_text(expected_stamp(name) + "\n")
    if log:
        print(f"[envs] benchmarks/.envs/{name} ready")
    return prefix


def ensure_repo_venv() -> Path:
    """The repository's own .venv (``make .venv`` builds it); the aloft system runs there."""
    python = REPO_VENV / "bin" / "python"
    if not python.exists():
        raise EnvBuildError("the repository's .venv is missing: run `make .venv` first")
    return REPO_VENV


def main() -> int:
    """``python -m benchmarks.envs [NAME ...]``: build the named environments (default all)."""
    names = sys.argv[1:] or ["flytekit", "prefect", "floor", "ray", "dbos"]
    for name in names:
        ensure_env(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
