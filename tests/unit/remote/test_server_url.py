"""The server's address, however a user writes it."""

from __future__ import annotations

import pytest

from aloft.remote import Remote


@pytest.mark.parametrize(
    "given",
    [
        "http://127.0.0.1:8420",
        "http://127.0.0.1:8420/",
        "http://127.0.0.1:8420/api/v1",
        "http://127.0.0.1:8420/api/v1/",
    ],
)
def test_the_api_address_and_a_trailing_slash_name_the_same_server(given: str) -> None:
    with Remote(given) as remote:
        assert remote.url == "http://127.0.0.1:8420"
