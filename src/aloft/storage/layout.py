"""Where an execution's data and registered code live in the blob store.

{root}/executions/{project}/{domain}/{execution}/{node path...}[/item-{i}]/{attempt}/
    outputs.json  logs.txt  deck.html  checkpoints/  raw/
{root}/bundles/{digest}.tar.gz

Code bundles are named by the SHA-256 of their bytes, so registering the same code twice
stores it once.

An array node's items run in batch attempts, each under ``{node path...}/batch-{batch}/``.

Inputs travel inside the attempt spec and are recorded with the node, so no ``inputs.json``
is written.
"""

from __future__ import annotations

from aloft.ir import ExecutionId, NodeKey

OUTPUTS_FILE = "outputs.json"
LOG_FILE = "logs.txt"


def attempt_prefix(root: str, execution: ExecutionId, node: NodeKey, attempt: int) -> str:
    """The folder of one attempt of one node, under the store root URI ``root``."""
    return f"{_node_folder(root, execution, node)}/{attempt}"


def batch_prefix(root: str, execution: ExecutionId, node: NodeKey, batch: int) -> str:
    """The folder of batch attempt ``batch`` of array node ``node``."""
    return f"{_node_folder(root, execution, node)}/batch-{batch}"


def _node_folder(root: str, execution: ExecutionId, node: NodeKey) -> str:
    parts = [root.rstrip("/"), "executions", execution.project, execution.domain, execution.name]
    parts.extend(node.path)
    if node.item is not None:
        parts.append(f"item-{node.item}")
    return "/".join(parts)


def outputs_uri(prefix: str) -> str:
    """Where an attempt writes its outputs document."""
    return f"{prefix}/{OUTPUTS_FILE}"


def log_uri(prefix: str) -> str:
    """Where an attempt's captured stdout and stderr are stored."""
    return f"{prefix}/{LOG_FILE}"


def raw_prefix(prefix: str) -> str:
    """Where values an attempt offloads (files, tables, large literals) are written."""
    return f"{prefix}/raw"


def checkpoint_prefix(prefix: str) -> str:
    """Where an attempt's checkpoints are written."""
    return f"{prefix}/checkpoints"


def deck_uri(prefix: str) -> str:
    """Where an attempt's deck is written."""
    return f"{prefix}/deck.html"


def bundles_prefix(root: str) -> str:
    """The folder of code bundles under the store root URI ``root``."""
    return f"{root.rstrip('/')}/bundles"


def bundle_uri(bundles: str, digest: str) -> str:
    """Where the code bundle ``digest`` is stored, in the bundles folder ``bundles``."""
    return f"{bundles.rstrip('/')}/{digest}.tar.gz"
