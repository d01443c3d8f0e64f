"""The console's pages and forms over HTTP, against a real ``aloft serve`` with real
workers: every page answers with what it should show, a refused request is a page saying
why (never a trace), and every form does what it says."""

# The fixtures are imported from console_fixtures (a conftest.py in this folder would shadow
# the integration tests' own conftest module), so tests name them as arguments.
# ruff: noqa: F401, F811

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest
from console_fixtures import console
from server import Server

from aloft.ir import ExecutionPhase
from aloft.remote import Remote, RemoteExecution

pytestmark = pytest.mark.integration

SCOPE = "/projects/default/development"


@pytest.fixture(scope="module")
def http(console: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=console.url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def every_kind(console: Server) -> RemoteExecution:
    """A finished execution with a map, a subworkflow, a conditional and a dynamic node."""
    with Remote(console.url) as remote:
        return remote.execute("console_flows.every_kind", {"n": 4}, wait=True)


def page(http: httpx.Client, url: str, status: int = 200) -> str:
    answer = http.get(url)
    assert answer.status_code == status, answer.text[:500]
    assert "Traceback" not in answer.text
    return answer.text


def test_projects_domains_and_registered_entities_have_pages(http: httpx.Client) -> None:
    assert http.get("/").headers["location"] == "/projects"
    assert f'href="{SCOPE}"' in page(http, "/projects")
    overview = page(http, SCOPE)
    assert "workflows" in overview and "launch plans" in overview
    workflows = page(http, f"{SCOPE}/workflows")
    assert "console_flows.every_kind" in workflows and "console_flows.typed" in workflows
    assert "nightly_talk" in page(http, f"{SCOPE}/launch_plans")
    assert "console_flows.square" in page(http, f"{SCOPE}/tasks")


def test_an_entity_page_shows_its_interface_versions_graph_and_form(http: httpx.Client) -> None:
    text = page(http, f"{SCOPE}/workflows/console_flows.typed")
    for shown in ("count", "ratio", "Colour", 'name="colour"', '<option value="green"', "Launch"):
        assert shown in text
    assert 'class="dag"' in text and "console_flows.describe" in text
    assert 'href="#"' not in text  # a workflow's graph links nowhere: no stops for the keyboard
    plan = page(http, f"{SCOPE}/launch_plans/nightly_talk")
    assert 'value="3"' in plan  # the plan's default fills the field
    assert "inactive" in plan and "Activate" in plan


def test_an_execution_page_draws_its_graph_values_nodes_and_timeline(
    http: httpx.Client, every_kind: RemoteExecution
) -> None:
    url = f"/executions/default/development/{every_kind.id.name}"
    text = page(http, url)
    assert "phase-succeeded" in text and 'class="dag"' in text and 'class="timeline"' in text
    assert "4 items: 4 ok" in text  # the map node, as one node
    assert "took case 1" in text  # the branch taken
    assert f"aloft://v1/default/development/{every_kind.id.name}/o/o0" in text
    assert 'data-key="n6/n0"' not in text  # the dynamic node is closed...
    opened = page(http, f"{url}?expand=n6&expand=n2")
    assert 'data-key="n6/n0"' in opened and 'data-key="n2/n0"' in opened  # ...until opened
    status = http.get(f"{url}/status", params={"expand": "n6"}).json()
    assert status["phase"] == "succeeded" and status["ended"] is True
    assert status["nodes"]["n6/n3"]["phase"] == "succeeded"
    unchanged = http.get(f"{url}/status", params={"version": status["version"]}).json()
    assert unchanged == {"version": status["version"], "unchanged": True}


def test_a_map_items_key_leads_to_its_map_and_other_keys_are_refused(
    http: httpx.Client, every_kind: RemoteExecution
) -> None:
    url = f"/executions/default/development/{every_kind.id.name}/nodes"
    item = http.get(f"{url}/n1[2]")  # as a failed item's error names it
    assert (item.status_code, item.headers["location"]) == (307, f"{url}/n1")
    assert "no map item &#39;n1[4]&#39;" in page(http, f"{url}/n1[4]", 404)  # it has items 0 to 3
    assert "no map item &#39;n0[1]&#39;" in page(http, f"{url}/n0[1]", 404)  # n0 is no map


def test_a_node_page_says_why_it_has_no_attempt_or_log(http: httpx.Client, console: Server) -> None:
    with Remote(console.url) as remote:
        silent = remote.execute("console_flows.talk", {"lines": 0}, wait=True)
        waiting = remote.execute("console_flows.gated", {"x": 1})
        try:
            silent_page = page(http, f"/executions/default/development/{silent.id.name}/nodes/n0")
            assert '<pre class="log" id="log-text"' in silent_page
            assert "(it printed nothing)</pre>" in silent_page
            later = page(http, f"/executions/default/development/{waiting.id.name}/nodes/n3")
            assert "No attempt yet." in later and "runs no task of its own" not in later
            gate = page(http, f"/executions/default/development/{waiting.id.name}/nodes/n0")
            assert "No attempts: this node runs no task of its own." in gate
        finally:
            remote.terminate(waiting)


def test_a_node_page_shows_typed_values_attempts_and_its_log(
    http: httpx.Client, console: Server
) -> None:
    with Remote(console.url) as remote:
        run = remote.execute("console_flows.talk", {"lines": 250}, wait=True)
    base = f"/executions/default/development/{run.id.name}"
    text = page(http, f"{base}/nodes/n0")
    assert "line 249" in text and "line 49\n" not in text  # the last 200 lines
    assert f"aloft://v1/default/development/{run.id.name}/n0/o/o0" in text
    [full_log] = set(re.findall(r'href="([^"]*/logs\?[^"]*)">full log', text))
    full = http.get(html.unescape(full_log))
    assert full.text.splitlines() == [f"line {i}" for i in range(250)]
    tail = http.get(f"/api/v1{base}/logs", params={"node": "n0", "tail": 2})
    assert tail.text == "line 248\nline 249\n"
    value = http.get(f"/data/v1/default/development/{run.id.name}/n0/o/o0").json()
    assert value == {"name": "o0", "type": "int", "value": 250}
    assert http.get(f"/data/v1/default/development/{run.id.name}/i/lines").json()["value"] == 250
    assert http.get(f"{base}/deck", params={"node": "n0"}).status_code == 404  # none written


def test_refused_requests_are_pages_saying_why(http: httpx.Client) -> None:
    assert "no execution" in page(http, "/executions/default/development/nope", 404)
    assert "no project" in page(http, "/projects/nope/development", 404)
    assert "no domain" in page(http, "/projects/default/qa", 404)
    assert "is not one of" in page(http, "/executions?phase=done", 422)
    assert "not KEY=VALUE" in page(http, "/executions?label=oops", 422)
    assert "not a cursor of this listing" in page(http, "/executions?cursor=zzz", 422)
    assert "not a date and time" in page(http, "/executions?created_after=soon", 422)
    assert "limit" in page(http, "/executions?limit=0", 422)
    assert "no such list" in page(http, f"{SCOPE}/gadgets", 404)
    assert "names no value" in page(http, "/data/v1/default/development/x/o", 404)
    browser = {"accept": "text/html,application/xhtml+xml"}  # a URL typed or followed
    nowhere = http.get("/executions/default/development/x/nodez", headers=browser)
    assert nowhere.status_code == 404 and "<h1>Not found</h1>" in nowhere.text
    assert "nothing is at GET /executions/default/development/x/nodez" in nowhere.text
    form_only = http.get("/executions/default/development/x/relaunch", headers=browser)
    assert form_only.status_code == 405 and "does not take GET requests" in form_only.text
    api = http.get("/api/v1/nowhere", headers=browser)  # the API answers in JSON all the same
    assert api.json() == {"error": "nothing is at GET /api/v1/nowhere"}


def test_a_form_posted_from_another_site_is_refused(
    http: httpx.Client, every_kind: RemoteExecution
) -> None:
    url = f"/executions/default/development/{every_kind.id.name}/relaunch"
    answer = http.post(url, headers={"Origin": "http://evil.example"})
    assert answer.status_code == 403 and "another site" in answer.text


def test_the_launch_form_launches_or_names_each_bad_field(http: httpx.Client) -> None:
    versions = page(http, f"{SCOPE}/workflows/console_flows.typed")
    version = versions.split("/workflows/console_flows.typed/", 1)[1].split('"', 1)[0]
    action = f"{SCOPE}/workflows/console_flows.typed/{version}/launch"
    refused = http.post(action, data={"count": "x", "ratio": "y", "name": "n", "loud": "maybe"})
    assert refused.status_code == 422
    assert refused.text.count('class="error"') == 3  # count, ratio and loud, each at its field
    assert "expected int, got &#34;x&#34;" in refused.text and 'value="x"' in refused.text
    launched = http.post(action, data={"count": "2", "ratio": "1.5", "name": "b", "loud": "true"})
    assert launched.status_code == 303
    assert launched.headers["location"].startswith("/executions/default/development/typed-")
    named = http.post(
        action, data={"count": "1", "ratio": "1", "name": "c", "_execution_name": "mine"}
    )
    assert named.headers["location"] == "/executions/default/development/mine"
    taken = http.post(
        action, data={"count": "1", "ratio": "1", "name": "c", "_execution_name": "mine"}
    )
    assert taken.status_code == 422  # said at the name's field, which keeps the name
    assert '<div class="field invalid">\n    <label for="input-_execution_name">' in taken.text
    assert 'id="input-_execution_name-error" role="alert">execution' in taken.text
    assert "already exists" in taken.text and 'value="mine"' in taken.text
    for other in ({"json": {"count": 1}}, {"files": {"count": ("count", b"1")}}):
        misposted = http.post(action, **other)  # its fields would be lost: refused, not run
        assert misposted.status_code == 422
        assert "post it as application/x-www-form-urlencoded" in misposted.text
    assert "typed-" in page(http, f"{SCOPE}/workflows/console_flows.typed/{version}")


def test_relaunch_recover_terminate_and_plan_activation(
    http: httpx.Client, console: Server
) -> None:
    with Remote(console.url) as remote:
        slow = remote.execute("console_flows.sleepy", {"seconds": 120.0})
        base = f"/executions/default/development/{slow.id.name}"
        assert http.post(f"{base}/terminate").status_code == 303
        ended = remote.wait(slow.id, timeout=60)
        assert ended.phase is ExecutionPhase.ABORTED
        again = http.post(f"{base}/terminate")
        assert again.status_code == 409 and "has already ended" in again.text
        recovered = http.post(f"{base}/recover")
        assert recovered.status_code == 303 and "/executions/" in recovered.headers["location"]
        relaunched = http.post(f"{base}/relaunch")
        assert relaunched.status_code == 303
        for started in (recovered, relaunched):
            remote.terminate(started.headers["location"].rsplit("/", 1)[1])
    plan = f"{SCOPE}/launch_plans/nightly_talk"
    version = (
        page(http, plan).split("/launch_plans/nightly_talk/", 1)[1].split('"', 1)[0].split("/")[0]
    )
    assert http.post(f"{plan}/{version}/activate").status_code == 303
    assert "this version is <strong data-plan-state>active" in page(http, plan)
    assert http.post(f"{plan}/{version}/deactivate").status_code == 303
    assert "data-plan-state>inactive" in page(http, plan)
