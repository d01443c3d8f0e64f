"""The console in a real headless Chromium against a real ``aloft serve`` with real workers:
what a person does with it, from the keyboard where a form is involved. Each test leaves a
screenshot of its last page in ``test-artifacts/console/``."""

# The fixtures are imported from console_fixtures (a conftest.py in this folder would shadow
# the integration tests' own conftest module), so tests name them as arguments.
# ruff: noqa: F401, F811

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from console_fixtures import ARTIFACTS, browser, console, page, store_copies
from server import Server

from aloft.remote import Remote

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
    page.get_by_label(re.compile("^name")).fill("ada")
    page.get_by_role("button", name="Launch").click()
    field = page.locator(".field.invalid")
    assert field.count() == 1
    assert field.locator("p.error").inner_text() == 'expected int, got "three"'
    count = page.get_by_label(re.compile("^count"))
    assert count.get_attribute("aria-invalid") == "true"
    assert count.input_value() == "three"  # what was typed is kept
    assert page.evaluate("document.activeElement.name") == "count"  # and has the focus
    # a required field left empty is named at its field too, at the same time
    page.get_by_label(re.compile("^count")).fill("3")
    page.get_by_label(re.compile("^name")).fill("")
    page.get_by_label(re.compile("^execution name")).fill("my run!")
    page.get_by_role("button", name="Launch").click()
    messages = dict(
        zip(
            page.locator(".field.invalid label").all_inner_texts(),
            page.locator(".field.invalid p.error").all_inner_texts(),
            strict=True,
        )
    )
    assert messages == {
        "name str required": "required: give a value (there is no default)",
        "execution name (optional)": "execution name 'my run!' is not valid: use letters, "
        "digits, '_', '-' and '.', starting with a letter or digit, at most 63 characters",
    }
    assert page.get_by_label(re.compile("^execution name")).input_value() == "my run!"  # kept
    assert "Traceback" not in page.content()


def test_a_nodes_log_opens_from_its_page_whole_or_its_tail(console: Server, page: Any) -> None:
    with Remote(console.url) as remote:
        execution = remote.execute("console_flows.talk", {"lines": 300}, wait=True)
    page.goto(f"{console.url}/executions/default/development/{execution.id.name}")
    page.locator('svg g.node[data-key="n0"] a').first.click()
    page.wait_for_url(re.compile(r"/nodes/n0$"))
    log = page.locator("#log-text")
    assert log.inner_text().splitlines()[-1] == "line 299"
    assert len(log.inner_text().splitlines()) == 200  # the tail
    assert page.locator("a.deck-link").count() == 0  # the task made no deck
    with page.expect_navigation():
        page.get_by_role("link", name="full log").first.click()
    full = page.locator("body").inner_text().splitlines()
    assert full[0] == "line 0" and full[-1] == "line 299" and len(full) == 300


def test_a_running_nodes_log_grows_on_its_page_without_reloading(
    console: Server, page: Any, tmp_path: Path
) -> None:
    release = tmp_path / "release"
    with Remote(console.url) as remote:
        execution = remote.execute("console_flows.released", {"release": str(release)})
    page.goto(f"{console.url}/executions/default/development/{execution.id.name}/nodes/n0")
    page.evaluate("window.notReloaded = true")
    log = page.locator("#log-text")  # drawn in once the node has an attempt, then growing
    page.locator("#log-text", has_text="first line").wait_for(timeout=30_000)
    assert page.locator("h1 .badge").inner_text() == "running"
    assert "second line" not in log.inner_text()
    assert page.get_by_role("link", name="full log").count() >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "a_running_nodes_log-while-running.png"), full_page=True)
    release.touch()
    page.locator("h1 .badge.phase-succeeded").wait_for(timeout=30_000)
    assert page.locator("#log-text").inner_text().splitlines() == ["first line", "second line"]
    assert page.evaluate("window.notReloaded") is True  # the page updated itself
    copy = page.get_by_role("button", name="copy the short URL of o0")  # drawn in at the end
    copy.click()
    copy.filter(has_text=re.compile("^(copied|selected)$")).wait_for()  # its button works too


def test_a_tasks_deck_opens_from_its_node_page_sandboxed(console: Server, page: Any) -> None:
    with Remote(console.url) as remote:
        execution = remote.execute("console_flows.decked", {"values": [1, 2, 3]}, wait=True)
    page.goto(f"{console.url}/executions/default/development/{execution.id.name}/nodes/n0")
    link = page.locator("a.deck-link")
    answer = page.request.get(console.url + link.get_attribute("href"))
    assert "sandbox" in answer.headers["content-security-policy"]
    link.click()
    assert page.locator("h1").inner_text() == "3 values"
    assert "Their sum: 6" in page.locator("body").inner_text()
    page.get_by_role("button", name="Origin").click()  # the deck's own tabs work
    # its scripts run sandboxed, as an origin of their own
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
    page.evaluate("window.notReloaded = true")
    page.locator("h1 .badge.phase-succeeded").wait_for(timeout=60_000)
    outputs = page.locator("section", has_text="Outputs")  # drawn in once it has ended
    outputs.locator("td.value", has_text="26").wait_for()  # 4 * 4 + 10
    assert page.evaluate("window.notReloaded") is True


def test_a_page_left_on_a_refused_signal_still_follows_the_execution_to_its_end(
    console: Server, page: Any
) -> None:
    with Remote(console.url) as remote:
        execution = remote.execute("console_flows.gated", {"x": 3})
        page.goto(f"{console.url}/executions/default/development/{execution.id.name}")
        reject = page.get_by_role("button", name="Reject")
        reject.wait_for(timeout=30_000)
        remote.set_signal(execution, "go", True)  # given elsewhere: the page is behind
        reject.click()
        refused = page.locator("#gates-slot [role=alert]").inner_text()
        assert "signal 'go' of execution" in refused and "already given another value" in refused
        assert page.url.endswith("/signals")  # where the form was posted
        page.evaluate("window.notReloaded = true")
        remote.set_signal(execution, "offset", 1)
        page.locator("h1 .badge.phase-succeeded").wait_for(timeout=60_000)
    outputs = page.locator("section", has_text="Outputs")
    outputs.locator("td.value", has_text="10").wait_for()  # 3 * 3 + 1
    assert page.evaluate("window.notReloaded") is True


def test_a_running_execution_is_terminated_from_its_page(console: Server, page: Any) -> None:
    with Remote(console.url) as remote:
        execution = remote.execute("console_flows.sleepy", {"seconds": 120.0})
    page.goto(f"{console.url}/executions/default/development/{execution.id.name}")
    page.locator('svg g.node.phase-running[data-key="n0"]').wait_for(timeout=30_000)
    page.get_by_role("button", name="Terminate").click()
    page.evaluate("window.notReloaded = true")  # the click's answer loaded the page: from here
    page.locator("h1 .badge.phase-aborted").wait_for(timeout=30_000)
    page.get_by_role("button", name="Recover").wait_for()  # an aborted one can be recovered
    assert page.get_by_role("button", name="Terminate").count() == 0
    assert "took" in page.locator("p.meta").inner_text()  # no longer "running for"
    assert page.evaluate("window.notReloaded") is True


BROKEN_VALUES = """[...document.querySelectorAll("td.value code")]
    .filter(code => code.getClientRects().length > 1).map(code => code.textContent)"""
"""The values drawn over more than one line (a number or word cut mid-way)."""
PAGE_OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
"""How far the page reaches past the window's width (a phone then scrolls it sideways)."""


def test_values_stay_whole_and_pages_fit_a_phone(console: Server, browser: Any) -> None:
    with Remote(console.url) as remote:
        execution = remote.execute("console_flows.tallied", {}, wait=True)
    url = f"{console.url}/executions/default/development/{execution.id.name}"
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            shown = context.new_page()
            for path in (url, f"{url}/nodes/n0", f"{console.url}/executions"):
                shown.goto(path)
                name = path.rsplit("/", 1)[1].split("-")[0]
                shown.screenshot(path=str(ARTIFACTS / f"fits-{width}-{name}.png"), full_page=True)
                assert shown.evaluate(BROKEN_VALUES) == [], (width, path)
                assert shown.evaluate(PAGE_OVERFLOW) <= 0, (width, path)
                values = shown.locator("td.value").all_inner_texts()
                assert not values or "104.4" in "".join(values)  # the table in the output
        finally:
            context.close()


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
