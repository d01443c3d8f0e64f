"""The engine host: steps the executions it holds a lease on, and acts on the steps.

A host claims executions from the store (a lease with an owner and an expiry), keeps a view
of each, and loops: take the results the executor reports into the store (fenced by token),
step every execution with pending changes (decide, apply in one version-guarded transaction,
then act: submit and cancel attempts), renew its leases and its attempts' leases, and claim
more work. Several hosts can share one store; a host that dies loses its leases and another
one (or its own restart) picks its executions up, treating the attempts it ran as lost.

A local ``wf()`` call runs the same host over the in-memory store and the inline executor.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import threading
import time
from collections.abc import Callable, Sequence

from aloft.engine.actions import (
    Action,
    CachePut,
    HoldReservation,
    Launch,
    ReleaseReservation,
    Submit,
    Terminate,
)
from aloft.engine.bindings import BindingError, LiteralLoader
from aloft.engine.compiled import Compiled
from aloft.engine.hosts import is_known_dead, new_host_id
from aloft.engine.retry import DEFAULT_SYSTEM_RETRIES
from aloft.engine.step import EngineSettings, Step
from aloft.engine.view import ExecutionView
from aloft.errors import InputError, PlatformError
from aloft.executors.base import Executor
from aloft.ir import (
    ExecutionId,
    ExecutionRecord,
    ExecutionSpec,
    Literal,
    NodePhase,
    OffloadedValue,
    OutputsDocument,
    TaskAttemptResult,
    from_json,
)
from aloft.storage import store_for
from aloft.storage.catalog import Catalog
from aloft.storage.executions import (
    ExecutionExists,
    ExecutionNotFound,
    ExecutionStore,
    VersionConflict,
)

_log = logging.getLogger("aloft.engine")

MAX_STEP_TRIES = 20
RETRY_PAUSE = 0.1
"""Seconds to wait before stepping again an execution whose step the platform failed."""
MAX_BATCH = 256
"""The most results gathered from the executor in one turn of the loop."""


class ExecutionBusy(InputError):
    """The execution is being run by another live engine host."""


class EngineHost:
    """Runs the executions of ``store`` on ``executor`` (see the module docstring).

    A host that claims new work (``claim_new``, what a server does) takes any unfinished
    execution nobody holds; one that does not (a local run) steps only those it was handed
    with ``take_over``. ``on_end`` is told of each execution this host ended, once its end is
    stored.
    """

    def __init__(
        self,
        store: ExecutionStore,
        executor: Executor,
        *,
        data_root: str,
        host_id: str | None = None,
        system_retries: int = DEFAULT_SYSTEM_RETRIES,
        lease_ttl: float = 15.0,
        attempt_lease_ttl: float = 30.0,
        claim_interval: float = 0.25,
        max_executions: int = 1000,
        batch_window: float = 0.0,
        claim_new: bool = True,
        load_offloaded: LiteralLoader | None = None,
        catalog: Catalog | None = None,
        overwrite_cache: bool = False,
        on_end: Callable[[ExecutionId], None] | None = None,
    ) -> None:
        self.store = store
        self.on_end = on_end
        self.executor = executor
        self.id = host_id or new_host_id()
        self.settings = EngineSettings(
            host=self.id,
            data_root=data_root,
            system_retries=system_retries,
            attempt_lease_ttl=attempt_lease_ttl,
            overwrite_cache=overwrite_cache,
        )
        self.catalog = catalog
        self.lease_ttl = lease_ttl
        self.claim_interval = claim_interval
        self.max_executions = max_executions
        self.batch_window = batch_window
        self.claim_new = claim_new
        self.load_offloaded = _remembering(load_offloaded) if load_offloaded else None
        self.views: dict[ExecutionId, ExecutionView] = {}
        self._watched: dict[ExecutionId, ExecutionRecord | None] = {}
        """Executions someone waits for, and their final record once this host let go."""
        self._compiled: dict[ExecutionId, Compiled] = {}
        self._specs: dict[ExecutionId, ExecutionSpec] = {}
        self._dirty: dict[ExecutionId, None] = {}
        self._outputs: dict[str, OutputsDocument] = {}
        self._next_claim = 0.0
        self._next_renew = 0.0
        self._reserved: dict[str, str] = {}
        """The attempts this host runs whose nodes hold cache reservations: token to owner."""
        self._wakes: dict[ExecutionId, float] = {}
        """When each execution with waiting nodes must be stepped again."""

    # -- running ------------------------------------------------------------------------------

    def run(
        self,
        until: Callable[[], bool],
        stop: threading.Event | None = None,
        between: Callable[[], None] | None = None,
    ) -> None:
        """Loop until ``until()`` is true or ``stop`` is set, calling ``between()`` (if
        given) after every turn."""
        stop = stop or threading.Event()
        while not until() and not stop.is_set():
            self.run_once(stop)
            if between is not None:
                between()

    def run_until_ended(
        self, execution: ExecutionId, between: Callable[[], None] | None = None
    ) -> ExecutionRecord:
        """Run until ``execution`` ends (calling ``between()`` after every turn); returns its
        final record.

        Raises ``ExecutionBusy`` if this host lost the execution to another before it ended.
        """
        if execution not in self.views:
            record = self.store.load(execution).execution
            if record.phase.is_terminal:
                return record
        self._watched[execution] = None
        try:
            self.run(lambda: self._watched[execution] is not None, between=between)
            final = self._watched[execution]
        finally:
            del self._watched[execution]
        if final is None or not final.phase.is_terminal:
            raise ExecutionBusy(f"execution {execution} was taken over by another engine host")
        return final

    def run_once(self, stop: threading.Event) -> None:
        """One turn of the loop: steps, timers, results."""
        self._step_dirty()  # before claiming: a step clears the pending mark of what it saw
        now = time.time()
        if now >= self._next_renew:
            self._renew(now)
        if now >= self._next_claim:
            self._claim(now)
        self._wake_due(now)
        self._step_dirty()
        wait = max(0.0, self._next_timer() - time.time())
        results = self._gather(0.0 if self._dirty else wait)
        if not results and not self._dirty and not self.executor.busy():
            stop.wait(wait)  # nothing runs: sleep until the next timer
        if results:
            self._take(results)
        self._step_dirty()

    def _take(self, results: list[TaskAttemptResult]) -> None:
        """Take results in: into the views of executions this host holds, to be written with
        their next step; any other through the store.

        A view is a copy of its execution's records at the version the next step's write is
        guarded by, so judging a result against it (``judge_result``, the rule the stores
        apply) and writing it in that step's transaction fences it exactly as
        ``accept_results`` would, in one transaction instead of two.
        """
        at = datetime.datetime.now(datetime.UTC)
        elsewhere = []  # executions this host no longer holds: the store judges
        for result in results:
            view = self.views.get(result.execution)
            if view is None:
                elsewhere.append(result)
            elif view.take_result(result, at):
                self._dirty[result.execution] = None
        if elsewhere:
            self.store.accept_results(elsewhere, at)

    def _gather(self, timeout: float) -> list[TaskAttemptResult]:
        """Results from the executor, waiting up to ``timeout`` for the first.

        While more attempts are in flight, results that follow within ``batch_window`` are
        taken too, so one transaction records many of them; a lone attempt (a chain) adds no
        wait, since nothing else is in flight.
        """
        results = self.executor.poll(timeout)
        if not results or not self.batch_window:
            return results
        end = time.monotonic() + self.batch_window
        while len(results) < MAX_BATCH and self.executor.busy():
            left = end - time.monotonic()
            if left <= 0:
                break
            more = self.executor.poll(left)
            if not more:
                break
            results.extend(more)
        return results

    def take_over(self, execution: ExecutionId) -> None:
        """Hold ``execution`` now: free, expired, or held by a host known to be dead.

        Raises ``ExecutionBusy`` if a live host holds it (or took it meanwhile).
        """
        now = time.time()
        owner, expires = self.store.lease(execution)
        if owner == self.id:
            return
        if owner and expires >= now and not is_known_dead(owner):
            raise ExecutionBusy(f"execution {execution} is being run by engine host {owner}")
        if not self.store.take_over(self.id, execution, owner, now, self.lease_ttl):
            if self.store.load(execution).execution.phase.is_terminal:
                raise ExecutionBusy(f"execution {execution} has ended")
            raise ExecutionBusy(f"execution {execution} was taken by another engine host")
        self._adopt(execution)

    # -- timers -------------------------------------------------------------------------------

    def _next_timer(self) -> float:
        soonest = min(self._next_claim, self._next_renew)
        return min(soonest, *self._wakes.values()) if self._wakes else soonest

    def _wake_due(self, now: float) -> None:
        for execution, due in list(self._wakes.items()):
            if due <= now:
                del self._wakes[execution]
                self._dirty[execution] = None

    def _claim(self, now: float) -> None:
        self._next_claim = now + self.claim_interval
        room = self.max_executions - len(self.views) if self.claim_new else 0
        claim = self.store.claim(self.id, now, self.lease_ttl, max(room, 0))
        for execution in claim.acquired:
            self._adopt(execution)
        for execution in claim.pending:
            view = self.views.get(execution)
            if view is not None:  # someone else wrote to it (a terminate, say)
                view.stale = True
                self._dirty[execution] = None

    def _renew(self, now: float) -> None:
        self._next_renew = now + self.lease_ttl / 3
        if self.views:
            held = self.store.renew(self.id, list(self.views), now, self.lease_ttl)
            for execution in [e for e in self.views if e not in held]:
                _log.warning("lost the lease of execution %s to another host", execution)
                self._forget(execution)
                if execution in self._watched:
                    self._watched[execution] = self.store.load(execution).execution
        in_flight = self.executor.in_flight()
        if in_flight:
            self.store.renew_attempts(in_flight, now + self.settings.attempt_lease_ttl)
        if self._reserved and self.catalog is not None:
            self._reserved = {t: o for t, o in self._reserved.items() if t in in_flight}
            expires = now + self.settings.attempt_lease_ttl
            self.catalog.extend_reservations(self._reserved.values(), expires)
        for execution, view in self.views.items():
            if view.foreign:  # their leases may have run out by now
                self._dirty[execution] = None

    # -- stepping -----------------------------------------------------------------------------

    def _adopt(self, execution: ExecutionId) -> None:
        self.views[execution] = self._load(execution)
        self._dirty[execution] = None

    def _load(
        self, execution: ExecutionId, taken: Sequence[TaskAttemptResult] = ()
    ) -> ExecutionView:
        """A fresh view of ``execution``; ``taken`` are results a discarded view had taken
        in but not written, judged again against the fresh records."""
        if execution not in self._compiled:
            spec = self.store.spec(execution)
            self._compiled[execution] = Compiled.of(spec.closure)
            self._specs[execution] = spec
        view = ExecutionView.of(self._specs[execution], self.store.load(execution), self.id)
        at = datetime.datetime.now(datetime.UTC)
        for result in taken:
            view.take_result(result, at)
        in_flight = self.executor.in_flight()
        view.foreign.update(  # ours, yet unknown to the executor: orphans of a lost result
            token
            for token, attempt in view.attempts.items()
            if attempt.phase is NodePhase.RUNNING
            and attempt.owner == self.id
            and token not in in_flight
        )
        return view

    def _step_dirty(self) -> None:
        while self._dirty:
            execution = next(iter(self._dirty))
            del self._dirty[execution]
            if execution in self.views:
                self._step(execution)

    def _step(self, execution: ExecutionId) -> None:
        """Step ``execution``; a failure of the step itself fails that execution alone."""
        try:
            self._step_until_written(execution)
        except PlatformError as exc:  # the store failed or kept conflicting: try again soon
            _log.warning("stepping execution %s failed, will retry: %s", execution, exc)
            if execution in self.views:
                self.views[execution].stale = True
                self._dirty[execution] = None
            time.sleep(RETRY_PAUSE)
        except Exception as exc:  # a bug: fail this execution, not every other one
            _log.exception("stepping execution %s failed", execution)
            self._fail(execution, f"the engine could not step it: {type(exc).__name__}: {exc}")

    def _step_until_written(self, execution: ExecutionId) -> None:
        view = self.views[execution]
        fresh = False
        for _ in range(MAX_STEP_TRIES):
            if view.stale:
                view = self.views[execution] = self._load(execution, view.taken)
                fresh = True
            now = time.time()
            lost, expired = self._lost(view, now)
            if expired and not fresh:  # leases renewed since the load do not show: look again
                view.stale = True
                continue
            actions = self._new_step(view, now).run(lost | expired)
            if view.changes:
                try:
                    version = self.store.apply(execution, view.version, view.changes)
                except VersionConflict:
                    view.stale = True
                    continue
                view.committed(version)
            self._act(execution, actions)
            if view.record.phase.is_terminal:
                self._let_go(execution, view.final_record())
            elif view.timers:
                self._wakes[execution] = min(view.timers.values())
            else:
                self._wakes.pop(execution, None)
            return
        raise VersionConflict(f"execution {execution}: gave up after {MAX_STEP_TRIES} conflicts")

    def _new_step(self, view: ExecutionView, now: float) -> Step:
        compiled = self._compiled[view.spec.id]
        return Step(
            view,
            compiled,
            self.settings,
            now,
            self._read_outputs,
            self.load_offloaded,
            self.catalog,
            self._read_execution,
        )

    def _fail(self, execution: ExecutionId, message: str) -> None:
        """End ``execution`` FAILED with ``message`` as a system error, or, if even that
        cannot be written, let it go for another host (or a restart) to pick up."""
        final: ExecutionRecord | None = None
        try:
            view = self._load(execution)
            actions = self._new_step(view, time.time()).fail(message)
            if view.changes:
                view.committed(self.store.apply(execution, view.version, view.changes))
            self._act(execution, actions)
            final = view.final_record()
        except Exception:
            _log.exception("could not record the failure of execution %s", execution)
        self._let_go(execution, final)

    def _lost(self, view: ExecutionView, now: float) -> tuple[frozenset[str], frozenset[str]]:
        """Running attempts of ``view`` whose worker is gone: (known lost, leases expired).

        Known lost: the host that ran them is known dead, or it is this host and the
        executor does not know them. An expired lease is only as fresh as the view's load.
        """
        lost, expired = [], []
        for token in list(view.foreign):
            attempt = view.attempts.get(token)
            if attempt is None or attempt.phase.is_terminal:
                view.foreign.discard(token)
            elif attempt.owner == self.id or is_known_dead(attempt.owner):
                lost.append(token)
            elif (attempt.lease_expires or 0.0) < now:
                expired.append(token)
        return frozenset(lost), frozenset(expired)

    def _act(self, execution: ExecutionId, actions: list[Action]) -> None:
        cached, released = [], []
        for action in actions:
            if isinstance(action, Submit):
                self.executor.submit(action.spec)
            elif isinstance(action, CachePut):
                cached.append(action.entry)
            elif isinstance(action, HoldReservation):
                self._reserved[action.token] = action.owner
            elif isinstance(action, ReleaseReservation):
                released.append(action.owner)
            elif isinstance(action, Launch):
                self._launch(action.spec)
            elif isinstance(action, Terminate):
                with contextlib.suppress(ExecutionNotFound):
                    self.store.request_abort(action.execution)
            else:
                self.executor.cancel(action.token)
        if cached and self.catalog is not None:
            try:
                self.catalog.put(cached)
            except Exception as exc:  # a lost entry only costs a later run its hit
                _log.warning("could not keep %d cache entries: %s", len(cached), exc)
        if released and self.catalog is not None:
            gone = set(released)
            self._reserved = {t: o for t, o in self._reserved.items() if o not in gone}
            try:
                self.catalog.release_reservations(released)
            except Exception as exc:  # it expires on its own
                _log.warning("could not release %d cache reservations: %s", len(released), exc)

    def _launch(self, spec: ExecutionSpec) -> None:
        """Create a child execution, unless a step before a crash did; a host that claims no
        new work (a local run) runs it itself."""
        if spec.id in self.views:  # running here already
            return
        with contextlib.suppress(ExecutionExists):
            self.create(spec)
        if not self.claim_new:
            with contextlib.suppress(ExecutionBusy):
                self.take_over(spec.id)

    def _read_execution(self, execution: ExecutionId) -> ExecutionRecord | None:
        try:
            return self.store.record(execution)
        except ExecutionNotFound:
            return None

    def _let_go(self, execution: ExecutionId, final: ExecutionRecord | None) -> None:
        """Stop holding ``execution``: it ended (``final``), or could not be stepped. The
        parent of an ended child execution takes its outcome: at once if this host holds it,
        else when its host is woken through the store."""
        spec = self._specs.get(execution)
        with contextlib.suppress(Exception):
            self.store.release(self.id, [execution])
        if spec is not None and spec.parent is not None and final is not None:
            parent = spec.parent.execution
            view = self.views.get(parent)
            if view is not None:  # held here: its launch plan node reads the child's end
                view.touched[spec.parent.node] = None
                self._dirty[parent] = None
            else:
                try:
                    self.store.wake(parent)
                except Exception as exc:  # its launch plan node looks again on its own
                    _log.warning("could not wake execution %s: %s", parent, exc)
        self._forget(execution)
        if execution in self._watched:
            self._watched[execution] = final or self.store.load(execution).execution
        if final is not None and self.on_end is not None:
            self.on_end(execution)

    def _forget(self, execution: ExecutionId) -> None:
        self.views.pop(execution, None)
        self._dirty.pop(execution, None)
        self._compiled.pop(execution, None)
        self._specs.pop(execution, None)
        self._wakes.pop(execution, None)

    def _read_outputs(self, uri: str) -> OutputsDocument:
        document = self._outputs.get(uri)
        if document is None:
            try:
                document = from_json(store_for(uri).read_bytes(uri), OutputsDocument)
            except Exception as exc:
                raise BindingError(f"cannot read outputs document {uri}: {exc}") from exc
            if len(self._outputs) > 10_000:
                self._outputs.clear()
            self._outputs[uri] = document
        return document

    def create(self, spec: ExecutionSpec) -> ExecutionRecord:
        """Store a new execution of ``spec`` for some host (maybe this one) to run."""
        return self.store.create(spec, datetime.datetime.now(datetime.UTC))


def _remembering(load: LiteralLoader) -> LiteralLoader:
    """``load``, remembering what it read: an offloaded value never changes (it is written
    once, under a name of its own), and an array node reads its mapped lists often."""
    remembered: dict[str, Literal] = {}

    def load_once(value: OffloadedValue) -> Literal:
        literal = remembered.get(value.uri)
        if literal is None:
            if len(remembered) > 64:
                remembered.clear()
            literal = remembered[value.uri] = load(value)
        return literal

    return load_once
