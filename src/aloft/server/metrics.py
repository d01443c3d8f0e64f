"""Prometheus metrics at ``/metrics``: executions by phase, node latency, the queue of
attempts waiting for a worker and the worker pool's use.

Counts of executions and running attempts are read from the database when scraped, so they
are right whichever server (or restart) made them; ``aloft_task_attempt_seconds`` is a
histogram of the time from handing an attempt to this server's pool to its result, over
the attempts since the server started; the pool's use is counted by its engine thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from aloft.ir import ExecutionPhase
from aloft.server.engine_service import PoolUse
from aloft.storage.executions.sql import SqlStore

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class PlatformCollector(Collector):
    """Collects the platform's metrics at each scrape."""

    def __init__(self, store: SqlStore, pool: Callable[[], PoolUse]) -> None:
        self.store = store
        self.pool = pool

    def collect(self) -> Iterable[Metric]:
        """The metrics, read now."""
        by_phase = GaugeMetricFamily(
            "aloft_executions", "Executions stored, by phase.", labels=["phase"]
        )
        counts = dict.fromkeys((p.value for p in ExecutionPhase), 0)
        counts.update(self.store.count_by_phase())
        for phase, count in counts.items():
            by_phase.add_metric([phase], count)
        yield by_phase
        running = GaugeMetricFamily(
            "aloft_attempts_running", "Task attempts recorded as running, over all hosts."
        )
        running.add_metric([], self.store.count_running_attempts())
        yield running
        use = self.pool()
        in_flight = GaugeMetricFamily(
            "aloft_pool_attempts",
            "Attempts handed to this server's worker pool (running or queued).",
        )
        in_flight.add_metric([], use.in_flight)
        yield in_flight
        queue = GaugeMetricFamily(
            "aloft_pool_queue_depth", "Attempts waiting for a free worker of this server."
        )
        queue.add_metric([], max(0, use.in_flight - use.workers))
        yield queue
        workers = GaugeMetricFamily("aloft_pool_workers", "Worker processes of this server.")
        workers.add_metric([], use.workers)
        yield workers
        busy = GaugeMetricFamily(
            "aloft_pool_utilization", "Share of this server's workers running an attempt."
        )
        busy.add_metric([], min(use.in_flight, use.workers) / use.workers if use.workers else 0)
        yield busy


def metrics_text(registry: CollectorRegistry) -> bytes:
    """The exposition text of everything ``registry`` collects."""
    return generate_latest(registry)
