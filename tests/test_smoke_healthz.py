"""Smoke test of /healthz: the endpoint load balancers and monitors poll."""

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
def test_healthz_answers_503_when_database_is_down(client):
    # Simulated outage: opening a cursor fails as it does when the server is unreachable.
    outage = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(connection, "cursor", side_effect=outage) as cursor:
        response = client.get("/healthz")

    assert cursor.called
    assert response.status_code == 503
    assert response.json()["status"] != "ok"
