"""``Remote``: the Python client of an aloft server, what a notebook or script uses to
register, launch, watch and steer executions (flytekit's ``FlyteRemote``)."""

from __future__ import annotations

import datetime
import sys
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import msgspec

from aloft.errors import ExecutionFailedError, InputError, PlatformError
from aloft.ir import (
    AttemptRecord,
    ExecutionError,
    ExecutionId,
    ExecutionPhase,
    ExecutionRecord,
    Identifier,
    Literal,
    NodeRecord,
    ResourceType,
    literal_to_json,
    to_json,
)
from aloft.remote.logs import LogPart, follow_log
from aloft.remote.registration import bundle_of, draft_of, entities_in, kind_of, root_of
from aloft.runner.local import failure_message
from aloft.sdk import Entity
from aloft.sdk.arguments import suggest
from aloft.storage import DataContext, current_data_context, data_context
from aloft.storage.config import remote_url
from aloft.types import to_literal, to_python

DEFAULT_URL = "http://127.0.0.1:8420"
LONG_POLL = 30.0
"""Seconds the server is asked to hold one request that waits for an execution's end."""
CONNECT_RETRIES = 5
"""How often a request is tried again when the server cannot be reached (never when it
answered: a request it refused or failed is not repeated)."""


class RemoteError(InputError):
    """The server refused a request (a 4xx answer); the message is the server's."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class ServerUnavailable(PlatformError):
    """The server could not be reached, or failed the request itself (a 5xx answer)."""


@dataclass
class NodeExecution:
    """One node of a remote execution, with its attempts."""

    key: str
    record: NodeRecord
    attempts: list[AttemptRecord]


@dataclass
class RemoteExecution:
    """An execution on the server, as last fetched: its record, and the entity it was
    launched from when this client launched it (its outputs then convert to that entity's
    Python types)."""

    record: ExecutionRecord
    workflow: Identifier
    entity: Entity | None = None
    nodes: list[NodeExecution] = field(default_factory=list)

    @property
    def id(self) -> ExecutionId:
        """The execution's id."""
        return self.record.id

    @property
    def phase(self) -> ExecutionPhase:
        """Its phase when last fetched."""
        return self.record.phase

    @property
    def is_done(self) -> bool:
        """Whether it had ended when last fetched."""
        return self.record.phase.is_terminal

    @property
    def error(self) -> ExecutionError | None:
        """Why it failed, if it did."""
        return self.record.error

    def error_message(self) -> str:
        """One line saying which task failed, how often it was tried, and why, as a local
        run says it."""
        return failure_message(self.record, [node.record for node in self.nodes])


API_PREFIX = "/api/v1"
"""Where the server's REST API is, under its root URL."""


def server_root(url: str) -> str:
    """The server's root URL: ``url`` without a trailing slash, or without the API's own
    path, which is the address a user may have copied (``http://host:8420/api/v1``)."""
    root = url.rstrip("/")
    return root.removesuffix(API_PREFIX)


class Remote:
    """A client of the aloft server at ``url`` (default: ``ALOFT_REMOTE``, the config
    file's ``[remote] url``, or a server on this machine), working in ``project`` and
    ``domain`` unless told otherwise."""

    def __init__(
        self,
        url: str | None = None,
        *,
        project: str = "default",
        domain: str = "development",
        timeout: float = 30.0,
    ) -> None:
        self.url = server_root(url or remote_url() or DEFAULT_URL)
        self.project = project
        self.domain = domain
        self.timeout = timeout
        self._http = httpx.Client(base_url=self.url, timeout=timeout)

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> Remote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- registration ---------------------------------------------------------------------------

    def register(
        self, *targets: Entity | str, version: str = "", project: str = "", domain: str = ""
    ) -> str:
        """Register entities (objects, or the files and folders that define them) with the
        code bundle of their project folder; returns the version registered under (by
        default a digest of code and IR, so unchanged code registers as a no-op)."""
        entities = [t for t in targets if isinstance(t, Entity)]
        paths = [t for t in targets if isinstance(t, str)]
        roots = {root_of(entity) for entity in entities}
        if paths:
            root, found = entities_in(paths)
            roots.add(root)
            entities += found
        if len(roots) != 1:
            raise InputError("register entities of one project folder at a time")
        return self._register(roots.pop(), entities, version, project, domain)

    def _register(
        self, root: Path, entities: Sequence[Entity], version: str, project: str, domain: str
    ) -> str:
        drafts = [d for d in (draft_of(entity) for entity in entities) if d is not None]
        if not drafts:
            raise InputError("nothing to register: no tasks, workflows or launch plans")
        bundle = bundle_of(root)
        if self._send("HEAD", f"/bundles/{bundle.digest}", missing_ok=True) is None:
            self._send(
                "PUT",
                f"/bundles/{bundle.digest}",
                content=bundle.data,
                headers={"content-type": "application/gzip"},
            )
        body = {
            "project": project or self.project,
            "domain": domain or self.domain,
            "version": version,
            "bundle": bundle.digest,
            "entities": drafts,
        }
        answer = self._send("POST", "/register", json=body)
        return str(answer["version"])

    # -- executions -----------------------------------------------------------------------------

    def execute(
        self,
        entity: Entity | str,
        inputs: Mapping[str, Any] | None = None,
        *,
        wait: bool = False,
        version: str = "",
        name: str = "",
        resource_type: ResourceType = ResourceType.WORKFLOW,
        labels: Mapping[str, str] | None = None,
        project: str = "",
        domain: str = "",
        timeout: float | None = None,
    ) -> RemoteExecution:
        """Launch ``entity`` on ``inputs``: a task, workflow or launch plan object (registered
        first, with its code, as ``pyflyte run --remote`` does), or the name of a registered
        one (of ``resource_type``; its newest version unless ``version`` is given)."""
        inputs = dict(inputs or {})
        body: dict[str, Any] = {
            "project": project or self.project,
            "domain": domain or self.domain,
            "name": name,
            "labels": dict(labels or {}),
        }
        if isinstance(entity, Entity):
            version = self.register(
                entity, version=version, project=body["project"], domain=body["domain"]
            )
            kind = kind_of(entity)
            body["entity"] = {"resource_type": kind.value, "name": entity.name, "version": version}
            body["literals"] = _literals(entity, inputs)
        else:
            body["entity"] = {
                "resource_type": resource_type.value,
                "name": entity,
                "version": version,
            }
            body["inputs"] = inputs
        answer = self._send("POST", "/executions", json=body)
        execution = self._execution(answer, entity if isinstance(entity, Entity) else None)
        return self.wait(execution, timeout=timeout) if wait else execution

    def fetch_execution(self, execution: ExecutionId | RemoteExecution | str) -> RemoteExecution:
        """The execution as the server has it now (a name alone is looked up in this
        client's project and domain)."""
        id = self._id(execution)
        answer = self._send("GET", _path(id))
        entity = execution.entity if isinstance(execution, RemoteExecution) else None
        return self._execution(answer, entity)

    def wait(
        self,
        execution: ExecutionId | RemoteExecution | str,
        *,
        timeout: float | datetime.timedelta | None = None,
    ) -> RemoteExecution:
        """Wait until the execution ends; ``TimeoutError`` after ``timeout`` (seconds, or a
        ``timedelta`` as flytekit takes). The server holds each request until the end comes
        (a long poll), so waiting costs it nothing while the execution runs."""
        if isinstance(timeout, datetime.timedelta):
            timeout = timeout.total_seconds()
        deadline = None if timeout is None else time.monotonic() + timeout
        id = self._id(execution)
        entity = execution.entity if isinstance(execution, RemoteExecution) else None
        while True:
            left = LONG_POLL if deadline is None else min(LONG_POLL, deadline - time.monotonic())
            answer = self._send(
                "GET",
                f"{_path(id)}/wait",
                params={"timeout": max(left, 0.0)},
                timeout=self._http.timeout.read + max(left, 0.0)
                if self._http.timeout.read
                else None,
            )
            fetched = self._execution(answer, entity)
            if fetched.is_done:
                return self.with_nodes(fetched) if fetched.error else fetched
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"execution {fetched.id} has not ended after {timeout} s")

    def with_nodes(self, execution: RemoteExecution) -> RemoteExecution:
        """``execution`` with its node executions fetched."""
        answer = self._send("GET", f"{_path(execution.id)}/nodes")
        execution.nodes = [
            NodeExecution(
                node["key"],
                msgspec.convert(node["record"], NodeRecord, strict=False),
                [msgspec.convert(a, AttemptRecord, strict=False) for a in node["attempts"]],
            )
            for node in answer["nodes"]
        ]
        return execution

    def outputs(self, execution: ExecutionId | RemoteExecution | str) -> Any:
        """The outputs of an execution that succeeded, as Python values: shaped and typed as
        its entity declares them when this client launched it from the object, else a dict
        of plain values by output name. ``ExecutionFailedError`` if it failed."""
        fetched = self._ended(execution)
        values = self.output_values(fetched)
        if fetched.entity is None:
            return values
        return fetched.entity.shape_outputs(list(values.values()))

    def output_values(self, execution: ExecutionId | RemoteExecution | str) -> dict[str, Any]:
        """The outputs of an execution that succeeded, by name: Python values of its entity's
        types when this client launched it from the object, else plain values."""
        fetched = self._ended(execution)
        literals = fetched.record.outputs or {}
        if fetched.entity is None:
            return {name: literal_to_json(literal) for name, literal in literals.items()}
        types = fetched.entity.python_interface.outputs
        return {name: to_python(literals[name], py_type) for name, py_type in types.items()}

    def _ended(self, execution: ExecutionId | RemoteExecution | str) -> RemoteExecution:
        fetched = (
            execution
            if isinstance(execution, RemoteExecution) and execution.is_done
            else self.fetch_execution(execution)
        )
        if fetched.phase is not ExecutionPhase.SUCCEEDED:
            failed = self.with_nodes(fetched) if fetched.error else fetched
            raise ExecutionFailedError(failed.error_message())
        return fetched

    def terminate(self, execution: ExecutionId | RemoteExecution | str) -> RemoteExecution:
        """Ask the execution to end ABORTED."""
        return self._execution(self._send("POST", f"{_path(self._id(execution))}/terminate"))

    def relaunch(
        self, execution: ExecutionId | RemoteExecution | str, name: str = ""
    ) -> RemoteExecution:
        """A new execution of the same entity on the same inputs."""
        path = f"{_path(self._id(execution))}/relaunch"
        return self._execution(self._send("POST", path, json={"name": name}))

    def recover(
        self, execution: ExecutionId | RemoteExecution | str, version: str = "", name: str = ""
    ) -> RemoteExecution:
        """Re-run a failed execution, reusing every node that succeeded in it; with
        ``version``, on that version of its workflow or launch plan (fixed code)."""
        path = f"{_path(self._id(execution))}/recover"
        return self._execution(self._send("POST", path, json={"name": name, "version": version}))

    def set_signal(
        self, execution: ExecutionId | RemoteExecution | str, name: str, value: Any
    ) -> None:
        """Give the gate waiting for signal ``name`` its value (``True`` approves)."""
        path = f"{_path(self._id(execution))}/signals"
        self._send("POST", path, json={"name": name, "value": value})

    def list_executions(
        self,
        *,
        phase: ExecutionPhase | str | None = None,
        workflow: str | None = None,
        launch_plan: str | None = None,
        labels: Mapping[str, str] | None = None,
        limit: int = 100,
        project: str = "",
        domain: str = "",
    ) -> list[RemoteExecution]:
        """Executions of this client's project and domain, newest first, up to ``limit``
        (following the server's pages)."""
        params: dict[str, Any] = {
            "project": project or self.project,
            "domain": domain or self.domain,
        }
        for key, value in (("phase", phase), ("workflow", workflow), ("launch_plan", launch_plan)):
            if value is not None:
                params[key] = str(value.value if isinstance(value, ExecutionPhase) else value)
        params["label"] = [f"{k}={v}" for k, v in (labels or {}).items()]
        found: list[RemoteExecution] = []
        cursor = None
        while len(found) < limit:
            page_params = {**params, "limit": min(limit - len(found), 1000)}
            if cursor:
                page_params["cursor"] = cursor
            answer = self._send("GET", "/executions", params=page_params)
            found += [
                RemoteExecution(msgspec.convert(r, ExecutionRecord, strict=False), _NO_WORKFLOW)
                for r in answer["executions"]
            ]
            cursor = answer.get("next_cursor")
            if not cursor:
                break
        return found

    def logs(
        self,
        execution: ExecutionId | RemoteExecution | str,
        node: str,
        *,
        attempt: int | None = None,
        tail: int | None = None,
    ) -> str:
        """What an attempt of ``node`` printed (its latest attempt by default)."""
        params: dict[str, Any] = {"node": node}
        if attempt is not None:
            params["attempt"] = attempt
        if tail is not None:
            params["tail"] = tail
        response = self._raw("GET", f"{_path(self._id(execution))}/logs", params=params)
        return response.text

    def log_part(
        self,
        execution: ExecutionId | RemoteExecution | str,
        node: str,
        *,
        attempt: int | None = None,
        offset: int = 0,
    ) -> LogPart:
        """The bytes of an attempt's log from ``offset`` on (its latest attempt by default,
        also while it runs), with which attempt it is and where things stand."""
        params: dict[str, Any] = {"node": node, "offset": offset}
        if attempt is not None:
            params["attempt"] = attempt
        response = self._raw("GET", f"{_path(self._id(execution))}/logs", params=params)
        return LogPart.of(response)

    def follow_logs(
        self,
        execution: ExecutionId | RemoteExecution | str,
        node: str,
        *,
        attempt: int | None = None,
        tail: int | None = None,
        interval: float = 0.5,
    ) -> Iterator[tuple[int, str]]:
        """What ``node`` prints as it prints it, as ``(attempt, text)`` pieces, until the
        node ends: each of its attempts in turn (a retry follows the attempt it retries),
        or only attempt ``attempt``; with ``tail``, only the last lines of what it had
        printed already. Looks for more every ``interval`` seconds."""
        id = self._id(execution)

        def fetch(number: int | None, offset: int) -> LogPart:
            return self.log_part(id, node, attempt=number, offset=offset)

        return follow_log(fetch, attempt, interval, tail)

    def activate(self, launch_plan: str, version: str, *, active: bool = True) -> None:
        """Make ``version`` of ``launch_plan`` the active one (its schedule fires from now), or
        with ``active`` false stop its schedule."""
        action = "activate" if active else "deactivate"
        plan = _parts(self.project, self.domain, launch_plan, version)
        self._send("POST", f"/launch_plans/{plan}/{action}")

    def get(self, kind: ResourceType, name: str = "", version: str = "") -> list[dict[str, Any]]:
        """Registered entities of ``kind`` in this client's project and domain: the newest
        of each (no ``name``), the versions of one, or one version with its IR."""
        collection = f"/{kind.value}s/{_parts(self.project, self.domain)}"
        if not name:
            return list(self._send("GET", collection)["entities"])
        if not version:
            return list(self._send("GET", f"{collection}/{_parts(name)}")["entities"])
        return [self._send("GET", f"{collection}/{_parts(name, version)}")]

    # -- plumbing -------------------------------------------------------------------------------

    def _id(self, execution: ExecutionId | RemoteExecution | str) -> ExecutionId:
        if isinstance(execution, RemoteExecution):
            return execution.id
        if isinstance(execution, str):
            if not execution:
                raise InputError("the execution's name is empty")
            return ExecutionId(name=execution, project=self.project, domain=self.domain)
        return execution

    def _execution(self, answer: Any, entity: Entity | None = None) -> RemoteExecution:
        fields = {k: answer[k] for k in _RECORD_FIELDS if k in answer}
        record = msgspec.convert(fields, ExecutionRecord, strict=False)
        workflow = msgspec.convert(answer["workflow"], Identifier, strict=False)
        return RemoteExecution(record, workflow, entity)

    def _send(self, method: str, path: str, *, missing_ok: bool = False, **kwargs: Any) -> Any:
        response = self._raw(method, path, missing_ok=missing_ok, **kwargs)
        if missing_ok and response.status_code == 404:
            return None
        if method == "HEAD" or not response.content:
            return {}
        return response.json()

    def _raw(
        self, method: str, path: str, *, missing_ok: bool = False, **kwargs: Any
    ) -> httpx.Response:
        for attempt in range(CONNECT_RETRIES + 1):
            try:
                response = self._http.request(method, f"{API_PREFIX}{path}", **kwargs)
                break
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                if attempt == CONNECT_RETRIES:
                    raise ServerUnavailable(
                        f"cannot reach the aloft server at {self.url}: {exc}"
                    ) from None
                time.sleep(min(0.1 * 2**attempt, 1.0))
            except httpx.HTTPError as exc:
                raise ServerUnavailable(f"request to {self.url} failed: {exc}") from None
        if response.status_code < 400 or (missing_ok and response.status_code == 404):
            return response
        message = _error_text(response)
        if response.status_code >= 500:
            raise ServerUnavailable(f"the server at {self.url} failed: {message}")
        raise RemoteError(message, response.status_code)


_RECORD_FIELDS = tuple(ExecutionRecord.__struct_fields__)
_DOT_SEGMENTS = {".": "%2E", "..": "%2E%2E"}
"""Path parts an HTTP client would resolve away, written so that it keeps them."""
_NO_WORKFLOW = Identifier(resource_type=ResourceType.WORKFLOW, name="")


def _path(id: ExecutionId) -> str:
    return f"/executions/{_parts(id.project, id.domain, id.name)}"


def _parts(*names: str) -> str:
    """``names`` as parts of a URL's path, each quoted whole: a name holding ``/``, ``?``,
    ``#`` or being ``..`` names that thing on the server, not another path."""
    return "/".join(_DOT_SEGMENTS.get(name) or urllib.parse.quote(name, safe="") for name in names)


def _error_text(response: httpx.Response) -> str:
    try:
        return str(response.json()["error"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}: {response.text[:200]}"


def _literals(entity: Entity, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """``inputs`` as IR literals (JSON), converted by ``entity``'s own Python types. Large
    values travel inside the request: the server cannot read this machine's blob store."""
    types = entity.python_interface.inputs
    literals: dict[str, Any] = {}
    here = current_data_context()
    inline = DataContext(here.store, here.raw_prefix, offload_threshold_bytes=sys.maxsize)
    with data_context(inline):
        for name, value in inputs.items():
            if name not in types:
                raise InputError(
                    f"{entity.name} has no input {name!r}{suggest(name, types)}; "
                    f"its inputs are {', '.join(types) or 'none'}"
                )
            literal: Literal = to_literal(value, types[name])
            literals[name] = msgspec.json.decode(to_json(literal))
    return literals
