"""What the console's pages time: GET a page of the web console served by a running
``aloft serve`` (aloft-server), read in full, on 127.0.0.1 (so the time is the server's, plus
a loopback round trip). Shared by the console_* workloads."""

import statistics
import time

import httpx
from common import server_url

REPEAT = 15


def timed_page(http: httpx.Client, path: str, params: object = None) -> tuple[float, str]:
    """Seconds of one GET of ``path`` (the page read in full), and the page."""
    start = time.perf_counter()
    answer = http.get(path, params=params)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    if answer.status_code != 200:
        raise SystemExit(f"GET {path}: HTTP {answer.status_code}: {answer.text[:300]}")
    return seconds, answer.text


def median_page(http: httpx.Client, path: str, params: object = None) -> tuple[float, str]:
    """The median of REPEAT GETs of ``path`` (after one untimed), and the page."""
    _, text = timed_page(http, path, params)
    times = [timed_page(http, path, params)[0] for _ in range(REPEAT)]
    return statistics.median(times), text


def console() -> httpx.Client:
    """A client of the console of the runner's server."""
    return httpx.Client(base_url=server_url(), timeout=120)
