"""/readyz: 200 when every configured part answers; 200 "degraded" naming a shared part with a
fallback that does not (worker, cache, replica); 503 when the database does not."""

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

    assert response.status_code == 200  # the reports wait, stored, for a worker
    assert response.json()["status"] == "degraded"
    assert response.json()["failing"] == ["worker"]
    assert response.json()["worker"] == "never seen"


def test_a_worker_heartbeat_makes_it_ready_and_a_silent_one_does_not(client, settings):
    settings.POLMAS_WORKER_HEARTBEAT_SECONDS = 60
    heartbeat_beat()  # what the worker's periodic job writes

    assert client.get("/readyz").status_code == 200

    WorkerBeat.objects.filter(worker=worker_name()).update(
        beat_at=timezone.now() - dt.timedelta(seconds=300))
    response = client.get("/readyz")
    assert (response.status_code, response.json()["status"]) == (200, "degraded")
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




def test_a_database_that_does_not_answer_makes_it_unavailable(tmp_path):
    """The one part this server cannot serve without: 503, naming it. A real app process
    whose database is a port nothing listens on (not a stand-in for the check)."""
    import json
    import os
    import subprocess
    import sys

    code = ("from django.test.utils import setup_test_environment; setup_test_environment(); "
            "from django.test import Client; a = Client().get('/healthz'); r = Client().get('/readyz'); "
            "print(a.status_code, r.status_code, r.content.decode())")
    env = os.environ | {"DATABASE_URL": "postgres://polmas:polmas@127.0.0.1:1/nowhere",
                        "POLMAS_VAR_DIR": str(tmp_path), "POLMAS_WORKER_HEARTBEAT_SECONDS": "0"}
    env.pop("DATABASE_REPLICA_URL", None)
    env.pop("POLMAS_CACHE_URL", None)
    done = subprocess.run([sys.executable, "-m", "polmas.cli", "shell", "-c", code], env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=120)
    alive, status, body = done.stdout.strip().splitlines()[-1].split(" ", 2)
    assert alive == "200", done.stdout + done.stderr  # liveness asks nothing else
    assert status == "503", done.stdout + done.stderr
    answer = json.loads(body)
    assert answer["status"] == "unavailable"
    assert answer["failing"] == ["database"] and answer["database"] != "ok"
