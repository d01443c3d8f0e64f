"""The remote commands against a real server: logs, nodes, signals, terminate, relaunch,
listings, the OpenAPI document, and a server stopped with SIGTERM."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from durable import ROOT, aloft, aloft_process
from server import Server, serving

from aloft.cli.loading import load_file
from aloft.ir import ExecutionPhase
from aloft.remote import Remote

FLOWS = ROOT / "tests" / "fixtures" / "server_flows.py"


SECRET = "hunter2-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose workers hold a secret (``vault/token``) in their environment."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("_FSEC_VAULT_TOKEN", SECRET)
        with serving(f"sqlite:///{home / 'aloft.db'}", home) as started:
            yield started


def cli(server: Server, *args: str) -> tuple[int, str, str]:
    done = aloft(*args, "--remote", server.url)
    return done.returncode, done.stdout, done.stderr


def launch(server: Server, workflow: str, *inputs: str) -> str:
    """Launch ``workflow`` of the fixture file without waiting; its execution name."""
    done = aloft("run", "--remote", server.url, str(FLOWS), workflow, *inputs)
    assert done.returncode == 0, done.stderr
    return done.stderr.split()[1].rsplit("/", 1)[-1]


def test_logs_show_what_a_node_printed_whole_or_its_tail(server: Server) -> None:
    name = launch(server, "talk", "--lines", "5")
    with Remote(server.url) as remote:
        remote.wait(name, timeout=60)
    code, out, _ = cli(server, "logs", name, "n0")
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("line")] == [
        f"line {i}" for i in range(5)
    ]
    code, out, _ = cli(server, "logs", name, "n0", "--tail", "2")
    assert out.splitlines()[-2:] == ["line 3", "line 4"]
    code, _, err = cli(server, "logs", name, "n7")
    assert code == 2 and "has no node 'n7'" in err
    url = f"{server.url}/api/v1/executions/default/development/{name}/logs"
    for past_the_end in (10**6, 2**63 - 1, 2**64):  # a follower that asks too far: nothing
        answer = httpx.get(url, params={"node": "n0", "offset": past_the_end})
        assert (answer.status_code, answer.text) == (200, ""), past_the_end


def test_logs_follow_a_task_from_before_it_starts_line_by_line_with_its_secret_redacted(
    server: Server, tmp_path: Path
) -> None:
    release = tmp_path / "release"
    name = launch(server, "released", "--release", str(release))  # n1 runs once n0 approves
    code, out, err = cli(server, "logs", name, "n1")
    assert (code, out) == (0, ""), err  # not started yet: nothing, and no error
    code, _, err = cli(server, "logs", name, "n9")
    assert code == 2 and "has no node 'n9'" in err
    follower = aloft_process("logs", name, "n1", "--follow", "--remote", server.url)
    try:
        assert cli(server, "signal", "set", name, "go", "true")[0] == 0
        assert follower.stdout is not None
        first = follower.stdout.readline()  # the task waits for its release meanwhile
        assert first == "first line, with [redacted]\n"
        url = f"{server.url}/api/v1/executions/default/development/{name}/logs"
        answer = httpx.get(url, params={"node": "n1"})
        assert answer.text == first
        assert answer.headers["x-aloft-attempt"] == "0"
        assert answer.headers["x-aloft-attempt-phase"] == "running"  # it has not ended
        assert answer.headers["x-aloft-node-phase"] == "running"
        assert httpx.get(url, params={"node": "n1", "offset": 6}).text == first[6:]
        refused = httpx.get(url, params={"node": "n1", "offset": 6, "tail": 1})
        assert refused.status_code == 422 and "tail, offset" in refused.text
        with Remote(server.url) as remote:
            nodes = remote.with_nodes(remote.fetch_execution(name)).nodes
        [attempt] = next(node for node in nodes if node.key == "n1").attempts
        assert attempt.log_uri.endswith(f"/{name}/n1/0/logs.txt")  # named while it runs
        release.touch()
        rest, errors = follower.communicate(timeout=60)  # it stops once the node has ended
        assert (follower.returncode, rest) == (0, "second line\n"), errors
    finally:
        if follower.poll() is None:
            follower.kill()
            follower.communicate()
    code, out, _ = cli(server, "logs", name, "n1")
    assert out == "first line, with [redacted]\nsecond line\n"


def test_get_shows_an_execution_its_nodes_and_the_listing(server: Server) -> None:
    name = launch(server, "one_task", "--x", "4")
    with Remote(server.url) as remote:
        remote.wait(name, timeout=60)
    code, out, _ = cli(server, "get", "execution", name, "--nodes")
    assert code == 0
    assert f"execution default/development/{name}: succeeded" in out
    assert "output o0 = 8" in out and "node n0: succeeded" in out
    code, out, _ = cli(server, "get", "executions", "--workflow", "server_flows.one_task")
    assert code == 0 and name in out
    code, out, _ = cli(server, "get", "workflows")
    assert "server_flows.one_task" in out
    code, _, err = cli(server, "get", "execution", "no-such-one")
    assert code == 2 and "no execution default/development/no-such-one" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["get", "execution", "a?b"], "no execution default/development/a?b"),
        (["get", "execution", ""], "the execution's name is empty"),
        (["get", "execution", "../../../projects"], "nothing is at GET /api/v1/executions/"),
        (["logs", "x?y", "n0"], "no execution default/development/x?y"),
        (["signal", "set", "..", "go", "true"], "no execution default/development/.."),
        (["get", "workflows", "a?b"], "no workflow a?b in default/development"),
        (["launchplan", "activate", "p#1", "v"], "no launch plan p#1 version v"),
    ],
)
def test_names_that_look_like_urls_name_what_they_say(
    server: Server, args: list[str], message: str
) -> None:
    code, _, err = cli(server, *args)
    assert code == 2, err
    assert err.startswith("error: ") and len(err.splitlines()) == 1, err  # no traceback
    assert message in err


def test_a_gate_waits_until_its_signal_is_set(server: Server) -> None:
    name = launch(server, "gated", "--x", "21")
    with Remote(server.url) as remote:
        deadline = time.monotonic() + 30
        while True:
            nodes = remote.with_nodes(remote.fetch_execution(name)).nodes
            if any(n.record.phase.value == "waiting" for n in nodes):
                break
            assert time.monotonic() < deadline, "the gate did not start waiting"
            time.sleep(0.05)
        code, _, err = cli(server, "signal", "set", name, "go", "maybe")
        assert code == 2 and "signal 'go'" in err
        code, out, _ = cli(server, "signal", "set", name, "go", "true")
        assert code == 0, out
        done = remote.wait(name, timeout=60)
        assert remote.outputs(done) == {"o0": 42}


def test_terminate_stops_a_running_execution_and_relaunch_runs_it_again(server: Server) -> None:
    name = launch(server, "sleepy", "--seconds", "30")
    with Remote(server.url) as remote:
        deadline = time.monotonic() + 30
        while remote.fetch_execution(name).phase is not ExecutionPhase.RUNNING:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        code, out, err = cli(server, "terminate", name)
        assert code == 0, err
        ended = remote.wait(name, timeout=30)
        assert ended.phase is ExecutionPhase.ABORTED
        code, _, err = cli(server, "terminate", name)
        assert code == 2 and "has already ended" in err
        code, out, err = cli(server, "relaunch", name)
        assert code == 0, err
        again = out.split()[1].rsplit("/", 1)[-1]
        remote.terminate(again)
        assert remote.wait(again, timeout=30).phase is ExecutionPhase.ABORTED


def test_a_long_poll_answers_when_the_execution_ends_or_its_timeout_passes(
    server: Server,
) -> None:
    name = launch(server, "sleepy", "--seconds", "1.5")
    path = f"{server.url}/api/v1/executions/default/development/{name}/wait"
    started = time.monotonic()
    early = httpx.get(path, params={"timeout": 0.2}, timeout=10).json()
    assert early["phase"] in ("queued", "running")
    assert time.monotonic() - started < 1.0
    ended = httpx.get(path, params={"timeout": 30}, timeout=40).json()
    waited = time.monotonic() - started
    assert ended["phase"] == "succeeded"
    assert 1.0 < waited < 10, waited
    again = httpx.get(path, params={"timeout": 30}, timeout=40)
    assert again.json()["phase"] == "succeeded"  # an ended one answers at once


def test_the_openapi_document_lists_the_api(server: Server) -> None:
    document = httpx.get(f"{server.url}/api/v1/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/v1/executions",
        "/api/v1/executions/{project}/{domain}/{name}",
        "/api/v1/executions/{project}/{domain}/{name}/recover",
        "/api/v1/register",
        "/api/v1/bundles/{digest}",
    ):
        assert path in paths
    assert "NewExecution" in document["components"]["schemas"]
    metrics = httpx.get(f"{server.url}/metrics").text
    assert 'aloft_executions{phase="succeeded"}' in metrics
    assert "aloft_task_attempt_seconds_bucket" in metrics


def test_sigterm_stops_the_server_and_the_next_one_continues_at_once(tmp_path: Path) -> None:
    module = load_file(str(FLOWS))
    db = f"sqlite:///{tmp_path / 'aloft.db'}"
    server = Server(db, tmp_path).start()
    with Remote(server.url) as remote:
        execution = remote.execute(module.sleepy, {"seconds": 2.0})
        while remote.fetch_execution(execution).phase is not ExecutionPhase.RUNNING:
            time.sleep(0.05)
    assert server.stop() == 0
    started = time.monotonic()
    server.start()
    try:
        with Remote(server.url) as remote:
            done = remote.wait(execution, timeout=60)
            assert remote.outputs(done) == 2.0
        assert time.monotonic() - started < 12, "the next server waited for leases to expire"
    finally:
        server.stop()
