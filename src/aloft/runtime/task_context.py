"""What a running task reaches through ``current_context()``, built for one attempt, and the
secrets it requested kept out of what the attempt stores."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext

from aloft.ir import Secret, TaskAttemptSpec
from aloft.sdk.checkpoint import Checkpoint
from aloft.sdk.context import ExecutionParameters
from aloft.sdk.secrets import SecretsManager, requested_values
from aloft.storage.layout import checkpoint_prefix, raw_prefix

REDACTED = "[redacted]"


def attempt_secrets(spec: TaskAttemptSpec) -> SecretsManager:
    """The secrets an attempt of ``spec`` may read: its task's requests, looked for where a
    run of its code looks (a task from a server's registered bundle reads only flytekit's
    prefixed variables). They are read on first use."""
    task = spec.task
    return SecretsManager(
        requested=(task.id.name, task.secret_requests), local=not task.code.bundle
    )


def task_context(
    spec: TaskAttemptSpec,
    node: str,
    attempt: int,
    secrets: SecretsManager,
    item: int | None = None,
) -> ExecutionParameters:
    """The context of attempt ``attempt`` of ``node`` run by ``spec`` (an array item's, for
    ``item``: its checkpoint is a folder of the batch's, with no earlier one to resume). Its
    checkpoint is made only if the task uses it."""
    task = spec.task
    return ExecutionParameters(
        spec.execution,
        task.id,
        node,
        attempt,
        raw_output_prefix=raw_prefix(spec.output_prefix),
        output_metadata_prefix=spec.output_prefix,
        checkpoint=lambda: _checkpoint(spec, item),
        secrets=secrets,
        enable_deck=task.enable_deck and item is None,
    )


def _checkpoint(spec: TaskAttemptSpec, item: int | None) -> Checkpoint:
    folder = checkpoint_prefix(spec.output_prefix)
    if item is None:
        return Checkpoint(folder, spec.previous_checkpoints)
    return Checkpoint(f"{folder}/item-{item}")


def secret_environment(
    params: ExecutionParameters, requests: Sequence[Secret]
) -> AbstractContextManager[None]:
    """Set the environment variable each request names (``Secret(..., env_var="X")``) to its
    secret while the block runs, as a Flyte cluster mounts it; a missing secret fails here."""
    if not requests:
        return _UNCHANGED
    wanted = [request for request in requests if request.env_var]
    return _secrets_in_environment(params.secrets, wanted) if wanted else _UNCHANGED


_UNCHANGED: AbstractContextManager[None] = nullcontext()


@contextmanager
def _secrets_in_environment(manager: SecretsManager, wanted: list[Secret]) -> Iterator[None]:
    saved = {request.env_var: os.environ.get(request.env_var) for request in wanted}
    try:
        for request in wanted:
            value = manager.get(request.group, request.key or None, request.group_version or None)
            os.environ[request.env_var] = str(value)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Redactor:
    """Replaces the values of a task's secrets (``requests``, read through ``secrets``, the
    attempt's own manager) with ``[redacted]`` in what the attempt stores: its log, its deck,
    its error. The values are read only if there is something to redact."""

    def __init__(self, requests: Sequence[Secret], secrets: SecretsManager) -> None:
        self._requests = requests
        self.secrets = secrets
        self._values: list[str] | None = None

    @classmethod
    def for_attempt(cls, spec: TaskAttemptSpec) -> Redactor:
        """The redactor of an attempt of ``spec``, with a secrets manager of its own."""
        return cls(spec.task.secret_requests, attempt_secrets(spec))

    @property
    def values(self) -> list[str]:
        """The secrets' values, longest first (so that no part of one is left behind)."""
        if self._values is None:
            found = requested_values(self._requests, self.secrets) if self._requests else []
            self._values = sorted(set(found), key=len, reverse=True)
        return self._values

    def text(self, text: str) -> str:
        """``text`` with every secret's value replaced."""
        if not self._requests or not text:
            return text
        for value in self.values:
            text = text.replace(value, REDACTED)
        return text

    def data(self, data: bytes) -> bytes:
        """``data`` with every secret's value (UTF-8) replaced."""
        if not self._requests or not data:
            return data
        for value in self.values:
            data = data.replace(value.encode(), REDACTED.encode())
        return data

    def unfinished(self, data: bytes) -> int:
        """Where the start of a secret's value is that ``data`` ends in (``len(data)`` if it
        ends in none): more output may complete it, so only ``data`` up to there can be shown
        of output still being written."""
        end = len(data)
        if not self._requests or not data:
            return end
        for value in self.values:
            encoded = value.encode()
            for size in range(min(len(encoded) - 1, len(data)), 0, -1):
                if data.endswith(encoded[:size]):
                    end = min(end, len(data) - size)
                    break
        return end
