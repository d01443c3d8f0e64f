"""Cache entries: a cached task's outputs, keyed by what makes them the same.

The key is a digest of the task's name, its cache version, its interface and the content
hash of each input it does not ignore (``cache_ignore_input_vars``), so a new version, a
changed signature or any changed input is a miss.
"""

from __future__ import annotations

import datetime
import hashlib

from aloft.ir.base import Document
from aloft.ir.codec import to_json
from aloft.ir.hashing import literal_hash
from aloft.ir.identifiers import ExecutionId
from aloft.ir.literals import Literal
from aloft.ir.task import TaskTemplate


class CacheEntry(Document, frozen=True, kw_only=True):
    """The outputs of one run of a cached task, and where they came from."""

    key: str
    task: str
    version: str
    outputs: dict[str, Literal]
    created_at: datetime.datetime
    execution: ExecutionId | None = None
    node: str = ""


def cache_key(task: TaskTemplate, inputs: dict[str, Literal]) -> str:
    """The catalog key of ``task`` run on ``inputs``."""
    cache = task.metadata.cache
    digest = hashlib.sha256()
    for part in (task.id.name, cache.version, hashlib.sha256(to_json(task.interface)).hexdigest()):
        digest.update(part.encode() + b"\0")
    for name in sorted(inputs):
        if name not in cache.ignored_inputs:
            digest.update(f"{name}={literal_hash(inputs[name])}\0".encode())
    return digest.hexdigest()
