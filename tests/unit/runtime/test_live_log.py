"""A running attempt's log published while it runs: only once the attempt has run a while,
only complete lines, only when it grew, never after the attempt ended, with the task's
secrets redacted and the start of a secret's value held back until it is complete. The
clock is the test's own, so nothing here waits."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from aloft import Secret, task
from aloft.ir import ExecutionId, NodeKey, TaskAttemptSpec
from aloft.runtime.live_log import AFTER_FAILURE, BYTES_PER_SECOND, INTERVAL, LiveLog
from aloft.storage.layout import log_uri

KEY = "-----BEGIN KEY-----\nabc\n-----END KEY-----"


@task
def chatty() -> None:
    print("hello")


@task(secret_requests=[Secret(group="vault", key="token"), Secret(group="vault", key="key")])
def secretive() -> None:
    print("hello")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Running:
    """A live log over a capture file, and the attempt it publishes for."""

    def __init__(self, folder: Path, task_template: object = None) -> None:
        self.capture = folder / "capture.log"
        self.capture.write_bytes(b"")
        self.clock = Clock()
        self.live = LiveLog(str(self.capture), self.clock)
        token = uuid.uuid4().hex
        self.spec = TaskAttemptSpec(
            execution=ExecutionId(name="live"),
            node=NodeKey(path=("n0",)),
            attempt=0,
            token=token,
            task=task_template or chatty.template,  # type: ignore[arg-type]
            inputs={},
            output_prefix=(folder / "store" / token).as_uri(),
        )
        self.published = Path(log_uri(self.spec.output_prefix).removeprefix("file://"))
        self.live.begin(self.spec)

    def prints(self, data: bytes) -> None:
        with self.capture.open("ab") as captured:
            captured.write(data)

    def at(self, seconds: float) -> bytes | None:
        """What is published once ``seconds`` have passed since the attempt began."""
        self.clock.now = 100.0 + seconds
        self.live.publish_due()
        return self.published.read_bytes() if self.published.exists() else None


def test_an_attempt_that_ends_within_the_interval_publishes_nothing(tmp_path: Path) -> None:
    running = Running(tmp_path)
    running.prints(b"quick\n")
    assert running.at(INTERVAL / 2) is None
    running.live.end()
    assert running.at(INTERVAL * 5) is None


def test_complete_lines_are_published_once_due_and_when_they_grew(tmp_path: Path) -> None:
    running = Running(tmp_path)
    running.prints(b"first\nsec")
    assert running.at(INTERVAL) == b"first\n"  # the unfinished line waits
    running.prints(b"ond\n")
    assert running.at(INTERVAL * 1.5) == b"first\n"  # not due yet
    assert running.at(INTERVAL * 2) == b"first\nsecond\n"
    running.published.unlink()
    assert running.at(INTERVAL * 4) is None  # nothing new: nothing written again
    running.prints(b"10%\r20%\r")  # a progress bar's carriage returns end lines too
    assert running.at(INTERVAL * 5) == b"first\nsecond\n10%\r20%\r"


def test_nothing_is_published_after_the_attempt_ended(tmp_path: Path) -> None:
    running = Running(tmp_path)
    running.prints(b"one\n")
    assert running.at(INTERVAL) == b"one\n"
    running.prints(b"two\n")
    running.live.end()
    assert running.at(INTERVAL * 3) == b"one\n"  # the final store is the worker's


def test_secrets_are_redacted_and_an_unfinished_one_held_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_FSEC_VAULT_TOKEN", "hunter2-token")
    monkeypatch.setenv("_FSEC_VAULT_KEY", KEY)
    running = Running(tmp_path, secretive.template)
    running.prints(b"using hunter2-token\nkey:\n-----BEGIN KEY-----\nab")
    assert running.at(INTERVAL) == b"using [redacted]\nkey:\n"  # the key may go on
    running.prints(b"c\n-----END KEY-----\ndone\n")
    assert running.at(INTERVAL * 2) == b"using [redacted]\nkey:\n[redacted]\ndone\n"


def test_a_long_log_is_published_less_often(tmp_path: Path) -> None:
    running = Running(tmp_path)
    line = b"x" * 1023 + b"\n"
    running.prints(line * (2 * BYTES_PER_SECOND // len(line)))  # two seconds' worth
    assert running.at(INTERVAL) is not None
    running.prints(b"more\n")
    assert not running.at(INTERVAL + 1.9).endswith(b"more\n")  # type: ignore[union-attr]
    assert running.at(INTERVAL + 2).endswith(b"more\n")  # type: ignore[union-attr]


def test_a_store_that_refuses_is_tried_again_later(tmp_path: Path) -> None:
    blocker = tmp_path / "store"
    blocker.write_text("a file where the store's folder should be")
    running = Running(tmp_path)
    running.prints(b"line\n")
    assert running.at(INTERVAL) is None  # refused, and said nowhere: stderr is the log
    blocker.unlink()
    assert running.at(INTERVAL * 2) is None  # not tried again yet
    assert running.at(INTERVAL + AFTER_FAILURE) == b"line\n"
