"""The tail of an attempt's log, read from the log's end in a real blob store."""

from __future__ import annotations

from pathlib import Path

import pytest

from aloft.ir import AttemptRecord, ExecutionId, NodeKey
from aloft.server.logs import read_tail
from aloft.storage import BlobStore


def attempt_with_log(tmp_path: Path, text: str | None) -> tuple[BlobStore, AttemptRecord]:
    """A blob store holding ``text`` as an attempt's log (None: not written yet)."""
    blobs = BlobStore(str(tmp_path / "store"))
    uri = blobs.uri("run", "n0", "0", "logs.txt")
    if text is not None:
        blobs.write_bytes(uri, text.encode())
    attempt = AttemptRecord(
        execution=ExecutionId("run"), node=NodeKey(path=("n0",)), number=0, token="t", log_uri=uri
    )
    return blobs, attempt


@pytest.mark.parametrize("window", [1, 7, 64, 1 << 20])
def test_the_last_lines_come_whole_however_little_is_read_at_first(
    tmp_path: Path, window: int
) -> None:
    text = "".join(f"line {i} é\n" for i in range(1000))
    blobs, attempt = attempt_with_log(tmp_path, text)
    tail, size = read_tail(blobs, attempt, 3, window=window)
    assert tail == "line 997 é\nline 998 é\nline 999 é\n"
    assert size == len(text.encode())  # where a follower goes on from


def test_a_log_shorter_than_asked_for_is_given_whole_and_an_unfinished_line_counts(
    tmp_path: Path,
) -> None:
    blobs, attempt = attempt_with_log(tmp_path, "a\nb\nstill printing")
    assert read_tail(blobs, attempt, 2, window=4) == ("b\nstill printing", 18)
    assert read_tail(blobs, attempt, 50, window=4) == ("a\nb\nstill printing", 18)


def test_nothing_printed_or_published_yet_is_an_empty_tail(tmp_path: Path) -> None:
    blobs, attempt = attempt_with_log(tmp_path, None)
    assert read_tail(blobs, attempt, 5) == ("", 0)
    assert read_tail(blobs, None, 5) == ("", 0)
    assert read_tail(blobs, attempt_with_log(tmp_path, "")[1], 5) == ("", 0)
