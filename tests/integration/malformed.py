"""Malformed requests for the server's API, as a careless or hostile client sends them:
wrong types, missing and unknown fields, unknown entities and ids, bad cursors, huge and
broken bodies. Each must get a 4xx with a clear message."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

Request = tuple[str, str, dict[str, Any]]

_EXECUTIONS = "/api/v1/executions"
_JSON = {"content-type": "application/json"}
_BAD_LITERALS = [
    {"kind": "offloaded", "uri": "file:///etc/passwd", "hash": "h", "size": 1},
    {"kind": "int", "value": 2**64},
    {"kind": "hashed", "hash": "a", "value": {"kind": "hashed", "hash": "b", "value": {}}},
]
_ONE_TASK = {"resource_type": "workflow", "name": "server_flows.one_task"}


def _post(path: str, body: Any) -> Request:
    return ("POST", path, {"json": body})


def malformed_requests() -> list[Request]:
    """Over two hundred requests that must each be refused with a 4xx."""
    requests: list[Request] = []
    launch: dict[str, Any] = {"entity": _ONE_TASK, "inputs": {"x": 1}}
    for field, values in {
        "project": [1, None, [], "", "bad name", "-x", "x" * 100],
        "domain": [1, None, {}, "nowhere", ""],
        "name": [1, "bad name!", "-leading", "x" * 64],
        "entity": [None, 1, "server_flows.one_task", [], {}],
        "inputs": [[], "x=1", 5, None],
        "literals": [[], {"x": 1}, {"x": "int"}, {"x": {"kind": "nope"}}, {"x": {"kind": "int"}}],
        "labels": [[], {"a": 1}, {"a": None}, "a=b"],
        "annotations": [[], {"a": []}],
        "unknown_field": [1],
    }.items():
        for value in values:
            requests.append(_post(_EXECUTIONS, {**launch, field: value}))
    for entity in [
        {"resource_type": "bogus", "name": "x"},
        {"resource_type": "workflow"},
        {"resource_type": "workflow", "name": ""},
        {"resource_type": "workflow", "name": "no.such.workflow"},
        {"resource_type": "task", "name": "server_flows.one_task"},
        {"resource_type": "launch_plan", "name": "server_flows.one_task"},
        {**_ONE_TASK, "version": "no-such-version"},
        {**_ONE_TASK, "version": 7},
        {**_ONE_TASK, "extra": 1},
    ]:
        requests.append(_post(_EXECUTIONS, {"entity": entity, "inputs": {"x": 1}}))
    for inputs in [
        {"x": "seven"}, {"x": True}, {"x": 1.5}, {"x": None}, {"x": []}, {"x": {}},
        {}, {"y": 1}, {"x": 1, "y": 2}, {"x": 10**40},
    ]:  # fmt: skip
        requests.append(_post(_EXECUTIONS, {"entity": _ONE_TASK, "inputs": inputs}))
    requests.append(
        _post(
            _EXECUTIONS,
            {
                "entity": _ONE_TASK,
                "inputs": {"x": 1},
                "literals": {"x": {"kind": "int", "value": 1}},
            },
        )
    )
    requests.append(
        _post(_EXECUTIONS, {"entity": _ONE_TASK, "literals": {"x": {"kind": "str", "value": "a"}}})
    )
    for raw in [b"", b"{", b"[]", b"null", b"42", b'"text"', b"\xff\xfe", b"{'single': 1}"]:
        requests.append(
            ("POST", _EXECUTIONS, {"content": raw, "headers": {"content-type": "application/json"}})
        )
    requests.append(("POST", _EXECUTIONS, {"content": b"x=1", "headers": {}}))
    requests.append(
        (
            "POST",
            _EXECUTIONS,
            {
                "content": b"{" + b" " * (33 << 20) + b"}",
                "headers": {"content-type": "application/json"},
            },
        )
    )
    for wrong in ["x" * 70, " ", "a/b", "-x", "bad name", "\u00e9t\u00e9"]:
        requests.append(_post(_EXECUTIONS, {**launch, "project": "default", "name": wrong}))
    for kind in ["workflow", "task", "launch_plan"]:
        for name in ["nope", "server_flows", "server_flows.nope", "x" * 600]:
            requests.append(_post(_EXECUTIONS, {"entity": {"resource_type": kind, "name": name}}))
    for literal in _BAD_LITERALS:
        requests.append(_post(_EXECUTIONS, {"entity": _ONE_TASK, "literals": {"x": literal}}))
    surrogate = b'{"entity": %s, "inputs": {"x": "\\ud800"}}' % json.dumps(_ONE_TASK).encode()
    requests.append(("POST", _EXECUTIONS, {"content": surrogate, "headers": _JSON}))
    for labels in [
        {"k" * 64: "v"},
        {"k": "v" * 257},
        {f"k{i}": "v" for i in range(65)},
        {"team=ml": "v"},  # could never be filtered on: filters split KEY=VALUE at the first =
        {"a key": "v"},
    ]:
        requests.append(_post(_EXECUTIONS, {**launch, "labels": labels}))
    requests.append(("POST", _EXECUTIONS, {"content": _chunks(33 << 20), "headers": _JSON}))
    requests += _listing_requests()
    requests += _id_requests()
    requests += _registration_requests()
    return requests


def _listing_requests() -> list[Request]:
    requests: list[Request] = []
    for params in [
        {"phase": "bogus"}, {"phase": ""}, {"label": "k=" + "v" * 60_000}, {"domain": "nowhere"},
        {"project": "nowhere"}, {"limit": 0}, {"limit": -1}, {"limit": "abc"},
        {"limit": 100_000}, {"sort": "name"}, {"sort": "created"}, {"created_after": "yesterday"},
        {"created_before": "2026-13-45"}, {"label": "no-equals"}, {"label": "=value"},
    ]:  # fmt: skip
        requests.append(("GET", _EXECUTIONS, {"params": params}))
    cursors = [
        "x", "!!!", "abc=", base64.urlsafe_b64encode(b"not json").decode(),
        base64.urlsafe_b64encode(b"[]").decode(),
        _cursor({"after": "a", "sort": "-created_at"}),
        _cursor({"after": 5, "sort": "created_at"}),  # of the other order
        _cursor({"after": True, "sort": "-created_at"}),
        _cursor({"sort": "-created_at"}),
        _cursor({"after": 10**30, "sort": "-created_at"}),
        _cursor({"after": -5, "sort": "-created_at"}),
        "A" * 5000,
    ]  # fmt: skip
    for cursor in cursors:
        requests.append(("GET", _EXECUTIONS, {"params": {"cursor": cursor}}))
    return requests


def _chunks(size: int) -> Iterator[bytes]:
    """A JSON body of ``size`` bytes, sent in chunks without a length."""
    yield b'{"inputs": {"x": "'
    for _ in range(size >> 20):
        yield b"x" * (1 << 20)
    yield b'"}}'


def _cursor(content: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(content).encode()).decode()


def _id_requests() -> list[Request]:
    requests: list[Request] = []
    for project, domain, name in [
        ("default", "development", "no-such-execution"),
        ("nowhere", "development", "x"),
        ("default", "nowhere", "x"),
        ("default", "development", "x" * 300),
    ]:
        base = f"{_EXECUTIONS}/{project}/{domain}/{name}"
        requests.append(("GET", base, {}))
        requests.append(("GET", f"{base}/nodes", {}))
        requests.append(("GET", f"{base}/logs", {"params": {"node": "n0"}}))
        requests.append(_post(f"{base}/terminate", {}))
        requests.append(_post(f"{base}/relaunch", {}))
        requests.append(_post(f"{base}/recover", {}))
        requests.append(_post(f"{base}/signals", {"name": "approve", "value": True}))
    requests.append(("GET", f"{_EXECUTIONS}/default/development/x/logs", {}))
    for body in [
        {},
        {"value": 1},
        {"name": ""},
        {"name": 5, "value": 1},
        {"name": "a", "literal": 3},
    ]:
        requests.append(_post(f"{_EXECUTIONS}/default/development/x/signals", body))
    for body in [{"name": 5}, {"name": "bad name"}, {"version": 7}, {"unknown": 1}, []]:
        requests.append(_post(f"{_EXECUTIONS}/default/development/x/relaunch", body))
        requests.append(_post(f"{_EXECUTIONS}/default/development/x/recover", body))
    for kind in ["workflows", "tasks", "launch_plans", "bogus"]:
        requests.append(("GET", f"/api/v1/{kind}/nowhere/development", {}))
        requests.append(("GET", f"/api/v1/{kind}/default/nowhere", {}))
        requests.append(("GET", f"/api/v1/{kind}/default/development/no.such.entity", {}))
        requests.append(("GET", f"/api/v1/{kind}/default/development/no.such.entity/v1", {}))
        requests.append(("GET", f"/api/v1/{kind}/default/development/no.such.entity/latest", {}))
    requests.append(("GET", "/api/v1/workflows/default/development/x", {"params": {"limit": 0}}))
    requests.append(("GET", "/api/v1/no-such-route", {}))
    requests.append(("DELETE", _EXECUTIONS, {}))
    return requests


_WORKFLOW_ID = {"id": {"resource_type": "workflow", "name": "w"}}
_MISTYPED_TASK = {
    **_WORKFLOW_ID,
    "interface": {},
    "type": "python-task",
    "code": {"module": "m", "qualname": "q"},
}


def _registration_requests() -> list[Request]:
    requests: list[Request] = []
    good_entity = {"resource_type": "task", "template": {}, "closure": {}}
    for body in [
        {}, {"entities": []}, {"entities": "x"}, {"entities": [1]},
        {"entities": [{"resource_type": "bogus", "template": {}, "closure": {}}]},
        {"entities": [good_entity]},
        {"entities": [{**good_entity, "template": {"id": 1}}]},
        {"entities": [{**good_entity, "template": []}]},
        {"entities": [good_entity], "bundle": "not-a-digest"},
        {"entities": [good_entity], "version": "bad version!"},
        {"entities": [good_entity], "version": "x" * 100},
        {"entities": [good_entity], "version": "latest"},
        {"entities": [good_entity], "project": "bad project"},
        {"entities": [good_entity], "domain": "nowhere"},
        {"entities": [good_entity], "surprise": True},
        {"entities": [{**good_entity, "template": _WORKFLOW_ID, "closure": {"workflow": 3}}]},
        {"entities": [{**good_entity, "template": _MISTYPED_TASK}], "bundle": "0" * 64},
    ]:  # fmt: skip
        requests.append(_post("/api/v1/register", body))
    for digest, content in [
        ("not-hex", b"data"),
        ("0" * 63, b"data"),
        ("0" * 64, b"data that does not match its digest"),
        ("A" * 64, b"data"),
    ]:
        requests.append(("PUT", f"/api/v1/bundles/{digest}", {"content": content}))
    import hashlib

    junk = b"this is not a gzip tarball"
    requests.append(
        ("PUT", f"/api/v1/bundles/{hashlib.sha256(junk).hexdigest()}", {"content": junk})
    )
    for body in [
        {},
        {"name": ""},
        {"name": "bad name"},
        {"name": 3},
        {"name": "default"},
        {"name": "ok", "x": 1},
    ]:
        requests.append(_post("/api/v1/projects", body))
    return requests
