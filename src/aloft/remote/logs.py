"""Following a node's log on the server as its attempts print it.

A running attempt's worker publishes what it has printed every second or two, and the
server answers a log request from a byte offset on, with headers saying which attempt the
log is of and where the attempt, the node and the execution stand. A follower asks for what
it has not read yet, moves on to the next attempt when one retries the node, and stops when
the node (or the execution) has ended.
"""

from __future__ import annotations

import codecs
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx

from aloft.ir import ExecutionPhase, NodePhase


@dataclass(frozen=True)
class LogPart:
    """One answer to a log request: bytes of the log of ``attempt`` (None before the node
    made one), and the phases of that attempt, its node and its execution."""

    data: bytes
    attempt: int | None
    attempt_phase: NodePhase | None
    node_phase: NodePhase
    execution_phase: ExecutionPhase

    @classmethod
    def of(cls, response: httpx.Response) -> LogPart:
        """The part a log response carries."""
        headers = response.headers
        number = headers.get("x-aloft-attempt")
        attempt_phase = headers.get("x-aloft-attempt-phase")
        return cls(
            data=response.content,
            attempt=int(number) if number is not None else None,
            attempt_phase=NodePhase(attempt_phase) if attempt_phase else None,
            node_phase=NodePhase(headers.get("x-aloft-node-phase", NodePhase.NOT_STARTED)),
            execution_phase=ExecutionPhase(headers["x-aloft-execution-phase"]),
        )

    @property
    def attempt_ended(self) -> bool:
        """Whether the attempt has ended, so that its log is whole."""
        return self.attempt_phase is not None and self.attempt_phase.is_terminal

    @property
    def over(self) -> bool:
        """Whether the node will make no other attempt: it (or its execution) has ended."""
        return self.node_phase.is_terminal or self.execution_phase.is_terminal


Fetch = Callable[[int | None, int], LogPart]
"""Asks for the log of an attempt (the latest for None) from a byte offset on."""


def follow_log(
    fetch: Fetch,
    attempt: int | None = None,
    interval: float = 0.5,
    tail: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[tuple[int, str]]:
    """What a node's attempts print, as ``(attempt, text)`` pieces in order, until the node
    ends; only attempt ``attempt``'s until it ends, if given; of what was printed before the
    first request, only the last ``tail`` lines. Asks ``fetch`` for more every ``interval``
    seconds while nothing has ended."""
    number, offset, finished = attempt, 0, None
    decoder = _decoder()
    lines = tail
    while True:
        part = fetch(number, offset)
        if number is None and part.attempt is not None and part.attempt != finished:
            number = part.attempt
            if offset:  # a retry, asked for past its start: read it from there
                offset = 0
                continue
        if number is not None and part.data:
            offset += len(part.data)
            text = decoder.decode(part.data)
            yield number, text if lines is None else "".join(text.splitlines(True)[-lines:])
        lines = None
        if number is not None and part.attempt_ended and part.attempt == number:
            if rest := decoder.decode(b"", final=True):
                yield number, rest
            if attempt is not None or part.over:
                return
            number, finished, decoder = None, number, _decoder()  # a retry comes
        elif part.over:
            return
        sleep(interval)


def _decoder() -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder("utf-8")(errors="replace")
