"""Registration as the server does it: the client's IR gets the registered names, the code
bundle, and digests that make registering idempotent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from aloft import FixedRate, LaunchPlan, task, workflow
from aloft.errors import InputError
from aloft.ir import (
    LaunchPlanSpec,
    ResourceType,
    TaskTarget,
    TaskTemplate,
    WorkflowClosure,
    from_json,
)
from aloft.remote.registration import draft_of
from aloft.server.registration import Draft, EntityDraft, check_drafts, default_version, stamp


@task
def add_one(x: int) -> int:
    return x + 1


@workflow
def plus_two(x: int) -> int:
    return add_one(x=add_one(x=x))


def raw_drafts(*entities: object) -> list[EntityDraft]:
    made = []
    for entity in entities or (add_one, plus_two):
        body = draft_of(entity)  # type: ignore[arg-type]
        assert body is not None
        made.append(
            EntityDraft(ResourceType(body["resource_type"]), body["template"], body["closure"])
        )
    return made


def drafts() -> list[Draft]:
    return check_drafts(raw_drafts())


def test_every_id_and_code_reference_gets_the_registered_names_and_bundle() -> None:
    registered = stamp(drafts(), "proj", "staging", "v7", "b" * 64)
    task_entity, workflow_entity = registered
    assert (task_entity.id.project, task_entity.id.domain, task_entity.id.version) == (
        "proj",
        "staging",
        "v7",
    )
    template = from_json(task_entity.template, TaskTemplate)
    assert template.code.bundle == "b" * 64
    closure = from_json(workflow_entity.closure, WorkflowClosure)
    assert closure.workflow.id.version == "v7"
    assert {t.id.version for t in closure.tasks} == {"v7"}
    assert {t.code.bundle for t in closure.tasks} == {"b" * 64}
    target = closure.workflow.nodes[0].target
    assert isinstance(target, TaskTarget)
    assert target.task.project == "proj"


def test_the_same_content_gets_the_same_version_and_digests_and_other_code_another() -> None:
    first = default_version("a" * 64, drafts())
    assert default_version("a" * 64, list(reversed(drafts()))) == first
    assert default_version("c" * 64, drafts()) != first
    same = stamp(drafts(), "p", "development", first, "a" * 64)
    again = stamp(drafts(), "p", "development", first, "a" * 64)
    assert [e.digest for e in same] == [e.digest for e in again]
    other_bundle = stamp(drafts(), "p", "development", first, "c" * 64)
    assert [e.digest for e in same] != [e.digest for e in other_bundle]


def test_labels_and_literals_that_look_like_ids_are_left_alone() -> None:
    plan = LaunchPlan.get_or_create(
        plus_two,
        name="looks_like_an_id",
        labels={"resource_type": "task", "name": "n"},
        default_inputs={"x": 1},
    )
    (registered,) = stamp(check_drafts(raw_drafts(plan)), "p", "staging", "v1", "b" * 64)
    spec = from_json(registered.template, LaunchPlanSpec)
    assert spec.labels == {"resource_type": "task", "name": "n"}
    assert spec.id.version == spec.workflow.version == "v1"


def test_a_schedule_that_cannot_fire_and_an_offloaded_literal_are_refused() -> None:
    (draft,) = raw_drafts(
        LaunchPlan.get_or_create(
            plus_two, name="hourly", schedule=FixedRate(timedelta(hours=1)), fixed_inputs={"x": 1}
        )
    )
    draft.template["schedule"]["every"] = "PT0S"
    with pytest.raises(InputError, match="schedule: a fixed rate must be a whole number"):
        check_drafts([draft])
    draft.template["schedule"] = {"kind": "cron", "expression": "61 * * * *"}
    with pytest.raises(InputError, match="cron expression '61 \\* \\* \\* \\*' is not valid"):
        check_drafts([draft])
    (with_default,) = raw_drafts(
        LaunchPlan.get_or_create(plus_two, name="d", default_inputs={"x": 2})
    )
    with_default.template["default_inputs"]["x"] = {
        "kind": "offloaded",
        "uri": "file:///etc/passwd",
        "hash": "h",
        "size": 1,
    }
    with pytest.raises(InputError, match="holds an offloaded literal"):
        check_drafts([with_default])


def test_a_draft_that_is_not_ir_is_refused_naming_it() -> None:
    good = raw_drafts()
    broken = EntityDraft(ResourceType.TASK, {"id": 1}, good[0].closure)
    with pytest.raises(InputError, match=r"entities\[1\]\.template is not a valid TaskTemplate"):
        check_drafts([good[0], broken])
    wrong_kind = EntityDraft(ResourceType.WORKFLOW, good[0].template, good[0].closure)
    with pytest.raises(InputError, match=r"entities\[0\]\.template is not a valid"):
        check_drafts([wrong_kind])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("version", "", "version '': an entity is sent as compiled"),
        ("version", "v9", "version 'v9': an entity is sent as compiled"),
        ("name", "", "name '' is not a name"),
        ("name", "a/b", "name 'a/b' is not a name"),
        ("name", "tab\there", "is not a name"),
        ("name", "x" * 501, "is not a name: 1 to 500 characters"),
    ],
)
def test_an_entity_whose_own_id_is_not_as_compiled_is_refused(
    field: str, value: str, message: str
) -> None:
    # it would keep that version (and project and domain), not the registration's
    (draft,) = raw_drafts(plus_two)
    draft.template["id"][field] = value
    draft.closure["workflow"]["id"][field] = value
    with pytest.raises(InputError, match=r"entities\[0\]\.template\.id: .*" + re.escape(message)):
        check_drafts([draft])
