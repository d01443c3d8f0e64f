"""Fixtures of the console tests (imported by them: a ``conftest.py`` here would shadow the
integration tests' own ``conftest`` module): a real ``aloft serve`` with real workers and the
console's test workflows registered on it, and a headless Chromium (Debian's, driven by
Playwright) that saves a screenshot of each test's last page in ``test-artifacts/console/``."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from durable import ROOT
from msgspec import structs
from server import Server, serving

from aloft.ir import ExecutionId, ExecutionPhase
from aloft.remote import Remote
from aloft.storage.executions import Changes
from aloft.storage.executions.sql import SqlStore

FLOWS = ROOT / "tests" / "fixtures" / "console_flows.py"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "console"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on SQLite with the console's test workflows registered."""
    home = tmp_path_factory.mktemp("console")
    with serving(f"sqlite:///{home / 'aloft.db'}", home) as server:
        with Remote(server.url) as remote:
            remote.register(str(FLOWS))
        yield server


def store_copies(
    server: Server, model: ExecutionId, names: list[str], labels: dict[str, str]
) -> None:
    """Store ``names`` as succeeded copies of execution ``model`` (with ``labels``) in the
    server's database, as the listing benchmark fills it: a long list without running it."""
    store = SqlStore(server.db)
    try:
        spec, record = store.spec(model), store.record(model)
        for name in names:
            now = datetime.datetime.now(datetime.UTC)
            copy = structs.replace(spec, id=structs.replace(model, name=name), labels=labels)
            created = store.create(copy, now)
            done = structs.replace(
                created,
                phase=ExecutionPhase.SUCCEEDED,
                outputs=record.outputs,
                version=created.version + 1,
                updated_at=now,
            )
            try:
                store.apply(copy.id, created.version, Changes(execution=done))
            except Exception as exc:  # the server's engine took it first: it runs for real
                if type(exc).__name__ not in ("VersionConflict", "InvalidTransition"):
                    raise
    finally:
        store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium; the test skips if it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser page; its last state is saved as ``<test name>.png``, and any error
    its scripts raised fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.set_default_timeout(20_000)
    try:
        yield opened
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
        opened.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()
    assert errors == [], f"the page's script failed: {errors}"
