"""Where the blob store is: ``ALOFT_STORE``, else the config file, else ``~/.aloft/store``.

The config file is ``ALOFT_CONFIG`` or ``~/.aloft/config.toml``::

    [storage]
    url = "s3://my-bucket/aloft"
    offload_threshold_bytes = 1048576

    [storage.options]          # passed to fsspec for the store's protocol
    client_kwargs = { endpoint_url = "http://127.0.0.1:9000" }
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aloft.errors import UserError

DEFAULT_OFFLOAD_THRESHOLD = 1 << 20
"""Literals whose JSON is larger than this (bytes) are stored as blobs."""


class ConfigError(UserError):
    """The configuration file or an environment variable is malformed."""


@dataclass(frozen=True)
class StorageConfig:
    """The blob store's URL, its fsspec options and the offloading threshold."""

    url: str
    options: dict[str, Any] = field(default_factory=dict)
    offload_threshold_bytes: int = DEFAULT_OFFLOAD_THRESHOLD


def config_path() -> Path:
    """The config file in force (which may not exist)."""
    return Path(os.environ.get("ALOFT_CONFIG") or Path.home() / ".aloft" / "config.toml")


def load_storage_config() -> StorageConfig:
    """Read the storage settings; a malformed file is a ``ConfigError`` naming file and key."""
    path = config_path()
    section: dict[str, Any] = {}
    if path.is_file():
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
        section = document.get("storage", {})
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [storage] must be a table")
    url = os.environ.get("ALOFT_STORE") or section.get("url") or "~/.aloft/store"
    if not isinstance(url, str) or not url:
        raise ConfigError(f"{path}: storage.url must be a non-empty string, got {url!r}")
    options = section.get("options", {})
    if not isinstance(options, dict):
        raise ConfigError(f"{path}: storage.options must be a table")
    threshold = section.get("offload_threshold_bytes", DEFAULT_OFFLOAD_THRESHOLD)
    env_threshold = os.environ.get("ALOFT_OFFLOAD_THRESHOLD_BYTES")
    if env_threshold is not None:
        try:
            threshold = int(env_threshold)
        except ValueError:
            raise ConfigError(
                f"ALOFT_OFFLOAD_THRESHOLD_BYTES must be an integer, got {env_threshold!r}"
            ) from None
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise ConfigError(
            f"{path}: storage.offload_threshold_bytes must be a non-negative integer, "
            f"got {threshold!r}"
        )
    return StorageConfig(url=url, options=options, offload_threshold_bytes=threshold)
