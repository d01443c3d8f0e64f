"""``cache_serialize``: identical attempts of a cached task running at once compute once; the
others wait for the first one's outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from aloft import Cache, task, workflow
from aloft.errors import DecoratorError
from aloft.ir import NodePhase
from aloft.runner.local import execute


def _note(log: str, x: int) -> int:
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"{x}\n")
    return x * 10


@task(cache=True, cache_version="1", cache_serialize=True)
def expensive(log: str, x: int) -> int:
    return _note(log, x)


@task(cache=Cache(version="1", serialize=True))
def also_expensive(log: str, x: int) -> int:
    return _note(log, x)


@task
def total(values: list[int]) -> int:
    return sum(values)


@workflow
def three(log: str) -> int:
    return total(values=[expensive(log=log, x=4), expensive(log=log, x=4), expensive(log=log, x=5)])


def test_identical_serialized_attempts_compute_once_and_the_others_take_the_outputs(
    tmp_path: Path,
) -> None:
    log = tmp_path / "log"
    run = execute(three, {"log": str(log)})
    assert run.outputs() == 40 + 40 + 50
    assert sorted(log.read_text().split()) == ["4", "5"]  # x=4 computed once
    statuses = [run.node(n).cache_status.value for n in ("n0", "n1", "n2")]
    assert statuses == ["populated", "hit", "populated"]
    assert all(node.phase is NodePhase.SUCCEEDED for node in run.nodes.values())


def test_the_cache_object_form_serializes_too(tmp_path: Path) -> None:
    log = tmp_path / "log"

    @workflow
    def pair(log: str) -> int:
        return total(values=[also_expensive(log=log, x=1), also_expensive(log=log, x=1)])

    assert pair(log=str(log)) == 20
    assert log.read_text().split() == ["1"]


def test_cache_settings_are_given_one_way_only() -> None:
    with pytest.raises(DecoratorError, match=r"give the cache settings in Cache\(\.\.\.\) alone"):

        @task(cache=Cache(version="1"), cache_version="2")
        def both(x: int) -> int:
            return x
