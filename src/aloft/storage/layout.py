"""Where an execution's data lives in the blob store.

{root}/executions/{project}/{domain}/{execution}/{node}/{attempt}/
    inputs.json  outputs.json  deck.html  checkpoints/  raw/
"""

from __future__ import annotations

from aloft.ir import ExecutionId
from aloft.storage.blob import BlobStore


def attempt_prefix(store: BlobStore, execution: ExecutionId, node: str, attempt: int) -> str:
    """The folder of one attempt of one node."""
    return store.uri(
        "executions", execution.project, execution.domain, execution.name, node, str(attempt)
    )


def raw_prefix(store: BlobStore, execution: ExecutionId, node: str, attempt: int) -> str:
    """Where values an attempt offloads (files, tables, large literals) are written."""
    return attempt_prefix(store, execution, node, attempt) + "/raw"


def checkpoint_prefix(store: BlobStore, execution: ExecutionId, node: str, attempt: int) -> str:
    """Where an attempt's checkpoints are written."""
    return attempt_prefix(store, execution, node, attempt) + "/checkpoints"


def deck_uri(store: BlobStore, execution: ExecutionId, node: str, attempt: int) -> str:
    """Where an attempt's deck is written."""
    return attempt_prefix(store, execution, node, attempt) + "/deck.html"
