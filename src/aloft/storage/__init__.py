"""Storage: the blob store (fsspec), where an execution's data lives, offloading.

fsspec is imported only when a blob is first read or written, so importing this package
stays cheap. The metadata store lives in ``aloft.storage.executions``, code bundles (packing,
checking, the workers' cache) in ``aloft.storage.bundles``.
"""

from aloft.storage.blob import BlobStore, HashingWriter
from aloft.storage.config import (
    ConfigError,
    SecretsConfig,
    StorageConfig,
    aloft_home,
    database_url,
    load_storage_config,
    secrets_config,
    worker_count,
)
from aloft.storage.context import (
    DataContext,
    current_data_context,
    data_context,
    default_store,
    enter_data_context,
    exit_data_context,
    store_for,
)
from aloft.storage.offload import load_offloaded, offload_if_large

__all__ = [
    "BlobStore",
    "ConfigError",
    "DataContext",
    "HashingWriter",
    "SecretsConfig",
    "StorageConfig",
    "aloft_home",
    "current_data_context",
    "data_context",
    "database_url",
    "default_store",
    "enter_data_context",
    "exit_data_context",
    "load_offloaded",
    "load_storage_config",
    "offload_if_large",
    "secrets_config",
    "store_for",
    "worker_count",
]
