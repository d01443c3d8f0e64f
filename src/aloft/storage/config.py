"""Where aloft keeps things: the blob store, the metadata database, the worker pool's size.

Each setting comes from its environment variable, else the config file, else a default under
the aloft home (``ALOFT_HOME``, default ``~/.aloft``):

- blob store: ``ALOFT_STORE``, ``[storage] url``, ``{home}/store``;
- metadata database: ``ALOFT_DB``, ``[database] url``, ``sqlite:///{home}/aloft.db``;
- worker processes: ``ALOFT_WORKERS``, ``[executor] workers``, the machine's CPUs;
- the server's address: ``ALOFT_SERVER_HOST`` / ``ALOFT_SERVER_PORT``, ``[server] host`` /
  ``port``, 127.0.0.1:8420;
- the server clients talk to: ``ALOFT_REMOTE``, ``[remote] url``, http://127.0.0.1:8420;
- the largest checkpoint a task may save: ``ALOFT_CHECKPOINT_MAX_BYTES``,
  ``[storage] checkpoint_max_bytes``, 1 GiB;
- where tasks find their secrets, with flytekit's settings and defaults:
  ``FLYTE_SECRETS_ENV_PREFIX`` / ``[secrets] env_prefix`` (``_FSEC_``),
  ``FLYTE_SECRETS_DEFAULT_DIR`` / ``[secrets] default_dir`` (``/etc/secrets``),
  ``FLYTE_SECRETS_FILE_PREFIX`` / ``[secrets] file_prefix`` (none).

The config file is ``ALOFT_CONFIG`` or ``{home}/config.toml``::

    [storage]
    url = "s3://my-bucket/aloft"
    offload_threshold_bytes = 1048576
    checkpoint_max_bytes = 1073741824

    [storage.options]          # passed to fsspec for the store's protocol
    client_kwargs = { endpoint_url = "http://127.0.0.1:9000" }

    [database]
    url = "postgresql://user@db.internal/aloft"

    [executor]
    workers = 8

    [server]
    host = "0.0.0.0"
    port = 8420

    [remote]
    url = "http://aloft.internal:8420"

    [secrets]
    default_dir = "/run/secrets"
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

DEFAULT_CHECKPOINT_MAX_BYTES = 1 << 30
"""The largest checkpoint (bytes) a task may save, unless configured otherwise."""


class ConfigError(UserError):
    """The configuration file or an environment variable is malformed."""


@dataclass(frozen=True)
class StorageConfig:
    """The blob store's URL, its fsspec options, the offloading threshold and the largest
    checkpoint a task may save."""

    url: str
    options: dict[str, Any] = field(default_factory=dict)
    offload_threshold_bytes: int = DEFAULT_OFFLOAD_THRESHOLD
    checkpoint_max_bytes: int = DEFAULT_CHECKPOINT_MAX_BYTES


@dataclass(frozen=True)
class SecretsConfig:
    """Where a task's secrets are looked for, as flytekit's ``SecretsConfig``: environment
    variables named ``{env_prefix}{GROUP}_{KEY}``, files ``{default_dir}/{group}/{file_prefix}
    {key}``. ``settings`` says where the folder was set, for messages."""

    env_prefix: str = "_FSEC_"
    default_dir: str = os.path.join(os.sep, "etc", "secrets")
    file_prefix: str = ""
    settings: str = "FLYTE_SECRETS_DEFAULT_DIR or [secrets] default_dir"


def aloft_home() -> Path:
    """The folder aloft keeps its defaults in."""
    return Path(os.environ.get("ALOFT_HOME") or Path.home() / ".aloft").expanduser()


def config_path() -> Path:
    """The config file in force (which may not exist)."""
    return Path(os.environ.get("ALOFT_CONFIG") or aloft_home() / "config.toml")


def _section(name: str) -> tuple[Path, dict[str, Any]]:
    """The config file and its table ``[name]`` (empty if the file or table is missing)."""
    path = config_path()
    if not path.is_file():
        if os.environ.get("ALOFT_CONFIG"):
            raise ConfigError(f"ALOFT_CONFIG names {path}, which is not a file")
        return path, {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    section = document.get(name, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return path, section


def database_url() -> str:
    """The metadata database's SQLAlchemy URL."""
    path, section = _section("database")
    url = os.environ.get("ALOFT_DB") or section.get("url")
    if url is None:
        return f"sqlite:///{aloft_home() / 'aloft.db'}"
    if not isinstance(url, str) or not url:
        raise ConfigError(f"{path}: database.url must be a non-empty string, got {url!r}")
    return url


def worker_count() -> int:
    """How many worker processes the process executor runs."""
    path, section = _section("executor")
    text = os.environ.get("ALOFT_WORKERS")
    if text is not None:
        if not text.isdigit() or int(text) < 1:
            raise ConfigError(f"ALOFT_WORKERS must be a positive integer, got {text!r}")
        return int(text)
    workers = section.get("workers", os.cpu_count() or 1)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ConfigError(f"{path}: executor.workers must be a positive integer, got {workers!r}")
    return workers


def server_address() -> tuple[str, int | None]:
    """The address ``aloft serve`` listens on: ``ALOFT_SERVER_HOST`` / ``ALOFT_SERVER_PORT``,
    else ``[server] host`` / ``port``, else 127.0.0.1 (a port of None: the default one)."""
    path, section = _section("server")
    host = os.environ.get("ALOFT_SERVER_HOST") or section.get("host", "127.0.0.1")
    if not isinstance(host, str) or not host:
        raise ConfigError(f"{path}: server.host must be a non-empty string, got {host!r}")
    text = os.environ.get("ALOFT_SERVER_PORT")
    if text is not None:
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise ConfigError(f"ALOFT_SERVER_PORT must be a port number, got {text!r}")
        return host, int(text)
    port = section.get("port")
    if port is not None and (
        isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536
    ):
        raise ConfigError(f"{path}: server.port must be a port number, got {port!r}")
    return host, port


def remote_url() -> str | None:
    """The server the remote client and ``--remote`` talk to: ``ALOFT_REMOTE``, else
    ``[remote] url`` (None: neither is set)."""
    path, section = _section("remote")
    url = os.environ.get("ALOFT_REMOTE") or section.get("url")
    if url is not None and (
        not isinstance(url, str) or not url.startswith(("http://", "https://"))
    ):
        raise ConfigError(f"{path}: remote.url must be an http(s) URL, got {url!r}")
    return url


def _check_store_url(url: str, setting: str) -> None:
    """``ConfigError`` naming ``setting`` if ``url`` names a protocol nothing serves, or a
    local folder that is a file or cannot be created (nothing is created here)."""
    protocol, separator, rest = url.partition("://")
    if separator and protocol != "file":
        import fsspec

        try:
            fsspec.get_filesystem_class(protocol)
        except (ImportError, ValueError) as exc:
            raise ConfigError(f"{setting} is {url!r}: {exc}") from None
        return
    folder = Path(rest if separator else url).expanduser()
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"{setting} is {url!r}, but {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK):
        raise ConfigError(f"{setting} is {url!r}, but {existing} is not writable")


def load_storage_config() -> StorageConfig:
    """Read the storage settings; a malformed file is a ``ConfigError`` naming file and key."""
    path, section = _section("storage")
    url = os.environ.get("ALOFT_STORE") or section.get("url") or str(aloft_home() / "store")
    if not isinstance(url, str) or not url:
        raise ConfigError(f"{path}: storage.url must be a non-empty string, got {url!r}")
    setting = "ALOFT_STORE" if os.environ.get("ALOFT_STORE") else f"{path}: storage.url"
    _check_store_url(url, setting)
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
    return StorageConfig(
        url=url,
        options=options,
        offload_threshold_bytes=threshold,
        checkpoint_max_bytes=_checkpoint_limit(path, section),
    )


def _checkpoint_limit(path: Path, section: dict[str, Any]) -> int:
    text = os.environ.get("ALOFT_CHECKPOINT_MAX_BYTES")
    if text is not None:
        if not text.strip().isdigit() or int(text) < 1:
            raise ConfigError(
                f"ALOFT_CHECKPOINT_MAX_BYTES must be a positive integer, got {text!r}"
            )
        return int(text)
    limit = section.get("checkpoint_max_bytes", DEFAULT_CHECKPOINT_MAX_BYTES)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ConfigError(
            f"{path}: storage.checkpoint_max_bytes must be a positive integer, got {limit!r}"
        )
    return limit


def secrets_config() -> SecretsConfig:
    """Where secrets are looked for: flytekit's environment variables, else ``[secrets]`` in
    the config file, else flytekit's defaults."""
    path, section = _section("secrets")
    values: dict[str, str] = {}
    for name in ("env_prefix", "default_dir", "file_prefix"):
        variable = f"FLYTE_SECRETS_{name.upper()}"
        value = os.environ.get(variable)
        if value is None and name in section:
            value = section[name]
            if not isinstance(value, str):
                raise ConfigError(f"{path}: secrets.{name} must be a string, got {value!r}")
        if value is not None:
            values[name] = value.strip()
    if os.environ.get("FLYTE_SECRETS_DEFAULT_DIR") is not None:
        values["settings"] = "FLYTE_SECRETS_DEFAULT_DIR"
    elif "default_dir" in values:
        values["settings"] = f"{path}: secrets.default_dir"
    return SecretsConfig(**values)
