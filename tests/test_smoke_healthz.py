"""Smoke test of /healthz (alive): the endpoint liveness probes poll. /readyz with the database
down: tests/core/test_readyz.py, on a real app process."""

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == "ok"

