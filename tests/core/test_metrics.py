"""/metrics: the Prometheus text for the holder of POLMAS_METRICS_TOKEN, 404 for anyone else."""

import json
import logging
import re

import pytest
from pythonjsonlogger.json import JsonFormatter

from polmas.core.observe import RequestIdFilter

pytestmark = pytest.mark.django_db

TOKEN = "a-metrics-token-of-some-length"
REPORT = {"category": "theft", "description": "Sepeda motor dicuri di depan rumah.",
          "village": "51.08.09.2007"}


def value(text: str, name: str, **labels: str) -> float:
    """The sample `name{labels}` in the exposition (0 when absent)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        metric, _, number = line.rpartition(" ")
        got = dict(re.findall(r'(\w+)="([^"]*)"', metric))
        if metric.split("{")[0] == name and all(got.get(k) == v for k, v in labels.items()):
            return float(number)
    return 0.0


def scrape(client) -> str:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_it_is_404_without_a_token_set_even_to_a_bearer(client, settings):
    settings.POLMAS_METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_it_is_404_without_the_token_or_with_another(client, settings):
    settings.POLMAS_METRICS_TOKEN = TOKEN

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}x"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 404


def test_it_counts_requests_per_view_and_reports_accepted_and_refused(client, settings):
    settings.POLMAS_METRICS_TOKEN = TOKEN
    before = scrape(client)

    ok = client.post("/api/v1/reports", REPORT, content_type="application/json")
    bad = client.post("/api/v1/reports", {**REPORT, "village": "99.99.99.9999"},
                      content_type="application/json")
    client.get("/lapor/")
    after = scrape(client)

    assert ok.status_code == 201 and bad.status_code == 400
    assert value(after, "polmas_reports_accepted_total", channel="api") == \
        value(before, "polmas_reports_accepted_total", channel="api") + 1
    assert value(after, "polmas_reports_refused_total", channel="api", reason="invalid") == \
        value(before, "polmas_reports_refused_total", channel="api", reason="invalid") + 1
    assert value(after, "polmas_http_requests_total", view="portal:report", method="GET",
                 status="200") >= 1
    assert value(after, "polmas_http_request_duration_seconds_count", view="portal:report") >= 1


def test_it_tells_the_routing_backlog_and_its_age(client, settings):
    settings.POLMAS_METRICS_TOKEN = TOKEN
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    base = value(scrape(client), "polmas_routing_backlog")

    client.post("/api/v1/reports", REPORT, content_type="application/json")
    text = scrape(client)

    assert value(text, "polmas_routing_backlog") == base + 1
    assert value(text, "polmas_routing_backlog_age_seconds") >= 0
    assert "polmas_tasks" in text and "polmas_workers_alive" in text


def test_every_answer_carries_a_request_id_and_the_proxys_is_kept_only_behind_one(client, settings):
    settings.POLMAS_BEHIND_PROXY = False
    mine = client.get("/healthz", headers={"X-Request-ID": "abcdef0123456789"})
    assert re.fullmatch(r"[0-9a-f]{32}", mine["X-Request-ID"])

    settings.POLMAS_BEHIND_PROXY = True
    assert client.get("/healthz", headers={"X-Request-ID": "abcdef0123456789"})[
        "X-Request-ID"] == "abcdef0123456789"
    # A header that is no plain token is not written into the logs.
    odd = client.get("/healthz", headers={"X-Request-ID": "x\" injected=1"})
    assert re.fullmatch(r"[0-9a-f]{32}", odd["X-Request-ID"])


def test_a_log_line_of_a_request_is_json_with_its_request_id(client):
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s"))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no-such-page/")
    finally:
        logger.removeHandler(handler)

    assert response.status_code == 404
    logged = json.loads(lines[-1])
    assert logged["request_id"] == response["X-Request-ID"]
    assert logged["name"] == "django.request"
