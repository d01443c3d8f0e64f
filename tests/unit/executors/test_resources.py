"""Kubernetes quantities, what an attempt occupies, and the pool's free capacity."""

from __future__ import annotations

import pytest

from aloft.executors.resources import Capacity, Demand, demand_of
from aloft.ir import ResourceSpec
from aloft.ir.quantities import QuantityError, parse_cpu, parse_memory


@pytest.mark.parametrize(
    ("text", "millicpu"),
    [("2", 2000), ("1", 1000), ("0.5", 500), ("500m", 500), ("1.5", 1500), ("0.1m", 1)],
)
def test_cpu_quantities(text: str, millicpu: int) -> None:
    assert parse_cpu(text) == millicpu


@pytest.mark.parametrize(
    ("text", "memory"),
    [
        ("1Gi", 1024**3),
        ("512Mi", 512 * 1024**2),
        ("1G", 10**9),
        ("100M", 10**8),
        ("1.5Ki", 1536),
        ("4096", 4096),
        ("2k", 2000),
    ],
)
def test_memory_quantities(text: str, memory: int) -> None:
    assert parse_memory(text) == memory


@pytest.mark.parametrize("text", ["", "lots", "-1", "1Gb", "2 cpus", "1x"])
def test_malformed_quantities_name_the_value(text: str) -> None:
    with pytest.raises(QuantityError, match=repr(text)):
        parse_memory(text)


def test_malformed_cpu_names_the_value() -> None:
    with pytest.raises(QuantityError, match="invalid cpu quantity '2Gi'"):
        parse_cpu("2Gi")


def test_demand_is_the_request_else_the_limit_else_one_cpu_and_no_memory() -> None:
    none = ResourceSpec()
    assert demand_of(none, none) == Demand(millicpu=1000, memory=0)
    assert demand_of(ResourceSpec(cpu="500m"), ResourceSpec(cpu="2")) == Demand(500, 0)
    assert demand_of(none, ResourceSpec(cpu="2", mem="1Gi")) == Demand(2000, 1024**3)
    assert demand_of(ResourceSpec(mem="100M"), none) == Demand(1000, 10**8)


def test_capacity_takes_and_gives_back() -> None:
    capacity = Capacity(millicpu=2000, memory=10**9)
    big = Demand(millicpu=1500, memory=10**8)
    assert capacity.shortfall(big) == ""
    capacity.take(big)
    assert not capacity.fits(Demand(millicpu=1000, memory=0))
    assert capacity.fits(Demand(millicpu=500, memory=9 * 10**8))
    assert not capacity.fits(Demand(millicpu=500, memory=10**9))
    capacity.give_back(big)
    assert capacity.fits(Demand(millicpu=2000, memory=10**9))


def test_shortfall_names_the_request_and_the_capacity() -> None:
    capacity = Capacity(millicpu=2000, memory=1000)
    assert capacity.shortfall(Demand(millicpu=64000, memory=2000)) == (
        "64 cpu where the pool has 2 and 2000 bytes of memory where the pool has 1000 bytes"
    )
    assert Capacity(millicpu=2000, memory=None).shortfall(Demand(1000, 10**15)) == ""
