"""The contract every ``Catalog`` passes: subclass ``CatalogContract`` and give it a ``catalog``
fixture yielding an empty catalog."""

from __future__ import annotations

import datetime

from aloft.ir import CacheEntry, ExecutionId, IntegerValue
from aloft.storage.catalog import Catalog

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def entry(key: str, task: str = "t", minutes: int = 0, value: int = 1) -> CacheEntry:
    return CacheEntry(
        key=key,
        task=task,
        version="1",
        outputs={"o0": IntegerValue(value=value)},
        created_at=T0 + datetime.timedelta(minutes=minutes),
        execution=ExecutionId(name="e"),
        node="n0",
    )


class CatalogContract:
    """The behaviour of ``aloft.storage.catalog.Catalog``."""

    def test_what_is_put_is_found_by_key(self, catalog: Catalog) -> None:
        catalog.put([entry("a"), entry("b", value=2)])
        assert catalog.get_many(["a", "b", "c"]) == {"a": entry("a"), "b": entry("b", value=2)}
        assert catalog.get_many([]) == {}

    def test_putting_a_key_again_replaces_its_entry(self, catalog: Catalog) -> None:
        catalog.put([entry("a")])
        catalog.put([entry("a", value=5)])
        assert catalog.get_many(["a"])["a"].outputs == {"o0": IntegerValue(value=5)}
        assert len(catalog.entries()) == 1

    def test_entries_are_listed_newest_first_by_task(self, catalog: Catalog) -> None:
        catalog.put([entry("a", "t", 1), entry("b", "u", 2), entry("c", "t", 3)])
        assert [e.key for e in catalog.entries()] == ["c", "b", "a"]
        assert [e.key for e in catalog.entries("t")] == ["c", "a"]

    def test_clear_removes_by_task_and_age(self, catalog: Catalog) -> None:
        catalog.put([entry("a", "t", 1), entry("b", "u", 2), entry("c", "t", 30)])
        assert catalog.clear("t", older_than=T0 + datetime.timedelta(minutes=10)) == 1
        assert sorted(e.key for e in catalog.entries()) == ["b", "c"]
        assert catalog.clear() == 2
        assert catalog.entries() == []

    def test_a_reservation_is_held_by_one_owner_until_it_expires(self, catalog: Catalog) -> None:
        assert catalog.reserve("k", "a", now=100.0, ttl=10.0) == "a"
        assert catalog.reserve("k", "b", now=105.0, ttl=10.0) == "a"  # a holds it
        assert catalog.reserve("k", "a", now=106.0, ttl=10.0) == "a"  # renewed by its owner
        assert catalog.reserve("k", "b", now=115.0, ttl=10.0) == "a"  # still a's, to 116
        assert catalog.reserve("k", "b", now=117.0, ttl=10.0) == "b"  # expired: b takes it
        assert catalog.reserve("other", "a", now=117.0, ttl=10.0) == "a"

    def test_reservations_are_extended_and_released_by_owner(self, catalog: Catalog) -> None:
        catalog.reserve("k", "a", now=0.0, ttl=10.0)
        catalog.extend_reservations(["a"], expires=50.0)
        assert catalog.reserve("k", "b", now=40.0, ttl=10.0) == "a"
        catalog.release_reservations(["a", "unknown"])
        assert catalog.reserve("k", "b", now=41.0, ttl=10.0) == "b"
        catalog.extend_reservations([], expires=0.0)
        catalog.release_reservations([])
