"""The running task's context, as ``current_context()`` returns it (flytekit's
``ExecutionParameters``).

It lives in a ContextVar set by the worker around the user's function (STYLE.md, point 7), so
concurrent attempts in one process each see their own. Outside a task, ``current_context()``
gives a context for local use: a working directory, a logger, unrestricted secrets, decks
that go nowhere, and no checkpoint.
"""

from __future__ import annotations

import datetime
import logging
import shutil
import tempfile
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from aloft.ir import ExecutionId, Identifier, ResourceType
from aloft.sdk.secrets import SecretsManager

if TYPE_CHECKING:
    from aloft.sdk.checkpoint import Checkpoint
    from aloft.sdk.deck import Deck, TimeLineDeck

_logger = logging.getLogger("aloft.user")


class ExecutionParameters:
    """What a task can know and use of the attempt running it.

    Attributes:
        execution_id: the execution this attempt belongs to (project, domain, name).
        task_id: the identifier of the running task.
        node: the node key within the execution (``n0``, ``n1/n0``).
        attempt: 0 for the first attempt, 1 for the first retry, ...
        execution_date: when the attempt started (UTC).
        logging: a logger for the task's own messages.
        raw_output_prefix: the blob-store folder where the attempt's offloaded values go.
        output_metadata_prefix: the attempt's own folder in the blob store.
        secrets: the secrets the task requested (:class:`aloft.sdk.secrets.SecretsManager`).
        decks: the decks of the attempt, written to its deck file when it ends.
        enable_deck: whether the task writes a deck file (``@task(enable_deck=True)``).
    """

    __slots__ = (
        "_attrs",
        "_checkpoint",
        "_default_deck",
        "_secrets",
        "_working_dir",
        "attempt",
        "decks",
        "enable_deck",
        "execution_date",
        "execution_id",
        "node",
        "output_metadata_prefix",
        "publish_decks",
        "raw_output_prefix",
        "task_id",
    )

    logging = _logger

    def __init__(
        self,
        execution_id: ExecutionId,
        task_id: Identifier,
        node: str = "",
        attempt: int = 0,
        *,
        raw_output_prefix: str = "",
        output_metadata_prefix: str = "",
        checkpoint: Checkpoint | Callable[[], Checkpoint] | None = None,
        secrets: SecretsManager | Callable[[], SecretsManager] | None = None,
        enable_deck: bool = False,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        """``checkpoint`` and ``secrets`` may be given as functions that make them, called
        only if the task uses them (most tasks use neither)."""
        self.execution_id = execution_id
        self.task_id = task_id
        self.node = node
        self.attempt = attempt
        self.execution_date = datetime.datetime.now(datetime.UTC)
        self.raw_output_prefix = raw_output_prefix
        self.output_metadata_prefix = output_metadata_prefix
        self.enable_deck = enable_deck
        self.decks: list[Deck] = []
        self.publish_decks: Callable[[], object] | None = None
        """Set by the runtime: writes the decks so far to the attempt's deck file."""
        self._checkpoint = checkpoint
        self._secrets = secrets
        self._attrs = {key.upper(): value for key, value in attrs.items()} if attrs else {}
        self._default_deck: Deck | None = None
        self._working_dir: str | None = None

    @property
    def working_directory(self) -> str:
        """A scratch folder private to this attempt, removed when the attempt ends."""
        if self._working_dir is None:
            self._working_dir = tempfile.mkdtemp(prefix="aloft-task-")
        return self._working_dir

    @property
    def secrets(self) -> SecretsManager:
        """The secrets the task requested (any, outside a task)."""
        if not isinstance(self._secrets, SecretsManager):
            self._secrets = self._secrets() if self._secrets is not None else SecretsManager()
        return self._secrets

    @property
    def checkpoint(self) -> Checkpoint:
        """The attempt's checkpoint: what it saves, and what an earlier attempt saved."""
        if self._checkpoint is None:
            raise NotImplementedError(
                "checkpoints exist only inside a running task: use current_context().checkpoint "
                "in a task's body"
            )
        if callable(self._checkpoint):
            self._checkpoint = self._checkpoint()
        return self._checkpoint

    @property
    def default_deck(self) -> Deck:
        """The deck named ``default``, for the task's own HTML."""
        if self._default_deck is None:
            from aloft.sdk.deck import Deck

            self._default_deck = Deck("default", auto_add_to_deck=False)
            self.decks.append(self._default_deck)
        return self._default_deck

    @property
    def timeline_deck(self) -> TimeLineDeck:
        """The deck of how long each part of the attempt took."""
        from aloft.sdk.deck import TimeLineDeck

        for deck in self.decks:
            if isinstance(deck, TimeLineDeck):
                return deck
        timeline = TimeLineDeck("Timeline", auto_add_to_deck=False)
        self.decks.append(timeline)
        return timeline

    def has_attr(self, name: str) -> bool:
        """Whether a task type put ``name`` in the context (flytekit's task-specific
        attributes)."""
        return name.upper() in self._attrs

    def get(self, key: str) -> Any:
        """The task-specific attribute ``key``; ``KeyError`` if the task type set none."""
        try:
            return self._attrs[key.upper()]
        except KeyError:
            raise KeyError(
                f"{key!r} is not in this task's context (task {self.task_id.name})"
            ) from None

    def cleanup(self) -> None:
        """Remove the scratch folder and the checkpoint's local copies."""
        if self._working_dir is not None:
            shutil.rmtree(self._working_dir, ignore_errors=True)
            self._working_dir = None
        if self._checkpoint is not None and not callable(self._checkpoint):
            self._checkpoint.cleanup()


_current: ContextVar[ExecutionParameters | None] = ContextVar("aloft_task_context", default=None)
_outside: ExecutionParameters | None = None


def current_context() -> ExecutionParameters:
    """The context of the running task; outside a task, a context for local use."""
    params = _current.get()
    if params is not None:
        return params
    global _outside
    if _outside is None:
        _outside = ExecutionParameters(
            ExecutionId(name="local"), Identifier(resource_type=ResourceType.TASK, name="local")
        )
    return _outside


def set_context(params: ExecutionParameters) -> object:
    """Make ``params`` the current context; returns a token for ``reset_context``."""
    return _current.set(params)


def reset_context(token: object) -> None:
    """Undo ``set_context``."""
    _current.reset(token)  # type: ignore[arg-type]
