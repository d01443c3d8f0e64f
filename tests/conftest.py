"""Shared test set-up: every test session writes blobs to its own temporary store."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from aloft.storage import context as storage_context


@pytest.fixture(scope="session", autouse=True)
def _isolated_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point ``ALOFT_STORE`` and ``ALOFT_HOME`` (inherited by subprocesses) at fresh folders,
    with an empty config file, so no test touches the user's own aloft home."""
    saved = {key: os.environ.get(key) for key in ("ALOFT_STORE", "ALOFT_CONFIG", "ALOFT_HOME")}
    root = tmp_path_factory.mktemp("store")
    os.environ["ALOFT_STORE"] = str(root / "blobs")
    (root / "config.toml").write_text("")  # an empty config file: every default applies
    os.environ["ALOFT_CONFIG"] = str(root / "config.toml")
    os.environ["ALOFT_HOME"] = str(root / "home")
    storage_context.default_store.cache_clear()
    storage_context._default_context.cache_clear()
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
