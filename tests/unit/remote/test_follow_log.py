"""Following a node's log: what the server answers, one request at a time, decides what is
printed, when the follower moves on to a retry and when it stops. The server is a script of
answers here (the real one is in tests/integration/test_server_cli.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest

from aloft.ir import ExecutionPhase, NodePhase
from aloft.remote.logs import LogPart, follow_log

RUNNING, SUCCEEDED, FAILED = NodePhase.RUNNING, NodePhase.SUCCEEDED, NodePhase.FAILED
GOING = ExecutionPhase.RUNNING


@dataclass
class Log:
    """One attempt's log as it grows: what it holds at each request, and its phase then."""

    versions: list[tuple[bytes, NodePhase]]


@dataclass
class Server:
    """Answers log requests from attempts' logs; ``latest`` says, request by request, which
    attempt is the node's latest (None: none yet) and where the node stands."""

    attempts: dict[int, Log]
    latest: list[tuple[int | None, NodePhase]]
    asked: list[tuple[int | None, int]] = field(default_factory=list)

    def fetch(self, number: int | None, offset: int) -> LogPart:
        step = len(self.asked)
        assert step < 50, "the follower never stopped"
        self.asked.append((number, offset))
        latest, node_phase = self.latest[min(step, len(self.latest) - 1)]
        chosen = latest if number is None else number
        if chosen is None:
            return LogPart(b"", None, None, node_phase, GOING)
        versions = self.attempts[chosen].versions
        data, phase = versions[min(step, len(versions) - 1)]
        return LogPart(data[offset:], chosen, phase, node_phase, GOING)


def followed(
    server: Server, attempt: int | None = None, tail: int | None = None
) -> list[tuple[int, str]]:
    pieces = follow_log(server.fetch, attempt, tail=tail, sleep=lambda seconds: None)
    merged: list[tuple[int, str]] = []
    for number, text in pieces:
        if merged and merged[-1][0] == number:
            merged[-1] = (number, merged[-1][1] + text)
        else:
            merged.append((number, text))
    return merged


def test_a_running_attempt_is_followed_until_the_node_ends() -> None:
    log = Log([(b"", RUNNING), (b"one\n", RUNNING), (b"one\ntwo\n", SUCCEEDED)])
    server = Server({0: log}, [(None, NodePhase.NOT_STARTED), (0, RUNNING), (0, SUCCEEDED)])
    assert followed(server) == [(0, "one\ntwo\n")]
    assert server.asked[-1] == (0, 4)  # only what was not read yet is asked for


def test_a_retry_is_followed_after_the_attempt_it_retries() -> None:
    first = Log([(b"try\n", RUNNING), (b"try\nboom\n", FAILED)])
    second = Log([(b"again\n", SUCCEEDED)])
    server = Server(
        {0: first, 1: second},
        [(0, RUNNING), (0, RUNNING), (0, RUNNING), (1, RUNNING), (1, RUNNING), (1, SUCCEEDED)],
    )
    assert followed(server) == [(0, "try\nboom\n"), (1, "again\n")]
    assert (1, 0) in server.asked  # the retry is read from its start


def test_a_chosen_attempt_is_followed_alone() -> None:
    first = Log([(b"try\n", RUNNING), (b"try\nboom\n", FAILED)])
    server = Server({0: first, 1: Log([(b"again\n", RUNNING)])}, [(1, RUNNING)])
    assert followed(server, attempt=0) == [(0, "try\nboom\n")]


def test_a_tail_keeps_the_last_lines_of_what_was_printed_before_the_first_request() -> None:
    log = Log([(b"a\nb\nc\n", RUNNING), (b"a\nb\nc\nd\ne\n", SUCCEEDED)])
    server = Server({0: log}, [(0, RUNNING), (0, SUCCEEDED)])
    assert followed(server, tail=1) == [(0, "c\nd\ne\n")]
    later = Log([(b"", RUNNING), (b"a\nb\n", SUCCEEDED)])  # nothing there yet: all of it
    assert followed(Server({0: later}, [(0, RUNNING), (0, SUCCEEDED)]), tail=1) == [(0, "a\nb\n")]


def test_a_node_that_never_starts_is_left_when_its_execution_ends() -> None:
    answers = iter(
        [
            LogPart(b"", None, None, NodePhase.NOT_STARTED, GOING),
            LogPart(b"", None, None, NodePhase.NOT_STARTED, ExecutionPhase.FAILED),
        ]
    )
    assert list(follow_log(lambda number, offset: next(answers), sleep=lambda s: None)) == []


def test_a_character_split_between_two_answers_is_printed_whole() -> None:
    text = "café\n".encode()
    log = Log([(text[:4], RUNNING), (text, SUCCEEDED)])
    server = Server({0: log}, [(0, RUNNING), (0, SUCCEEDED)])
    assert followed(server) == [(0, "café\n")]


def test_a_log_answer_carries_its_attempt_and_phases() -> None:
    headers = {
        "x-aloft-attempt": "2",
        "x-aloft-attempt-phase": "running",
        "x-aloft-node-phase": "running",
        "x-aloft-execution-phase": "running",
    }
    part = LogPart.of(httpx.Response(200, content=b"hi\n", headers=headers))
    assert (part.data, part.attempt, part.attempt_ended, part.over) == (b"hi\n", 2, False, False)
    before = LogPart.of(httpx.Response(200, headers={"x-aloft-execution-phase": "queued"}))
    assert (before.attempt, before.node_phase) == (None, NodePhase.NOT_STARTED)
    with pytest.raises(KeyError):  # not an aloft server's answer
        LogPart.of(httpx.Response(200))
