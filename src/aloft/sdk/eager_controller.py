"""The controller an ``@eager`` body calls through: each call is a recorded child node.

The body runs in a worker, as real ``async`` Python, once per *round*. Every task, workflow
or launch plan it calls gets a deterministic id: a digest of what it calls with which inputs,
and how many identical calls the body made before it. (Not its position among all calls:
coroutines gathered together interleave differently once some of their calls are recorded.)
A call whose outcome the engine has recorded (the round's *journal*) returns its outputs at
once, or raises ``EagerException`` if it failed; a call not recorded yet is noted as pending
and the body waits for it. Once
the body can go no further, the round ends with the pending calls, which the engine runs as
child nodes of the eager node; the next round runs the body again with their outcomes in
the journal. So the body is replayed, never resumed, and a crash between rounds loses
nothing recorded: the next round returns recorded outputs without running a child again.

A call of a synchronous entity (a plain task, a workflow, a launch plan) gives its value
directly, as flytekit 1.16 does; a call of an ``async`` one (another eager workflow, an
``async def`` task) gives an awaitable, so ``asyncio.gather`` over such calls makes them
pending in the same round and the engine runs them side by side. (A round ends by raising a
``BaseException`` subclass through the body at a call with no outcome yet: a body that
catches ``BaseException`` itself, or uses a bare ``except:``, must re-raise it.)
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Coroutine, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aloft.errors import InputError, TypeTransformerError, UserError
from aloft.ir import CallOutcome, Literal, literal_hash
from aloft.sdk.location import caller_location
from aloft.types import to_literal, to_python

if TYPE_CHECKING:
    from aloft.sdk.entity import Entity

_QUIET_TURNS = 20
"""Turns of the event loop without a new pending call after which a round ends."""


class EagerException(UserError):
    """A task, workflow or launch plan called in an ``@eager`` body failed; the message is
    its error."""


class _Suspended(BaseException):
    """A synchronous call has no recorded outcome yet: the round ends here. A
    ``BaseException``, so a body's ``except Exception`` does not swallow it."""


@dataclass(frozen=True)
class PendingCall:
    """A call the body made whose outcome is not recorded yet."""

    id: str
    entity: Entity
    inputs: dict[str, Literal]


@dataclass(frozen=True)
class RoundEnd:
    """How a round ended: the body returned ``value`` (``finished``), or it waits for
    ``pending`` calls."""

    finished: bool
    value: Any = None
    pending: tuple[PendingCall, ...] = ()


@dataclass
class EagerController:
    """Hands the body's calls their recorded outcomes and notes the others."""

    journal: Mapping[str, CallOutcome]
    pending: dict[str, PendingCall] = field(default_factory=dict)
    _seen: dict[str, int] = field(default_factory=dict)
    """How many calls of each (entity, inputs) digest the body made so far."""

    def call(self, entity: Entity, kwargs: dict[str, Any]) -> Any:
        """What calling ``entity`` with ``kwargs`` inside the body gives."""
        inputs = _input_literals(entity, kwargs)
        digest = _digest(entity, inputs)
        occurrence = self._seen.get(digest, 0)
        self._seen[digest] = occurrence + 1
        call_id = f"c{digest}-{occurrence}"
        if getattr(entity, "is_async", False):
            return self._awaited(call_id, entity, inputs)
        return self._outcome(call_id, entity, inputs)

    async def _awaited(self, call_id: str, entity: Entity, inputs: dict[str, Literal]) -> Any:
        if call_id not in self.journal:
            self.pending[call_id] = PendingCall(call_id, entity, inputs)
            await asyncio.get_running_loop().create_future()  # never done: the round ends
        return self._outcome(call_id, entity, inputs)

    def _outcome(self, call_id: str, entity: Entity, inputs: dict[str, Literal]) -> Any:
        outcome = self.journal.get(call_id)
        if outcome is None:
            self.pending[call_id] = PendingCall(call_id, entity, inputs)
            raise _Suspended
        if outcome.error:
            raise EagerException(f"{entity.name} failed: {outcome.error}")
        types = entity.python_interface.outputs
        outputs = outcome.outputs or {}
        return entity.shape_outputs([to_python(outputs[name], t) for name, t in types.items()])

    async def drive(self, body: Coroutine[Any, Any, Any]) -> RoundEnd:
        """Run ``body`` until it returns or can go no further without pending calls."""
        task = asyncio.ensure_future(body)
        quiet = 0
        while not task.done() and quiet < _QUIET_TURNS:
            before = len(self.pending)
            await asyncio.sleep(0)
            quiet = quiet + 1 if self.pending and len(self.pending) == before else 0
        if not task.done():
            task.cancel()
            return RoundEnd(finished=False, pending=tuple(self.pending.values()))
        error = task.exception()
        if isinstance(error, _Suspended):
            await _settle()
            return RoundEnd(finished=False, pending=tuple(self.pending.values()))
        if error is not None:
            raise error
        return RoundEnd(finished=True, value=task.result())


async def _settle() -> None:
    """Let calls started alongside the one that suspended note themselves too."""
    for _ in range(_QUIET_TURNS):
        await asyncio.sleep(0)


_active: ContextVar[EagerController | None] = ContextVar("aloft_eager", default=None)


def active_controller() -> EagerController | None:
    """The controller of the eager body running now, if any."""
    return _active.get()


def run_body(function: Any, kwargs: dict[str, Any], journal: Mapping[str, CallOutcome]) -> RoundEnd:
    """Run one round of the ``async def`` eager body ``function`` on ``kwargs``."""
    controller = EagerController(journal)
    token = _active.set(controller)
    try:
        return asyncio.run(controller.drive(function(**kwargs)))
    finally:
        _active.reset(token)


def _input_literals(entity: Entity, kwargs: dict[str, Any]) -> dict[str, Literal]:
    interface = entity.python_interface
    where = f"{caller_location()}: {entity.name}"
    unknown = sorted(set(kwargs) - set(interface.inputs))
    if unknown:
        known = ", ".join(interface.inputs) or "none"
        raise InputError(f"{where} has no input {unknown[0]!r}; its inputs are {known}")
    literals = {}
    for name, py_type in interface.inputs.items():
        if name in kwargs:
            value = kwargs[name]
        elif name in interface.defaults:
            value = interface.defaults[name]
        else:
            raise InputError(f"{where}: missing input {name!r}")
        try:
            literals[name] = to_literal(value, py_type)
        except TypeTransformerError as exc:
            raise InputError(f"{where}: input {name!r}: {exc}") from None
    return literals


def _digest(entity: Entity, inputs: dict[str, Literal]) -> str:
    text = entity.name + "".join(f"|{k}={literal_hash(v)}" for k, v in sorted(inputs.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:8]
