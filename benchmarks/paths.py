"""Where things live, and how to keep this machine's paths out of what the suite writes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
WORKLOADS_DIR = BENCH_DIR / "workloads"
ENVS_DIR = BENCH_DIR / ".envs"
# Per-system HOME, working directory, PREFECT_HOME and scratch space; wiped at each start.
STATE_DIR = ENVS_DIR / "state"
RESULTS_MD = BENCH_DIR / "RESULTS.md"
RESULTS_JSON = BENCH_DIR / "results.json"
REPO_VENV = REPO_ROOT / ".venv"


def redact(text: str) -> str:
    """``text`` with this machine's absolute paths replaced by neutral names.

    Error output and command lines end up in RESULTS.md and results.json, which are committed:
    they must not name folders of the machine that measured them.
    """
    replacements = [
        (str(REPO_ROOT), "<repo>"),
        (sys.base_prefix, "<python>"),
        (os.path.expanduser("~"), "~"),
    ]
    for old, new in replacements:
        if old and old not in ("/", "~"):
            text = text.replace(old, new)
    return text
