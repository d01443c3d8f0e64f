"""The contract every ``ExecutionStore`` passes, whatever keeps the records.

Subclass ``ExecutionStoreContract`` in a ``Test...`` class and give it a ``store`` fixture
that yields an empty store; the subclass then runs every test below against that store.
"""

from __future__ import annotations

import datetime

import pytest
from msgspec import structs

from aloft.ir import (
    SCHEMA_VERSION,
    AttemptRecord,
    ErrorKind,
    Event,
    EventKind,
    ExecutionError,
    ExecutionId,
    ExecutionPhase,
    ExecutionRecord,
    ExecutionSpec,
    Identifier,
    IntegerValue,
    NodeKey,
    NodePhase,
    NodeRecord,
    ResourceType,
    TaskAttemptResult,
    TypedInterface,
)
from aloft.ir.workflow import WorkflowClosure, WorkflowTemplate
from aloft.storage.executions import (
    Changes,
    ExecutionExists,
    ExecutionNotFound,
    ExecutionQuery,
    ExecutionStore,
    InvalidTransition,
    SignalConflict,
    VersionConflict,
)

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
KEY = NodeKey(path=("n0",))
HOST = "host-a"


def spec(name: str = "e1") -> ExecutionSpec:
    """The spec of an execution of an empty workflow, with one input."""
    workflow = WorkflowTemplate(
        id=Identifier(resource_type=ResourceType.WORKFLOW, name="wf"),
        interface=TypedInterface(),
        nodes=(),
    )
    return ExecutionSpec(
        id=ExecutionId(name=name, project="p", domain="d"),
        closure=WorkflowClosure(workflow=workflow),
        inputs={"x": IntegerValue(value=1)},
    )


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def token(execution: ExecutionId, number: int = 0, key: NodeKey = KEY) -> str:
    """The token of attempt ``number`` of node ``key``: unique in the store, as the engine's."""
    return f"{execution.name}:{key}:{number}"


def node(
    execution: ExecutionId,
    phase: NodePhase = NodePhase.RUNNING,
    attempt: int = 0,
    key: NodeKey = KEY,
) -> NodeRecord:
    return NodeRecord(key=key, phase=phase, attempt=attempt, token=token(execution, attempt, key))


def attempt(
    execution: ExecutionId,
    number: int = 0,
    phase: NodePhase = NodePhase.RUNNING,
    key: NodeKey = KEY,
) -> AttemptRecord:
    return AttemptRecord(
        execution=execution,
        node=key,
        number=number,
        token=token(execution, number, key),
        phase=phase,
        owner=HOST,
        lease_expires=100.0,
        started_at=T0,
    )


def event(execution: ExecutionId, phase: str, key: NodeKey = KEY) -> Event:
    return Event(execution=execution, kind=EventKind.NODE, phase=phase, occurred_at=T0, node=key)


def result(
    execution: ExecutionId, number: int = 0, error: ExecutionError | None = None
) -> TaskAttemptResult:
    return TaskAttemptResult(
        execution=execution,
        node=KEY,
        attempt=number,
        token=token(execution, number),
        outputs_uri="" if error else f"file:///out/{number}/outputs.json",
        error=error,
        worker="w1",
    )


class ExecutionStoreContract:
    """The behaviour of ``aloft.storage.executions.base.ExecutionStore``."""

    # -- helpers ---------------------------------------------------------------------------------

    def created(self, store: ExecutionStore, name: str = "e1", minutes: int = 0) -> ExecutionId:
        return store.create(spec(name), at(minutes)).id

    def started(self, store: ExecutionStore, name: str = "e1") -> tuple[ExecutionId, int]:
        """An execution RUNNING with node ``KEY`` running attempt 0; its version."""
        execution = self.created(store, name)
        record = store.load(execution).execution
        version = store.apply(
            execution,
            record.version,
            Changes(
                execution=structs.replace(record, phase=ExecutionPhase.RUNNING),
                nodes={KEY: node(execution)},
                attempts={attempt(execution).token: attempt(execution)},
                events=[event(execution, "running")],
            ),
        )
        return execution, version

    def refused(
        self, store: ExecutionStore, execution: ExecutionId, version: int, changes: Changes
    ) -> None:
        """Assert that ``changes`` is refused and that nothing of it was written."""
        before = store.load(execution)
        events = store.events(execution)
        with pytest.raises(InvalidTransition):
            store.apply(execution, version, changes)
        assert store.load(execution) == before
        assert store.events(execution) == events

    # -- executions ------------------------------------------------------------------------------

    def test_create_spec_and_load_round_trip(self, store: ExecutionStore) -> None:
        record = store.create(spec(), T0)
        assert record == ExecutionRecord(id=spec().id, created_at=T0, updated_at=T0)
        assert store.spec(record.id) == spec()
        snapshot = store.load(record.id)
        assert (snapshot.execution, snapshot.nodes, snapshot.attempts) == (record, {}, {})
        assert [(e.kind, e.phase) for e in store.events(record.id)] == [
            (EventKind.EXECUTION, "queued")
        ]

    def test_an_id_is_created_once(self, store: ExecutionStore) -> None:
        self.created(store)
        with pytest.raises(ExecutionExists):
            store.create(spec(), at(1))
        assert store.load(spec().id).execution.created_at == T0

    def test_an_unknown_id_is_not_found(self, store: ExecutionStore) -> None:
        self.created(store)
        unknown = ExecutionId(name="nope", project="p", domain="d")
        for call in (
            lambda: store.spec(unknown),
            lambda: store.load(unknown),
            lambda: store.events(unknown),
            lambda: store.apply(unknown, 0, Changes(events=[event(unknown, "running")])),
            lambda: store.request_abort(unknown),
            lambda: store.lease(unknown),
            lambda: store.take_over(HOST, unknown, "", 0.0, 1.0),
        ):
            with pytest.raises(ExecutionNotFound):
                call()

    def test_load_hands_out_copies(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        snapshot = store.load(execution)
        snapshot.nodes.clear()
        snapshot.attempts["other"] = attempt(execution, 5)
        again = store.load(execution)
        assert list(again.nodes) == [KEY]
        assert list(again.attempts) == [attempt(execution).token]

        store.apply(execution, version, Changes(nodes={KEY: node(execution, NodePhase.SUCCEEDED)}))
        assert again.execution.version == version
        assert again.nodes[KEY].phase is NodePhase.RUNNING

    def test_list_executions_newest_first_by_phase(self, store: ExecutionStore) -> None:
        for minutes, name in enumerate(["a", "b", "c"]):
            self.created(store, name, minutes)
        self.started(store, "d")
        assert [r.id.name for r in store.list_executions().records] == ["d", "c", "b", "a"]
        first = store.list_executions(ExecutionQuery(limit=2))
        assert [r.id.name for r in first.records] == ["d", "c"]
        queued = store.list_executions(ExecutionQuery(phase=ExecutionPhase.QUEUED)).records
        assert [r.id.name for r in queued] == ["c", "b", "a"]
        running = store.list_executions(ExecutionQuery(phase=ExecutionPhase.RUNNING)).records
        assert [(r.id.name, r.version) for r in running] == [("d", 1)]
        assert store.list_executions(ExecutionQuery(phase=ExecutionPhase.FAILED)).records == []

    def test_list_executions_pages_through_everything_once_either_way(
        self, store: ExecutionStore
    ) -> None:
        for minutes in range(7):
            self.created(store, f"e{minutes}", minutes)
        for oldest_first in (False, True):
            seen: list[str] = []
            after = None
            while True:
                query = ExecutionQuery(limit=3, after=after, oldest_first=oldest_first)
                page = store.list_executions(query)
                seen += [r.id.name for r in page.records]
                if page.next is None:
                    break
                after = page.next
            expected = [f"e{i}" for i in range(7)]
            assert seen == (expected if oldest_first else expected[::-1])

    def test_list_executions_filters_by_scope_entity_plan_labels_and_time(
        self, store: ExecutionStore
    ) -> None:
        plan = Identifier(resource_type=ResourceType.LAUNCH_PLAN, name="nightly")
        store.create(spec("plain"), at(0))
        store.create(
            structs.replace(spec("labelled"), labels={"team": "ml", "tier": "gold"}), at(1)
        )
        store.create(structs.replace(spec("planned"), launch_plan=plan), at(2))
        other = structs.replace(spec("elsewhere"), id=ExecutionId(name="elsewhere", project="q"))
        store.create(other, at(3))

        def names(**filters: object) -> list[str]:
            return [r.id.name for r in store.list_executions(ExecutionQuery(**filters)).records]  # type: ignore[arg-type]

        assert names(project="q") == ["elsewhere"]
        assert names(project="p", domain="d") == ["planned", "labelled", "plain"]
        assert names(launch_plan="nightly") == ["planned"]
        assert names(workflow="wf") == ["elsewhere", "planned", "labelled", "plain"]
        assert names(workflow="other") == []
        assert names(labels={"team": "ml"}) == ["labelled"]
        assert names(labels={"team": "ml", "tier": "silver"}) == []
        assert names(labels={"team": "ML"}) == []  # exactly, case included
        assert names(labels={"team": "%"}) == [] and names(labels={"team": "m_"}) == []
        assert names(created_after=at(1), created_before=at(3)) == ["planned", "labelled"]
        listed = store.list_executions(ExecutionQuery(project="p", limit=2))
        assert listed.entities == [("wf", "nightly"), ("wf", "")]  # what each one runs

    def test_records_carry_the_schema_version(self, store: ExecutionStore) -> None:
        execution, _ = self.started(store)
        snapshot = store.load(execution)
        assert snapshot.execution.schema_version == SCHEMA_VERSION
        assert snapshot.nodes[KEY].schema_version == SCHEMA_VERSION
        assert snapshot.attempts[attempt(execution).token].schema_version == SCHEMA_VERSION

    # -- apply -----------------------------------------------------------------------------------

    def test_apply_writes_everything_and_bumps_the_version(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        assert version == 1
        snapshot = store.load(execution)
        assert snapshot.execution.version == 1
        assert snapshot.execution.phase is ExecutionPhase.RUNNING
        assert snapshot.nodes == {KEY: node(execution)}
        assert snapshot.attempts == {attempt(execution).token: attempt(execution)}
        assert store.events(execution)[-1] == event(execution, "running")

        second = KEY.child("x")
        assert store.apply(execution, 1, Changes(nodes={second: node(execution, key=second)})) == 2
        snapshot = store.load(execution)
        assert snapshot.execution.version == 2
        assert snapshot.execution.phase is ExecutionPhase.RUNNING
        assert snapshot.nodes == {KEY: node(execution), second: node(execution, key=second)}

    def test_a_stale_version_conflicts_and_writes_nothing(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        before = store.load(execution)
        with pytest.raises(VersionConflict):
            store.apply(
                execution,
                version - 1,
                Changes(
                    nodes={KEY: node(execution, NodePhase.SUCCEEDED)},
                    events=[event(execution, "x")],
                ),
            )
        assert store.load(execution) == before
        assert [e.phase for e in store.events(execution)] == ["queued", "running"]

    def test_events_are_appended_once_per_key(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        twice = event(execution, "succeeded")
        version = store.apply(execution, version, Changes(events=[twice, twice]))
        later = structs.replace(twice, occurred_at=at(5), message="replayed")
        store.apply(execution, version, Changes(events=[later, event(execution, "other")]))
        assert [e.phase for e in store.events(execution)] == [
            "queued",
            "running",
            "succeeded",
            "other",
        ]
        assert store.events(execution)[2] == twice

    # -- forward-only phases ---------------------------------------------------------------------

    def test_a_running_node_cannot_go_back(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        other = KEY.child("x")
        self.refused(
            store,
            execution,
            version,
            Changes(
                nodes={
                    other: node(execution, key=other),
                    KEY: node(execution, NodePhase.NOT_STARTED),
                },
                events=[event(execution, "back")],
            ),
        )

    def test_an_attempt_number_cannot_go_down(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        version = store.apply(execution, version, Changes(nodes={KEY: node(execution, attempt=2)}))
        self.refused(store, execution, version, Changes(nodes={KEY: node(execution, attempt=1)}))

    def test_a_retry_is_a_new_attempt(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        version = store.apply(
            execution, version, Changes(nodes={KEY: node(execution, NodePhase.RETRYABLE_FAILURE)})
        )
        self.refused(
            store, execution, version, Changes(nodes={KEY: node(execution, NodePhase.RUNNING)})
        )
        version = store.apply(execution, version, Changes(nodes={KEY: node(execution, attempt=1)}))
        assert store.load(execution).nodes[KEY] == node(execution, attempt=1)

    def test_an_ended_node_is_final(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        done = node(execution, NodePhase.SUCCEEDED)
        version = store.apply(execution, version, Changes(nodes={KEY: done}))
        self.refused(
            store, execution, version, Changes(nodes={KEY: node(execution, NodePhase.RUNNING)})
        )
        changed = structs.replace(done, outputs_uri="file:///elsewhere")
        self.refused(store, execution, version, Changes(nodes={KEY: changed}))
        assert store.apply(execution, version, Changes(nodes={KEY: done})) == version + 1

    def test_an_ended_attempt_is_final(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        done = attempt(execution, phase=NodePhase.FAILED)
        version = store.apply(execution, version, Changes(attempts={done.token: done}))
        running = attempt(execution)
        self.refused(store, execution, version, Changes(attempts={done.token: running}))
        changed = structs.replace(done, outputs_uri="file:///elsewhere")
        self.refused(store, execution, version, Changes(attempts={done.token: changed}))

    def test_an_attempt_token_belongs_to_one_execution(self, store: ExecutionStore) -> None:
        first, _ = self.started(store, "e1")
        second, version = self.started(store, "e2")
        theirs = structs.replace(attempt(second), token=token(first))
        self.refused(store, second, version, Changes(attempts={theirs.token: theirs}))

    def test_an_attempt_starts_running_or_ended(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        fresh = attempt(execution, 1, NodePhase.NOT_STARTED)
        self.refused(store, execution, version, Changes(attempts={fresh.token: fresh}))

    def test_an_ended_execution_is_final(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        record = store.load(execution).execution
        done = structs.replace(record, phase=ExecutionPhase.SUCCEEDED)
        version = store.apply(execution, version, Changes(execution=done))
        back = structs.replace(record, phase=ExecutionPhase.RUNNING)
        self.refused(store, execution, version, Changes(execution=back))
        other = structs.replace(done, error=ExecutionError(kind=ErrorKind.USER, message="late"))
        self.refused(store, execution, version, Changes(execution=other))
        late_node = NodeRecord(key=NodeKey(path=("late",)), phase=NodePhase.RUNNING)
        self.refused(store, execution, version, Changes(nodes={late_node.key: late_node}))
        assert store.load(execution).execution.phase is ExecutionPhase.SUCCEEDED

    # -- results ---------------------------------------------------------------------------------

    def test_a_result_of_the_running_attempt_is_accepted(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        assert store.claim(HOST, 0.0, 60.0, 10).acquired == [execution]
        assert store.claim(HOST, 1.0, 60.0, 10).pending == []

        [outcome] = store.accept_results([result(execution)], at(3))
        assert outcome.accepted and outcome.reason == ""
        assert outcome.version == version + 1
        assert outcome.attempt == structs.replace(
            attempt(execution),
            phase=NodePhase.SUCCEEDED,
            worker="w1",
            outputs_uri="file:///out/0/outputs.json",
            ended_at=at(3),
            lease_expires=None,
        )
        snapshot = store.load(execution)
        assert snapshot.execution.version == version + 1
        assert snapshot.attempts[outcome.attempt.token] == outcome.attempt
        assert snapshot.nodes[KEY] == node(execution)
        last = store.events(execution)[-1]
        assert (last.kind, last.phase, last.node, last.version) == (
            EventKind.ATTEMPT,
            "succeeded",
            KEY,
            version + 1,
        )
        assert store.claim(HOST, 2.0, 60.0, 10).pending == [execution]

    def test_a_failure_ends_the_attempt_failed(self, store: ExecutionStore) -> None:
        execution, _ = self.started(store)
        error = ExecutionError(kind=ErrorKind.USER, message="boom")
        [outcome] = store.accept_results([result(execution, error=error)], at(3))
        assert outcome.accepted
        stored = store.load(execution).attempts[outcome.result.token]
        assert (stored.phase, stored.error) == (NodePhase.FAILED, error)
        assert store.events(execution)[-1].message == "boom"

    def assert_rejected(
        self, store: ExecutionStore, execution: ExecutionId, results: list[TaskAttemptResult]
    ) -> None:
        """Assert that every one of ``results`` is rejected and nothing is written."""
        store.claim(HOST, 0.0, 60.0, 10)
        store.apply(execution, store.load(execution).execution.version, Changes())
        before, events = store.load(execution), store.events(execution)
        outcomes = store.accept_results(results, at(3))
        assert [(o.accepted, o.result) for o in outcomes] == [(False, r) for r in results]
        assert all(o.reason and o.attempt is None for o in outcomes)
        assert store.load(execution) == before
        assert store.events(execution) == events
        assert store.claim(HOST, 1.0, 60.0, 10).pending == []

    def test_a_result_with_an_unknown_token_is_rejected(self, store: ExecutionStore) -> None:
        execution, _ = self.started(store)
        forged = structs.replace(result(execution), token="forged")
        elsewhere = structs.replace(result(execution), execution=ExecutionId(name="nope"))
        self.assert_rejected(store, execution, [forged, elsewhere])

    def test_a_result_of_a_replaced_attempt_is_rejected(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        version = store.apply(
            execution, version, Changes(nodes={KEY: node(execution, NodePhase.RETRYABLE_FAILURE)})
        )
        store.apply(
            execution,
            version,
            Changes(
                nodes={KEY: node(execution, attempt=1)},
                attempts={token(execution, 1): attempt(execution, 1)},
            ),
        )
        self.assert_rejected(store, execution, [result(execution, 0)])

    def test_a_result_of_an_ended_attempt_is_rejected(self, store: ExecutionStore) -> None:
        execution, _ = self.started(store)
        first = store.accept_results([result(execution)], at(3))
        assert first[0].accepted
        self.assert_rejected(store, execution, [result(execution)])

    def test_a_result_for_an_ended_execution_is_rejected(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        record = store.load(execution).execution
        aborted = structs.replace(record, phase=ExecutionPhase.ABORTED)
        store.apply(execution, version, Changes(execution=aborted))
        self.assert_rejected(store, execution, [result(execution)])

    def test_a_batch_sees_its_own_results(self, store: ExecutionStore) -> None:
        first, first_version = self.started(store, "a")
        second, second_version = self.started(store, "b")
        outcomes = store.accept_results(
            [result(first), result(second), result(first), result(first, 7)], at(3)
        )
        assert [o.accepted for o in outcomes] == [True, True, False, False]
        assert [o.version for o in outcomes[:2]] == [first_version + 1, second_version + 1]
        assert store.load(first).execution.version == first_version + 1
        assert store.load(second).attempts[token(second)].phase is NodePhase.SUCCEEDED
        assert store.accept_results([], at(4)) == []

    # -- abort -----------------------------------------------------------------------------------

    def test_request_abort_marks_an_unfinished_execution(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        store.claim(HOST, 0.0, 60.0, 10)
        store.apply(execution, version, Changes())
        assert store.request_abort(execution)
        record = store.load(execution).execution
        assert record.abort_requested and record.version == version + 2
        assert store.claim(HOST, 1.0, 60.0, 10).pending == [execution]
        assert store.request_abort(execution)
        assert store.load(execution).execution.version == version + 2

    def test_request_abort_of_an_ended_execution_is_refused(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        record = store.load(execution).execution
        done = structs.replace(record, phase=ExecutionPhase.FAILED)
        store.apply(execution, version, Changes(execution=done))
        before = store.load(execution)
        assert not store.request_abort(execution)
        assert store.load(execution) == before
        assert not before.execution.abort_requested

    # -- signals ---------------------------------------------------------------------------------

    def test_a_signal_is_given_once_and_marks_the_execution_pending(
        self, store: ExecutionStore
    ) -> None:
        execution, version = self.started(store)
        store.claim(HOST, 0.0, 60.0, 10)
        store.apply(execution, version, Changes())
        assert store.give_signal(execution, "go", IntegerValue(value=3))
        record = store.load(execution).execution
        assert record.signals == {"go": IntegerValue(value=3)}
        assert record.version == version + 2
        assert store.claim(HOST, 1.0, 60.0, 10).pending == [execution]
        assert store.give_signal(execution, "go", IntegerValue(value=3))  # the same: no change
        assert store.load(execution).execution.version == version + 2
        with pytest.raises(SignalConflict, match="'go'"):
            store.give_signal(execution, "go", IntegerValue(value=4))
        assert store.load(execution).execution.signals == {"go": IntegerValue(value=3)}

    def test_a_step_cannot_take_a_signal_back(self, store: ExecutionStore) -> None:
        execution, _ = self.started(store)
        store.give_signal(execution, "go", IntegerValue(value=3))
        record = store.load(execution).execution
        taken_back = structs.replace(record, signals={})
        with pytest.raises(InvalidTransition, match="signal"):
            store.apply(execution, record.version, Changes(execution=taken_back))

    def test_a_signal_to_an_ended_execution_is_refused(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        record = store.load(execution).execution
        store.apply(
            execution,
            version,
            Changes(execution=structs.replace(record, phase=ExecutionPhase.FAILED)),
        )
        assert not store.give_signal(execution, "go", IntegerValue(value=1))
        assert store.load(execution).execution.signals == {}

    # -- leases ----------------------------------------------------------------------------------

    def test_claim_takes_free_executions_up_to_the_limit(self, store: ExecutionStore) -> None:
        a, b, c = (self.created(store, name, i) for i, name in enumerate("abc"))
        claim = store.claim(HOST, 10.0, 5.0, 2)
        assert (claim.acquired, claim.pending) == ([a, b], [])
        assert store.lease(a) == (HOST, 15.0)
        assert store.lease(c) == ("", 0.0)
        claim = store.claim(HOST, 11.0, 5.0, 2)
        assert (claim.acquired, claim.pending) == ([c], [a, b])
        assert store.claim(HOST, 12.0, 5.0, 0).acquired == []

    def test_a_live_lease_is_not_taken(self, store: ExecutionStore) -> None:
        execution = self.created(store)
        store.claim(HOST, 10.0, 5.0, 10)
        assert store.claim("host-b", 14.9, 5.0, 10).acquired == []
        assert store.claim("host-b", 15.1, 5.0, 10).acquired == [execution]
        assert store.lease(execution) == ("host-b", 20.1)
        claim = store.claim(HOST, 16.0, 5.0, 10)
        assert (claim.acquired, claim.pending) == ([], [])

    def test_renew_extends_only_held_leases(self, store: ExecutionStore) -> None:
        mine, theirs = self.created(store, "a"), self.created(store, "b", 1)
        store.claim(HOST, 10.0, 5.0, 1)
        store.claim("host-b", 10.0, 5.0, 1)
        unknown = ExecutionId(name="nope")
        assert store.renew(HOST, [mine, theirs, unknown], 14.0, 5.0) == {mine}
        assert store.renew(HOST, [], 14.0, 5.0) == set()
        assert store.lease(mine) == (HOST, 19.0)
        assert store.lease(theirs) == ("host-b", 15.0)
        assert store.claim("host-b", 16.0, 5.0, 10).acquired == []

    def test_release_frees_a_lease(self, store: ExecutionStore) -> None:
        mine, theirs = self.created(store, "a"), self.created(store, "b", 1)
        store.claim(HOST, 10.0, 50.0, 1)
        store.claim("host-b", 10.0, 50.0, 1)
        store.release(HOST, [mine, theirs])
        store.release(HOST, [])
        assert store.lease(mine) == ("", 0.0)
        assert store.lease(theirs) == ("host-b", 60.0)
        assert store.claim("host-c", 11.0, 5.0, 10).acquired == [mine]

    def test_ended_executions_are_never_claimed(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        record = store.load(execution).execution
        done = structs.replace(record, phase=ExecutionPhase.SUCCEEDED)
        store.apply(execution, version, Changes(execution=done))
        for owner, now in ((HOST, 10.0), ("host-b", 99.0)):
            claim = store.claim(owner, now, 5.0, 10)
            assert (claim.acquired, claim.pending) == ([], [])

    def test_take_over_from_a_dead_owner(self, store: ExecutionStore) -> None:
        execution = self.created(store)
        store.claim("dead", 10.0, 500.0, 10)
        assert not store.take_over(HOST, execution, "someone-else", 11.0, 5.0)
        assert store.lease(execution) == ("dead", 510.0)
        assert store.take_over(HOST, execution, "dead", 11.0, 5.0)
        assert store.lease(execution) == (HOST, 16.0)
        assert store.claim(HOST, 12.0, 5.0, 10).pending == [execution]

    def test_an_ended_execution_is_not_taken_over(self, store: ExecutionStore) -> None:
        execution, version = self.started(store)
        store.claim("dead", 10.0, 500.0, 10)
        record = store.load(execution).execution
        aborted = structs.replace(record, phase=ExecutionPhase.ABORTED)
        store.apply(execution, version, Changes(execution=aborted))
        assert not store.take_over(HOST, execution, "dead", 11.0, 5.0)
        assert store.lease(execution) == ("dead", 510.0)

    def test_renew_attempts_moves_the_lease_of_running_attempts(
        self, store: ExecutionStore
    ) -> None:
        execution, version = self.started(store)
        other = KEY.child("x")
        ended = attempt(execution, phase=NodePhase.SUCCEEDED, key=other)
        store.apply(execution, version, Changes(attempts={ended.token: ended}))
        store.renew_attempts([token(execution), ended.token, "unknown"], 250.0)
        store.renew_attempts([], 300.0)
        attempts = store.load(execution).attempts
        assert attempts[token(execution)].lease_expires == 250.0
        assert attempts[ended.token] == ended
        [outcome] = store.accept_results([result(execution)], at(3))
        assert outcome.attempt is not None and outcome.attempt.lease_expires is None
        store.renew_attempts([token(execution)], 400.0)
        assert store.load(execution).attempts[token(execution)].lease_expires is None
