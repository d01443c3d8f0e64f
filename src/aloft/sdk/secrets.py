"""Secrets a task reads at run time: ``current_context().secrets.get(group, key)``.

As in flytekit, a secret is looked for first in the environment variable
``{env_prefix}{GROUP}_{KEY}`` (upper case; ``_FSEC_`` by default), in a local run also in
``{GROUP}_{KEY}`` without the prefix, then in the file
``{default_dir}/{group}/{file_prefix}{key}`` (lower case; ``/etc/secrets`` by default); the
three settings are flytekit's (``FLYTE_SECRETS_ENV_PREFIX``, ``FLYTE_SECRETS_DEFAULT_DIR``,
``FLYTE_SECRETS_FILE_PREFIX``) or ``[secrets]`` in the config file. A ``Secret`` whose
``mount_requirement`` is ``ENV_VAR`` or ``FILE`` is looked for there only. A value from an
environment variable or a file is stripped of surrounding white space, as flytekit does.

Inside a task only the secrets it requested (``@task(secret_requests=[Secret(...)])``) can be
read, as on a Flyte cluster, where only those are mounted; outside a task (a test, a script)
any can. The runtime keeps the values of a task's secrets out of its stored log and deck.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from aloft.errors import UserError
from aloft.ir import Secret as SecretSpec
from aloft.storage import SecretsConfig, secrets_config


class SecretNotFoundError(UserError, ValueError):
    """A secret is not where it was looked for, or the task did not request it."""


class SecretsManager:
    """Reads secrets from environment variables and files (flytekit's ``SecretsManager``).

    ``secrets.get("db", "password")`` or, attribute style, ``secrets.db.password``.

    Args:
        secrets_cfg: Where to look; the configured places (or flytekit's defaults) if None.
        requested: When given, the only secrets that may be read (a task's requests), and
            the name of the task, for messages.
        local: Whether this is a local run, which also reads variables without the prefix
            (a task whose code comes from a server's registered bundle is not).
    """

    class _GroupSecrets:
        """The secrets of one group, read as attributes: ``secrets.db.password``."""

        def __init__(self, group: str, manager: SecretsManager) -> None:
            self._group = group
            self._manager = manager

        def __getattr__(self, key: str) -> Any:
            return self._manager.get(self._group, key)

    def __init__(
        self,
        secrets_cfg: SecretsConfig | None = None,
        requested: tuple[str, Iterable[SecretSpec]] | None = None,
        local: bool = True,
    ) -> None:
        self._config = secrets_cfg
        self._local = local
        self._task = requested[0] if requested else ""
        self._requested = (
            {(s.group, s.key, s.group_version): s for s in requested[1]} if requested else None
        )

    @property
    def config(self) -> SecretsConfig:
        """Where secrets are looked for (read from the settings on first use)."""
        if self._config is None:
            self._config = secrets_config()
        return self._config

    def __getattr__(self, group: str) -> SecretsManager._GroupSecrets:
        if group.startswith("_"):
            raise AttributeError(group)
        return SecretsManager._GroupSecrets(group, self)

    def get(
        self,
        group: str,
        key: str | None = None,
        group_version: str | None = None,
        encode_mode: str = "r",
    ) -> Any:
        """The secret ``key`` of ``group``: from its environment variable, else its file
        (read as text, or as bytes with ``encode_mode="rb"``).

        Raises:
            SecretNotFoundError: the task did not request it, or it is in neither place; the
                message names the group, the key and where it looked.
        """
        self.check_group_key(group)
        mount = self._mount_of(group, key, group_version)
        variables = self._variables(group, key, group_version)
        path = self.get_secrets_file(group, key, group_version)
        if mount != "file":
            for variable in variables:
                value = os.environ.get(variable)
                if value is not None:
                    value = value.strip()
                    return value.encode() if "b" in encode_mode else value
        if mount != "env_var" and os.path.isfile(path):
            with open(path, encode_mode) as handle:
                return handle.read().strip()
        places = []
        if mount != "file":
            which = "variables" if len(variables) > 1 else "variable"
            places.append(f"environment {which} {' and '.join(variables)}")
        if mount != "env_var":
            places.append(f"file {path} (the folder is set by {self.config.settings})")
        raise SecretNotFoundError(
            f"secret {_describe(group, key)} not found: looked in {' and '.join(places)}"
        )

    def get_secrets_env_var(
        self, group: str, key: str | None = None, group_version: str | None = None
    ) -> str:
        """The environment variable the secret is looked for in: ``_FSEC_GROUP_KEY``."""
        self.check_group_key(group)
        parts = [part.upper() for part in (group, group_version, key) if part]
        return f"{self.config.env_prefix}{'_'.join(parts)}"

    def get_secrets_file(
        self, group: str, key: str | None = None, group_version: str | None = None
    ) -> str:
        """The file the secret is looked for in: ``/etc/secrets/group/key``."""
        self.check_group_key(group)
        parts = [part.lower() for part in (group, group_version, key) if part]
        parts[-1] = f"{self.config.file_prefix}{parts[-1]}"
        return os.path.join(self.config.default_dir, *parts)

    def _variables(self, group: str, key: str | None, group_version: str | None) -> list[str]:
        """The environment variables a secret is looked for in, in order."""
        variable = self.get_secrets_env_var(group, key, group_version)
        unprefixed = variable.removeprefix(self.config.env_prefix)
        return [variable, unprefixed] if self._local and unprefixed != variable else [variable]

    @staticmethod
    def check_group_key(group: str) -> None:
        """``SecretNotFoundError`` unless ``group`` is given."""
        if not group:
            raise SecretNotFoundError("a secret's group is required, got none")

    def _mount_of(self, group: str, key: str | None, group_version: str | None) -> str:
        """How the secret may be read: ``any``, ``env_var`` or ``file``; inside a task, only
        if the task requested it."""
        if self._requested is None:
            return "any"
        spec = self._requested.get((group, key or "", group_version or ""))
        if spec is None:
            wanted = f"Secret(group={group!r}" + (f", key={key!r}" if key else "") + ")"
            raise SecretNotFoundError(
                f"task {self._task} did not request secret {_describe(group, key)}: add "
                f"{wanted} to its @task(secret_requests=[...])"
            )
        return spec.mount_requirement


def requested_values(requests: Iterable[SecretSpec], manager: SecretsManager) -> list[str]:
    """The values of the requested secrets that ``manager`` finds (to keep them out of
    logs)."""
    values = []
    for spec in requests:
        try:
            value = manager.get(spec.group, spec.key or None, spec.group_version or None)
        except SecretNotFoundError:
            continue
        if value:
            values.append(str(value))
    return values


def _describe(group: str, key: str | None) -> str:
    return f"group {group!r} key {key!r}" if key else f"group {group!r}"
