"""Several engine hosts sharing one PostgreSQL database: each execution runs exactly once."""

from __future__ import annotations

import collections
import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from aloft.ir import EventKind, ExecutionId, ExecutionPhase, ExecutionSpec, IntegerValue
from aloft.runner import input_literals
from aloft.storage.executions.sql import SqlStore

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

pytestmark = pytest.mark.integration

EXECUTIONS = 50


def test_two_hosts_on_one_postgres_run_fifty_executions_each_exactly_once(
    postgres_url: str, tmp_path: Path
) -> None:
    sys.path.insert(0, str(FIXTURES))
    try:
        from durable_tasks import double_twice
    finally:
        sys.path.remove(str(FIXTURES))
    store = SqlStore(postgres_url)
    now = datetime.datetime.now(datetime.UTC)
    for index in range(EXECUTIONS):
        spec = ExecutionSpec(
            id=ExecutionId(name=f"shared-{index}"),
            closure=double_twice.closure,
            inputs=input_literals(double_twice, {"x": index}),
            code_root=str(FIXTURES),
        )
        store.create(spec, now)

    hosts = [
        subprocess.Popen(
            [
                sys.executable,
                str(FIXTURES / "engine_host.py"),
                postgres_url,
                str(tmp_path / f"tokens-{n}.txt"),
                str(EXECUTIONS),
            ],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    for host in hosts:
        _, stderr = host.communicate(timeout=240)
        assert host.returncode == 0, stderr

    tokens = [
        line for n in range(2) for line in (tmp_path / f"tokens-{n}.txt").read_text().splitlines()
    ]
    assert len(tokens) == 2 * EXECUTIONS
    assert len(set(tokens)) == len(tokens), "an attempt token was submitted twice"

    stepping_hosts: set[str] = set()
    for index in range(EXECUTIONS):
        execution = ExecutionId(name=f"shared-{index}")
        record = store.load(execution).execution
        assert record.phase is ExecutionPhase.SUCCEEDED
        assert record.outputs == {"o0": IntegerValue(value=4 * index)}
        events = store.events(execution)
        ends = [e for e in events if e.kind is EventKind.EXECUTION and e.phase == "succeeded"]
        assert len(ends) == 1
        by_version = collections.defaultdict(set)
        for event in events:
            if event.host:
                by_version[event.version].add(event.host)
        assert all(len(hosts) == 1 for hosts in by_version.values())
        owners = set().union(*by_version.values())
        assert len(owners) == 1, f"{execution} was stepped by {owners}"
        stepping_hosts |= owners
    assert len(stepping_hosts) == 2, "both hosts took a share of the executions"
    store.close()
