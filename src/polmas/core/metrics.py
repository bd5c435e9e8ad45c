"""Prometheus metrics (prometheus-client), served at /metrics to the holder of
POLMAS_METRICS_TOKEN.

Two kinds. Counted in the process as things happen: requests and their latency per view
(core/observe.py), reports accepted and refused by reason (reports/intake.py). Under gunicorn
each worker process counts its own: set PROMETHEUS_MULTIPROC_DIR (an empty directory, emptied
at each start; deploy/systemd/polmas-web@.service) and the scrape sums them. Read from the
database when scraped, so the same on every app server: the routing backlog and its age,
tasks by state (failures among them), the workers' heartbeats, the replica's lag; rooms add
theirs with `register_source` (a GET never writes: sources only read).
"""

import logging
import os
from collections.abc import Callable, Iterable

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import Metric
from prometheus_client.registry import Collector

logger = logging.getLogger("polmas.metrics")

REQUESTS = Counter("polmas_http_requests", "HTTP requests answered, per view, method and status",
                   ["view", "method", "status"])
LATENCY = Histogram("polmas_http_request_duration_seconds", "Time to answer, per view", ["view"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
REPORTS_ACCEPTED = Counter("polmas_reports_accepted", "Reports stored, per channel", ["channel"])
REPORTS_REFUSED = Counter("polmas_reports_refused", "Reports refused, per channel and reason",
                          ["channel", "reason"])

_SOURCES: dict[str, Callable[[], Iterable[Metric]]] = {}


def request_done(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view, method, str(status)).inc()
    LATENCY.labels(view).observe(seconds)


def report_accepted(*, channel: str) -> None:
    REPORTS_ACCEPTED.labels(channel).inc()


def report_refused(*, channel: str, reason: str) -> None:
    REPORTS_REFUSED.labels(channel, reason).inc()


def register_source(name: str, source: Callable[[], Iterable[Metric]]) -> None:
    """Have `source()` yield metric families (read from the database) at every scrape."""
    _SOURCES[name] = source


class _Sources(Collector):
    def collect(self) -> Iterable[Metric]:
        for name, source in sorted(_SOURCES.items()):
            try:
                yield from source()
            except Exception:
                # One unreadable source (a database down) must not hide the others.
                logger.exception("metrics source %s failed", name)


_sources = _Sources()
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    REGISTRY.register(_sources)


def exposition() -> bytes:
    """The Prometheus text of every metric, summed over the processes in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_sources)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
