"""Capturing what an attempt writes to stdout and stderr, and storing it as the attempt's log.

Capture works on file descriptors 1 and 2, so it also catches output of C extensions and of
child processes, not only of ``print``. Both go to one file, in the order they were written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from aloft.ir import TaskAttemptSpec
from aloft.runtime.task_context import Redactor
from aloft.storage import store_for
from aloft.storage.layout import log_uri, raw_prefix

_STREAMS = (1, 2)


class OutputCapture:
    """Sends this process's stdout and stderr to the file at ``path`` while ``capturing``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        self._saved = [os.dup(fd) for fd in _STREAMS]

    @contextmanager
    def capturing(self) -> Iterator[None]:
        """Capture into the file, emptied first; Python's streams are restored afterwards."""
        streams = sys.stdout, sys.stderr
        os.ftruncate(self._fd, 0)
        _flush(*streams)
        for fd in _STREAMS:
            os.dup2(self._fd, fd)
        try:
            yield
        finally:
            _flush(sys.stdout, sys.stderr, *streams)
            for fd, saved in zip(_STREAMS, self._saved, strict=True):
                os.dup2(saved, fd)
            sys.stdout, sys.stderr = streams

    def store(self, spec: TaskAttemptSpec) -> str:
        """Store what the last capture caught as the log of attempt ``spec``."""
        return store_log(self.path, spec)


class PassThrough:
    """Leaves stdout and stderr where they go (the terminal of a local run) and stores no
    log: what ``OutputCapture`` does, for a worker whose output is to be seen as it comes."""

    @contextmanager
    def capturing(self) -> Iterator[None]:
        """Nothing is redirected; what the attempt wrote is flushed when it ends."""
        try:
            yield
        finally:
            _flush(sys.stdout, sys.stderr)

    def store(self, spec: TaskAttemptSpec) -> str:
        """No log: the output went to the terminal."""
        return ""


def store_log(path: str, spec: TaskAttemptSpec) -> str:
    """Store the file at ``path`` as the log of attempt ``spec`` and return its URI, with the
    values of the secrets its task requested replaced by ``[redacted]``.

    Returns an empty string when the file is empty or missing, or cannot be stored (which is
    reported on stderr: a lost log does not fail the attempt).
    """
    prefix = spec.output_prefix
    try:
        if os.path.getsize(path) == 0:
            return ""
        uri = log_uri(prefix)
        store = store_for(uri)
        if spec.task.secret_requests:
            with open(path, "rb") as captured:
                store.write_bytes(uri, Redactor.for_attempt(spec).data(captured.read()))
        else:
            store.upload_file(path, uri)
    except FileNotFoundError:
        return ""
    except Exception as exc:  # any storage failure only loses the log
        print(f"aloft: cannot store the log of {prefix}: {exc}", file=sys.stderr)
        return ""
    return uri


def discard_data(prefix: str) -> None:
    """Remove what the failed attempt at ``prefix`` offloaded (files, tables, large values,
    and any write it did not finish): nothing refers to it. A failure to remove is reported
    on stderr and changes nothing else."""
    uri = raw_prefix(prefix)
    try:
        store_for(uri).remove(uri)
    except Exception as exc:
        print(f"aloft: cannot remove what {prefix} wrote: {exc}", file=sys.stderr)


def _flush(*streams: TextIO | None) -> None:
    for stream in streams:
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # closed or broken by the task: nothing to keep
            pass
