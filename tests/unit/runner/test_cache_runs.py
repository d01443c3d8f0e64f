"""A cached workflow run twice in memory: the second run reports every cached node as a hit
and runs no cached task body (durably: ``tests/integration/test_durable_cache.py``)."""

from __future__ import annotations

from pathlib import Path

from aloft import map_task, task, workflow
from aloft.ir import CacheStatus
from aloft.runner import LocalExecution
from aloft.runner.local import execute


@task(cache=True, cache_version="1")
def load(log: str, n: int) -> list[int]:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write("load\n")
    return list(range(n))


@task(cache=True, cache_version="1")
def square(log: str, x: int) -> int:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"square {x}\n")
    return x * x


@task
def total(values: list[int]) -> int:
    return sum(values)


@workflow
def pipeline(log: str, n: int) -> int:
    squares = map_task(square, bound_inputs={"log"})(x=load(log=log, n=n), log=log)
    return total(values=squares)


def _statuses(run: LocalExecution) -> list[CacheStatus]:
    return [run.node(n).cache_status for n in ("n0", "n1", "n2")]


def test_a_second_run_is_all_hits_and_runs_no_cached_body(tmp_path: Path) -> None:
    log = tmp_path / "log"
    first = execute(pipeline, {"log": str(log), "n": 3})
    assert first.outputs() == 5
    assert _statuses(first) == [CacheStatus.POPULATED, CacheStatus.POPULATED, CacheStatus.DISABLED]
    ran = log.read_text()
    second = execute(pipeline, {"log": str(log), "n": 3})
    assert second.outputs() == 5
    assert _statuses(second) == [CacheStatus.HIT, CacheStatus.HIT, CacheStatus.DISABLED]
    assert log.read_text() == ran  # no cached task body ran again
