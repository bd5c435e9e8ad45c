"""The routing backlog for /metrics: reports stored and not yet routed, and the oldest one's
age (read at each scrape; the partial index report_unrouted makes both cheap)."""

from collections.abc import Iterable

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from polmas.reports.models import Report


def routing_backlog() -> Iterable[Metric]:
    row = Report.objects.filter(routed_at__isnull=True).aggregate(n=Count("id"), oldest=Min("created_at"))
    yield GaugeMetricFamily("polmas_routing_backlog", "Reports stored and not yet routed", value=row["n"])
    age = (timezone.now() - row["oldest"]).total_seconds() if row["oldest"] else 0.0
    yield GaugeMetricFamily("polmas_routing_backlog_age_seconds",
                            "Age of the oldest report not yet routed (0: none waits)", value=age)
