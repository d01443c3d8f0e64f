"""The console in a real headless Chromium against a real ``aloft serve`` with real workers:
what a person does with it, from the keyboard where a form is involved. Each test leaves a
screenshot of its last page in ``test-artifacts/console/``."""

# The fixtures are imported from console_fixtures (a conftest.py in this folder would shadow
# the integration tests' own conftest module), so tests name them as arguments.
# ruff: noqa: F401, F811

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from console_fixtures import browser, console, page, store_copies
from server import Server

from aloft.ir import ExecutionId, NodeKey
from aloft.remote import Remote
from aloft.storage import BlobStore
from aloft.storage.layout import attempt_prefix, deck_uri

pytestmark = pytest.mark.integration

TYPED = "/projects/default/development/workflows/console_flows.typed"


def badge(page: Any) -> Any:
    return page.locator("h1 [data-live-phase]")


def test_a_workflow_launched_from_its_form_is_watched_to_success_without_reloading(
    console: Server, page: Any
) -> None:
    page.goto(console.url + TYPED)
    page.get_by_label(re.compile("^count")).fill("3")
    page.get_by_label(re.compile("^ratio")).fill("0.5")
    page.get_by_label(re.compile("^name")).fill("ada")
    page.get_by_label(re.compile("^colour")).select_option("green")
    page.get_by_label(re.compile("^name")).press("Enter")  # the keyboard submits the form
    page.wait_for_url(re.compile(r"/executions/default/development/typed-[0-9a-f]{8}$"))
    page.evaluate("window.notReloaded = true")
    page.locator("h1 .badge.phase-succeeded").wait_for(timeout=60_000)
    assert page.evaluate("window.notReloaded") is True  # the page updated itself
    assert page.locator('svg g.node.phase-succeeded[data-key="n0"]').count() == 1
    assert page.locator('tr[data-key="n0"] .badge').inner_text() == "succeeded"
    page.reload()
    assert "ada: 3 x 0.5 (green)" in page.locator("section", has_text="Outputs").inner_text()


def test_a_bad_form_value_is_named_at_its_field(console: Server, page: Any) -> None:
    page.goto(console.url + TYPED)
    page.get_by_label(re.compile("^count")).fill("three")
    page.get_by_label(re.compile("^ratio")).fill("0.5")
    page.get_by_role("button", name="Launch").click()
    field = page.locator(".field.invalid")
    assert field.count() == 1
    assert field.locator("p.error").inner_text() == 'expected int, got "three"'
    count = page.get_by_label(re.compile("^count"))
    assert count.get_attribute("aria-invalid") == "true"
    assert count.input_value() == "three"  # what was typed is kept
    assert page.evaluate("document.activeElement.name") == "count"  # and has the focus
    # the missing name is named at its own field once the count is right
    count.fill("3")
    page.get_by_role("button", name="Launch").click()
    assert "missing input 'name'" in page.locator(".field.invalid p.error").inner_text()
    assert "Traceback" not in page.content()


def test_a_nodes_logs_and_deck_open_from_its_page(console: Server, page: Any) -> None:
    with Remote(console.url) as remote:
        execution = remote.execute("console_flows.talk", {"lines": 300}, wait=True)
    # Until the task runtime writes decks, the test writes one where a worker will: the
    # attempt's folder of the blob store (``deck_uri``). To switch to a real ``Deck``, run a
    # task with ``enable_deck=True`` instead and drop this write.
    write_deck(console, execution.id, NodeKey(path=("n0",)), 0)
    page.goto(f"{console.url}/executions/default/development/{execution.id.name}")
    page.locator('svg g.node[data-key="n0"] a').first.click()
    page.wait_for_url(re.compile(r"/nodes/n0$"))
    log = page.locator("#log-text")
    assert log.inner_text().splitlines()[-1] == "line 299"
    assert len(log.inner_text().splitlines()) == 200  # the tail
    with page.expect_navigation():
        page.get_by_role("link", name="full log").first.click()
    full = page.locator("body").inner_text().splitlines()
    assert full[0] == "line 0" and full[-1] == "line 299" and len(full) == 300
    page.go_back()
    answer = page.request.get(console.url + page.locator("a.deck-link").get_attribute("href"))
    assert "sandbox" in answer.headers["content-security-policy"]
    page.locator("a.deck-link").click()
    assert page.locator("h1").inner_text() == "A deck of talk"
    # the deck runs sandboxed: its script ran, as an origin of its own
    assert page.locator("#origin").inner_text() == "null"


def test_a_gate_is_approved_and_a_signal_given_from_the_page(console: Server, page: Any) -> None:
    with Remote(console.url) as remote:
        execution = remote.execute("console_flows.gated", {"x": 4})
    page.goto(f"{console.url}/executions/default/development/{execution.id.name}")
    approve = page.get_by_role("button", name="Approve")
    approve.wait_for(timeout=30_000)  # the gate's form appears once the gate waits
    approve.click()
    offset = page.get_by_label(re.compile("^offset"))
    offset.wait_for(timeout=30_000)
    offset.fill("ten")
    offset.press("Enter")
    assert page.locator(".gates p.error").inner_text() == 'expected int, got "ten"'
    page.get_by_label(re.compile("^offset")).fill("10")
    page.get_by_label(re.compile("^offset")).press("Enter")
    page.locator("h1 .badge.phase-succeeded").wait_for(timeout=60_000)
    page.reload()
    assert "26" in page.locator("section", has_text="Outputs").inner_text()  # 4 * 4 + 10


def test_a_running_execution_is_terminated_from_its_page(console: Server, page: Any) -> None:
    with Remote(console.url) as remote:
        execution = remote.execute("console_flows.sleepy", {"seconds": 120.0})
    page.goto(f"{console.url}/executions/default/development/{execution.id.name}")
    page.locator('svg g.node.phase-running[data-key="n0"]').wait_for(timeout=30_000)
    page.get_by_role("button", name="Terminate").click()
    page.locator("h1 .badge.phase-aborted").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Terminate").count() == 0
    page.reload()  # an aborted execution can be recovered
    assert page.get_by_role("button", name="Recover").count() == 1


def test_a_long_execution_list_is_paged_through_with_cursors(console: Server, page: Any) -> None:
    with Remote(console.url) as remote:
        model = remote.execute("console_flows.talk", {"lines": 1}, wait=True)
    names = [f"paged-{i:03d}" for i in range(120)]
    store_copies(console, model.id, names, {"batch": "paging"})
    page.goto(f"{console.url}/executions?label=batch%3Dpaging")
    seen: list[str] = []
    pages = 0
    while True:
        pages += 1
        seen += page.locator("table.executions tbody tr td:first-child a").all_inner_texts()
        following = page.get_by_role("link", name="next page")
        if following.count() == 0:
            break
        following.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert pages == 3  # 50, 50 and 20
    assert seen == names[::-1]  # newest first, each once
    page.get_by_label("sort").select_option("oldest")
    page.get_by_role("button", name="Filter").click()
    first = page.locator("table.executions tbody tr td:first-child a").first.inner_text()
    assert first == "paged-000"
    assert httpx.get(page.url).status_code == 200  # the filtered page's URL can be shared


def write_deck(server: Server, execution: ExecutionId, node: NodeKey, attempt: int) -> None:
    """A self-contained deck in the attempt's folder, with a script that shows its origin."""
    store = BlobStore(str(server.home / "store"))
    html = (
        "<!doctype html><html><body><h1>A deck of talk</h1><p id=origin></p>"
        "<script>document.getElementById('origin').textContent = window.origin;</script>"
        "</body></html>"
    )
    store.write_bytes(deck_uri(attempt_prefix(store.root, execution, node, attempt)), html.encode())
