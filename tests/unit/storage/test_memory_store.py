"""The in-memory execution store passes the execution store contract."""

from __future__ import annotations

import pytest

from aloft.storage.executions import ExecutionStore, InMemoryStore
from contracts.execution_store import ExecutionStoreContract


class TestInMemoryStore(ExecutionStoreContract):
    @pytest.fixture
    def store(self) -> ExecutionStore:
        return InMemoryStore()
