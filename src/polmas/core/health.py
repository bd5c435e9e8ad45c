"""What /readyz asks, and the metrics read from the database at each scrape.

Each check answers "ok" or what is wrong, never raises: /readyz names every part that does
not answer; it answers 503 only while the database does not (core/views.NEEDED), so that a
load balancer takes an app server out only when that server cannot serve.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.utils import DatabaseError
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from polmas.core import heartbeat, metrics
from polmas.core.db import replica

# The database alias of a read replica, when the deployment has one (DATABASE_REPLICA_URL,
# the replica router's setting). Checked here by its alias only: /readyz works whatever the
# router does with it.
REPLICA = "replica"


def _select_one(alias: str) -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


def check_database() -> str:
    return _select_one("default")


def check_replica() -> str | None:
    """The replica if one is configured (None: none is)."""
    if REPLICA not in settings.DATABASES:
        return None
    return _select_one(REPLICA)


def check_cache() -> str | None:
    """The shared cache if POLMAS_CACHE_URL is set (None: a per-process cache, always there)."""
    if not settings.POLMAS_CACHE_URL:
        return None
    up = getattr(cache, "up", None)
    return "ok" if up is not None and up() else "unreachable"


def check_worker() -> str | None:
    """A task worker beat within POLMAS_WORKER_HEARTBEAT_SECONDS (None: not checked)."""
    within = settings.POLMAS_WORKER_HEARTBEAT_SECONDS
    if not within:
        return None
    try:
        last = heartbeat.last_beat()
    except DatabaseError:
        return "unknown"
    if last is None:
        return "never seen"
    age = (timezone.now() - last).total_seconds()
    return "ok" if age <= within else f"silent for {age:.0f} s"


def readiness() -> dict[str, str]:
    """Every configured part and its state."""
    parts = {"database": check_database()}
    for name, check in (("replica", check_replica), ("cache", check_cache), ("worker", check_worker)):
        state = check()
        if state is not None:
            parts[name] = state
    return parts


def replica_lag_seconds() -> float | None:
    """Seconds since the replica last replayed a transaction (PostgreSQL standby), or None."""
    if REPLICA not in settings.DATABASES or connections[REPLICA].vendor != "postgresql":
        return None
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())")
            row = cursor.fetchone()
    except DatabaseError:
        # The replica down: no lag to give, and the fallback counters below must still be
        # scraped (raising here hid them, the moment they matter).
        return None
    return float(row[0]) if row and row[0] is not None else None


def _core_metrics() -> Iterable[Metric]:
    from polmas.core.db.tasks import task_counts

    tasks = GaugeMetricFamily("polmas_tasks", "Task rows by state (FAILED: failures not yet "
                              "pruned)", labels=["status"])
    for status, n in task_counts().items():
        tasks.add_metric([status], n)
    yield tasks
    within = float(settings.POLMAS_WORKER_HEARTBEAT_SECONDS or 120)
    yield GaugeMetricFamily("polmas_workers_alive", f"Task workers that beat in the last {within:.0f} s",
                            value=heartbeat.live_workers(within=within))
    last = heartbeat.last_beat()
    if last is not None:
        yield GaugeMetricFamily("polmas_worker_heartbeat_age_seconds", "Seconds since a worker last beat",
                                value=(timezone.now() - last) / dt.timedelta(seconds=1))
    lag = replica_lag_seconds() if REPLICA in settings.DATABASES else None
    if lag is not None:
        yield GaugeMetricFamily("polmas_replica_lag_seconds",
                                "Seconds since the replica replayed the primary's last transaction",
                                value=lag)
    status = replica.replica_status()
    if status["configured"]:
        # This process's router: reads sent to the replica, and reads left for the primary
        # because the replica was behind, gone or not connecting (ADR 30).
        yield CounterMetricFamily("polmas_replica_reads",
                                  "Reads the router sent to the replica (this process)",
                                  value=status["reads"])
        yield CounterMetricFamily("polmas_replica_fallbacks",
                                  "Reads left for the primary: the replica was behind or gone (this process)",
                                  value=status["fallbacks"])


metrics.register_source("core", _core_metrics)
