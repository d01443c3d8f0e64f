"""What a node's phase and progress look like in a few words, the same on a page as drawn
and in the small document the page polls for live updates."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from aloft.console.graph import Frame, GraphNode
from aloft.ir import CacheStatus, ExecutionRecord, NodeKey, NodePhase, NodeRecord

_ITEM_WORDS = (
    (NodePhase.SUCCEEDED, "ok"),
    (NodePhase.FAILED, "failed"),
    (NodePhase.RUNNING, "running"),
    (NodePhase.RETRYABLE_FAILURE, "retrying"),
    (NodePhase.ABORTED, "aborted"),
    (NodePhase.SKIPPED, "skipped"),
    (NodePhase.NOT_STARTED, "waiting"),
)


def phase_of(record: NodeRecord | None) -> str:
    """The node's phase, ``not_started`` if it has no record yet."""
    return record.phase.value if record is not None else NodePhase.NOT_STARTED.value


def item_counts(record: NodeRecord | None) -> list[tuple[str, str, int]]:
    """A map node's items by phase: (phase, word, count), those with none left out."""
    if record is None or record.items is None:
        return []
    counts = record.items.counts
    return [(phase.value, word, counts[phase]) for phase, word in _ITEM_WORDS if counts.get(phase)]


def node_detail(node: GraphNode, record: NodeRecord | None) -> str:
    """A few words on what the node does or has done: a map's items by phase, the case a
    branch took, a cache hit, a retry, or else its kind."""
    if record is not None and record.items is not None:
        total = len(record.items)
        parts = [f"{count:,} {word}" for _, word, count in item_counts(record)]
        return f"{total:,} items: " + ", ".join(parts) if parts else f"{total:,} items"
    if node.kind == "branch" and record is not None and record.branch is not None:
        return f"took case {record.branch + 1}"
    if record is not None and record.cache_status is CacheStatus.HIT:
        return f"{node.kind}, from the cache"
    if record is not None and record.recovered:
        return f"{node.kind}, recovered"
    if record is not None and record.attempt > 0:
        return f"{node.kind}, attempt {record.attempt + 1}"
    return node.kind


def duration(
    started: datetime.datetime | None, ended: datetime.datetime | None, running: bool
) -> float | None:
    """Seconds from ``started`` to ``ended`` (to now if still ``running``), None if unknown."""
    if started is None:
        return None
    end = datetime.datetime.now(datetime.UTC) if running or ended is None else ended
    return max((end - started).total_seconds(), 0.0)


def format_seconds(seconds: float | None) -> str:
    """``4 ms``, ``2.42 s``, ``12.3 s``, ``4 min 05 s``, ``2 h 03 min``; empty if unknown."""
    if seconds is None:
        return ""
    if seconds < 0.9995:  # most tasks take milliseconds: "0.00 s" would say nothing
        return f"{seconds * 1000:.0f} ms"
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def live_status(
    record: ExecutionRecord, frame: Frame, records: Mapping[NodeKey, NodeRecord]
) -> dict[str, object]:
    """What a page polls: the execution's phase and, per drawn node, its phase and detail."""
    nodes = {}
    for node in frame.walk():
        node_record = records.get(node.key)
        nodes[str(node.key)] = {
            "phase": phase_of(node_record),
            "detail": node_detail(node, node_record),
        }
    return {
        "phase": record.phase.value,
        "ended": record.phase.is_terminal,
        "version": record.version,
        "nodes": nodes,
    }
