"""Smoke test of /healthz (alive) and /readyz (ready): the endpoints load balancers poll."""

from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_stays_alive_and_readyz_names_the_database_when_it_is_down(client, settings):
    settings.POLMAS_WORKER_HEARTBEAT_SECONDS = 0
    # Simulated outage: opening a cursor fails as it does when the server is unreachable.
    outage = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(connection, "cursor", side_effect=outage) as cursor:
        alive = client.get("/healthz")
        ready = client.get("/readyz")

    assert cursor.called
    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["database"] == "unreachable"
    assert ready.json()["failing"] == ["database"]
