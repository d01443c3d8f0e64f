"""The control plane as its users meet it: a real ``aloft serve`` with real workers, on
SQLite and PostgreSQL, driven by the CLI, the Python client and raw HTTP."""

from __future__ import annotations

import collections
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from bundle_files import escaping_bundles
from durable import ROOT, aloft
from malformed import malformed_requests
from server import Server, serving

from aloft.cli.loading import load_file
from aloft.errors import ExecutionFailedError
from aloft.ir import ExecutionId, ExecutionPhase, NodePhase, ResourceType
from aloft.remote import Remote, RemoteError
from aloft.storage.executions.sql import SqlStore

FLOWS = ROOT / "tests" / "fixtures" / "server_flows.py"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database for a module's server: a SQLite file, or a fresh PostgreSQL one."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'aloft.db'}"
        return
    fresh: Callable[[], str] = request.getfixturevalue("fresh_database")
    yield fresh()


@pytest.fixture(scope="module")
def server(module_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server shared by the tests of this module that do not kill it."""
    with serving(module_db, tmp_path_factory.mktemp("home")) as started:
        yield started


def remote_run(server: Server, *args: str) -> subprocess.CompletedProcess[str]:
    return aloft("run", "--remote", server.url, "--wait", *args)


def test_a_remote_run_prints_what_a_local_run_prints(server: Server, tmp_path: Path) -> None:
    log = str(tmp_path / "log")
    args = (str(FLOWS), "pipeline", "--log", log, "--a", "3", "--b", "2")
    local, remote = aloft("run", *args), remote_run(server, *args)
    assert (remote.returncode, remote.stdout) == (local.returncode, local.stdout) == (0, "1.5!\n")

    failing = (str(FLOWS), "pipeline", "--log", log, "--a", "3", "--b", "0")
    local, remote = aloft("run", *failing), remote_run(server, *failing)
    assert local.returncode == remote.returncode == 1
    local_error = local.stderr.strip().splitlines()[-1]
    assert "ZeroDivisionError" in local_error
    assert remote.stderr.strip().splitlines()[-1] == local_error


def test_the_python_client_gives_what_calling_the_workflow_gives(
    server: Server, tmp_path: Path
) -> None:
    module = load_file(str(FLOWS))
    log = str(tmp_path / "log")
    with Remote(server.url) as remote:
        execution = remote.execute(module.pipeline, {"log": log, "a": 3, "b": 2}, wait=True)
        assert remote.outputs(execution) == module.pipeline(log=log, a=3, b=2) == "1.5!"
        failed = remote.execute(module.pipeline, {"log": log, "a": 3, "b": 0}, wait=True)
        with pytest.raises(ExecutionFailedError) as remote_error:
            remote.outputs(failed)
    with pytest.raises(ExecutionFailedError) as local_error:
        module.pipeline(log=log, a=3, b=0)
    assert str(remote_error.value) == str(local_error.value)


def test_inputs_are_checked_against_the_interface_naming_the_input(server: Server) -> None:
    module = load_file(str(FLOWS))
    with Remote(server.url) as remote:
        remote.register(module.one_task)
        with pytest.raises(RemoteError, match="input 'x': expected int") as wrong:
            remote.execute("server_flows.one_task", {"x": "seven"})
        assert wrong.value.status == 422
        with pytest.raises(RemoteError, match="missing input 'x'"):
            remote.execute("server_flows.one_task", {})
        with pytest.raises(RemoteError, match="has no input 'y'"):
            remote.execute("server_flows.one_task", {"x": 1, "y": 2})
        done = remote.execute("server_flows.one_task", {"x": 21}, wait=True)
        assert remote.outputs(done) == {"o0": 42}


def test_a_thousand_executions_launched_through_the_api_all_complete(server: Server) -> None:
    module = load_file(str(FLOWS))
    with Remote(server.url) as remote:
        version = remote.register(module.one_task)
        body = {"entity": {"resource_type": "workflow", "name": "server_flows.one_task"}}
        names = []
        with httpx.Client(base_url=f"{server.url}/api/v1", timeout=30) as http:
            for x in range(1000):
                answer = http.post("/executions", json={**body, "inputs": {"x": x}})
                assert answer.status_code == 201, answer.text
                names.append((answer.json()["id"]["name"], x))
        assert version
        for name, x in names:
            done = remote.wait(name, timeout=120)
            assert done.phase is ExecutionPhase.SUCCEEDED
            assert remote.outputs(done) == {"o0": 2 * x}


def test_listing_filters_and_pages_with_cursors(server: Server, tmp_path: Path) -> None:
    module = load_file(str(FLOWS))
    with Remote(server.url) as remote:
        for x in range(5):
            remote.execute(module.one_task, {"x": x}, labels={"batch": tmp_path.name}, wait=True)
        labelled = remote.list_executions(labels={"batch": tmp_path.name}, limit=100)
        assert len(labelled) == 5
        with httpx.Client(base_url=f"{server.url}/api/v1") as http:
            seen, cursor = [], None
            while True:
                params = {"label": f"batch={tmp_path.name}", "limit": 2, "sort": "created_at"}
                page = http.get(
                    "/executions", params={**params, **({"cursor": cursor} if cursor else {})}
                ).json()
                seen += [e["id"]["name"] for e in page["executions"]]
                cursor = page["next_cursor"]
                if cursor is None:
                    break
        assert seen == [e.id.name for e in reversed(labelled)]


def test_registering_a_version_again_with_other_content_is_refused_and_changes_nothing(
    server: Server, tmp_path: Path
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    flow = project / "flow.py"
    flow.write_text(_flow("a / b"))
    first = aloft("register", str(project), "--version", "v1", "--remote", server.url)
    assert first.returncode == 0, first.stderr
    again = aloft("register", str(project), "--version", "v1", "--remote", server.url)
    assert again.returncode == 0, again.stderr  # identical content: a no-op
    with Remote(server.url) as remote:
        before = remote.get(ResourceType.WORKFLOW, "flow.calc", "v1")[0]
        flow.write_text(_flow("a // b"))
        changed = aloft("register", str(project), "--version", "v1", "--remote", server.url)
        assert changed.returncode == 2
        assert "version v1 in default/development is registered already with different " in (
            changed.stderr
        )
        after = remote.get(ResourceType.WORKFLOW, "flow.calc", "v1")[0]
        assert after == before
        versions = remote.get(ResourceType.WORKFLOW, "flow.calc")
        assert [v["id"]["version"] for v in versions] == ["v1"]


def test_recover_after_fixing_the_code_reruns_only_the_failed_node_and_what_follows(
    server: Server, tmp_path: Path
) -> None:
    project = tmp_path / "proj"
    project.mkdir()
    log = tmp_path / "log"
    flow = project / "flow.py"
    flow.write_text(_flow("a / b"))
    assert (
        aloft("register", str(project), "--version", "v1", "--remote", server.url).returncode == 0
    )
    with Remote(server.url) as remote:
        failed = remote.execute(
            "flow.calc", {"log": str(log), "a": 6, "b": 0}, version="v1", wait=True
        )
        assert failed.phase is ExecutionPhase.FAILED
        assert sorted(log.read_text().split()) == ["divide", "first", "second"]
        flow.write_text(_flow("a / b if b else 0.0"))  # the fix
        fixed = aloft("register", str(project), "--version", "v2", "--remote", server.url)
        assert fixed.returncode == 0, fixed.stderr
        recovered = aloft("recover", failed.id.name, "--version", "v2", "--remote", server.url)
        assert recovered.returncode == 0, recovered.stderr
        name = recovered.stdout.split()[1].rsplit("/", 1)[-1]
        done = remote.wait(name, timeout=60)
        assert remote.outputs(done) == {"o0": "0.0!"}
        runs = collections.Counter(log.read_text().split())
        assert runs == {"first": 1, "second": 1, "divide": 2, "shout": 1}
        nodes = {n.key: n.record for n in remote.with_nodes(done).nodes}
        assert nodes["n0"].recovered and nodes["n1"].recovered
        assert not nodes["n2"].recovered


def test_a_reference_task_runs_the_registered_task_it_names(server: Server, tmp_path: Path) -> None:
    module = load_file(str(FLOWS))
    with Remote(server.url) as remote:
        version = remote.register(module.double)
    project = tmp_path / "caller"
    project.mkdir()
    (project / "caller.py").write_text(
        f"""
from aloft import reference_task, workflow


@reference_task(
    project="default", domain="development", name="server_flows.double", version="{version}"
)
def double(x: int) -> int: ...


@workflow
def twice(x: int) -> int:
    return double(x=double(x=x))
"""
    )
    done = aloft(
        "run", "--remote", server.url, "--wait", str(project / "caller.py"), "twice", "--x", "5"
    )
    assert (done.returncode, done.stdout) == (0, "20\n"), done.stderr
    missing = (project / "caller.py").read_text().replace(version, "no-such-version")
    (project / "caller.py").write_text(missing)
    refused = aloft(
        "run", "--remote", server.url, "--wait", str(project / "caller.py"), "twice", "--x", "5"
    )
    assert refused.returncode == 2
    assert "is not registered on this server" in refused.stderr


def test_registered_ir_that_does_not_hold_together_is_refused_and_not_stored(
    server: Server,
) -> None:
    from aloft.remote.registration import draft_of

    module = load_file(str(FLOWS))
    draft = draft_of(module.pipeline)
    assert draft is not None
    draft["closure"]["tasks"] = []
    body = {"version": "broken", "entities": [draft]}
    answer = httpx.post(f"{server.url}/api/v1/register", json=body)
    assert answer.status_code == 422
    assert "runs task server_flows.nap, which is not in the closure" in answer.json()["error"]
    gone = httpx.get(
        f"{server.url}/api/v1/workflows/default/development/server_flows.pipeline/broken"
    )
    assert gone.status_code == 404


def test_a_slow_bundle_check_does_not_stall_other_requests(server: Server) -> None:
    import gzip
    import hashlib
    import io
    import tarfile
    import threading

    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as archive:
        info = tarfile.TarInfo("big.bin")
        info.size = 1 << 30
        archive.addfile(info, io.BytesIO(bytes(1 << 30)))
    bomb = gzip.compress(raw.getvalue(), compresslevel=1)
    digest = hashlib.sha256(bomb).hexdigest()
    answers: list[httpx.Response] = []
    upload = threading.Thread(
        target=lambda: answers.append(
            httpx.put(f"{server.url}/api/v1/bundles/{digest}", content=bomb, timeout=120)
        )
    )
    upload.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert httpx.get(f"{server.url}/healthz", timeout=30).status_code == 200
    waited = time.monotonic() - started
    upload.join()
    assert answers[0].status_code == 422
    assert waited < 1.0, f"/healthz waited {waited:.1f} s behind the bundle check"


def test_code_bundles_that_leave_their_folder_are_refused(server: Server) -> None:
    with httpx.Client(base_url=f"{server.url}/api/v1") as http:
        for what, (digest, data) in escaping_bundles().items():
            answer = http.put(f"/bundles/{digest}", content=data)
            assert answer.status_code == 422, what
            assert answer.json()["error"].startswith("code bundle member"), what
            assert http.head(f"/bundles/{digest}").status_code == 404, what


def test_two_hundred_malformed_requests_each_get_a_clear_4xx(server: Server) -> None:
    requests = malformed_requests()
    assert len(requests) >= 200
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for method, path, kwargs in requests:
            answer = http.request(method, path, **kwargs)
            where = f"{method} {path} {str(kwargs)[:120]}"
            assert 400 <= answer.status_code < 500, f"{where}: {answer.status_code} {answer.text}"
            error = answer.json()["error"]
            assert isinstance(error, str) and error and "Traceback" not in error, where
        assert http.get("/healthz").json() == {"status": "ok"}
    module = load_file(str(FLOWS))
    with Remote(server.url) as remote:
        done = remote.execute(module.one_task, {"x": 4}, wait=True)
        assert remote.outputs(done) == 8


def test_a_server_killed_mid_way_finishes_every_execution_without_rerunning_successes(
    db: str, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    module = load_file(str(FLOWS))
    log = tmp_path / "log"
    server = Server(db, home, workers=2).start()
    try:
        with Remote(server.url) as remote:
            launched = [
                remote.execute(module.naps, {"log": str(log), "seed": seed}) for seed in range(10)
            ]
        deadline = time.monotonic() + 60
        while len(log.read_text().split() if log.exists() else []) < 40:
            assert time.monotonic() < deadline, "the naps did not start"
            time.sleep(0.02)
        server.kill_group()
        recorded = _recorded_naps(db, [e.id for e in launched])
        assert recorded, "nothing was recorded before the kill"
        time.sleep(0.5)  # workers of the dead server finish or die on their own
        server.start()
        with Remote(server.url) as remote:
            for seed, execution in enumerate(launched):
                done = remote.wait(execution, timeout=120)
                expected = sum(seed * 100 + i for i in range(10))
                assert remote.outputs(done) == expected
    finally:
        server.stop()
    runs = collections.Counter(log.read_text().split())
    assert set(runs) == {str(seed * 100 + i) for seed in range(10) for i in range(10)}
    assert all(runs[str(index)] == 1 for index in recorded), "a recorded success ran again"


def _flow(division: str) -> str:
    return f"""
from aloft import task, workflow


def note(log: str, text: str) -> None:
    with open(log, "a") as handle:
        handle.write(text + "\\n")


@task
def step(log: str, name: str, value: int) -> int:
    note(log, name)
    return value


@task
def divide(log: str, a: int, b: int) -> float:
    note(log, "divide")
    return {division}


@task
def shout(log: str, value: float) -> str:
    note(log, "shout")
    return f"{{value:.1f}}!"


@workflow
def calc(log: str, a: int, b: int) -> str:
    first = step(log=log, name="first", value=a)
    second = step(log=log, name="second", value=b)
    return shout(log=log, value=divide(log=log, a=first, b=second))
"""


def _recorded_naps(db: str, executions: list[ExecutionId]) -> set[int]:
    store = SqlStore(db)
    try:
        found = set()
        for execution in executions:
            for node in store.load(execution).nodes.values():
                if node.phase is NodePhase.SUCCEEDED and node.inputs and "index" in node.inputs:
                    found.add(int(node.inputs["index"].value))
        return found
    finally:
        store.close()
