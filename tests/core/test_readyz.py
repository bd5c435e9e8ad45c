"""/readyz: 200 when every configured part answers, 503 naming what does not."""

import datetime as dt

import pytest
from django.utils import timezone

from polmas.core.heartbeat import heartbeat_beat, worker_name
from polmas.core.models import WorkerBeat

pytestmark = pytest.mark.django_db


def test_it_is_ready_with_the_database_alone_where_no_worker_is_expected(client, settings):
    settings.POLMAS_WORKER_HEARTBEAT_SECONDS = 0

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "database": "ok"}


def test_it_names_the_worker_that_never_beat(client, settings):
    settings.POLMAS_WORKER_HEARTBEAT_SECONDS = 60
    WorkerBeat.objects.all().delete()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert response.json()["worker"] == "never seen"


def test_a_worker_heartbeat_makes_it_ready_and_a_silent_one_does_not(client, settings):
    settings.POLMAS_WORKER_HEARTBEAT_SECONDS = 60
    heartbeat_beat()  # what the worker's periodic job writes

    assert client.get("/readyz").status_code == 200

    WorkerBeat.objects.filter(worker=worker_name()).update(
        beat_at=timezone.now() - dt.timedelta(seconds=300))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["worker"].startswith("silent for 30")


def test_a_get_of_readyz_writes_nothing(client, settings):
    settings.POLMAS_WORKER_HEARTBEAT_SECONDS = 60
    heartbeat_beat()
    before = list(WorkerBeat.objects.values_list("worker", "beat_at"))

    client.get("/readyz")

    assert list(WorkerBeat.objects.values_list("worker", "beat_at")) == before


def test_the_worker_registers_its_heartbeat_as_a_periodic_job():
    from polmas.core import periodic

    assert "worker_heartbeat" in {job.name for job in periodic.jobs()}
