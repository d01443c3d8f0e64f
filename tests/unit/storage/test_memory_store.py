"""The in-memory execution store and catalog pass their contracts."""

from __future__ import annotations

import pytest

from aloft.storage.catalog import Catalog, InMemoryCatalog
from aloft.storage.executions import ExecutionStore, InMemoryStore
from contracts.catalog import CatalogContract
from contracts.execution_store import ExecutionStoreContract


class TestInMemoryStore(ExecutionStoreContract):
    @pytest.fixture
    def store(self) -> ExecutionStore:
        return InMemoryStore()


class TestInMemoryCatalog(CatalogContract):
    @pytest.fixture
    def catalog(self) -> Catalog:
        return InMemoryCatalog()
