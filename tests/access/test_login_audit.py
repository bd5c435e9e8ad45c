"""The audit log records every login and every refused one, on the web and the API: who (or
the username tried), from which client address, never the password."""

import json

import pytest

from conftest import person
from polmas.access.models import AuditEntry
from polmas.simulation.accounts import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def test_a_web_login_is_recorded_with_the_client(client):
    client.post("/accounts/login/", {"username": "kapolsek", "password": PASSWORD},
                REMOTE_ADDR="192.0.2.44")
    [entry] = entries("login")
    assert entry.actor == person("kapolsek") and entry.actor_name == "kapolsek"
    assert entry.detail == {"client": "192.0.2.44", "path": "/accounts/login/"}


def test_an_api_login_is_recorded(client):
    client.post(TOKEN, {"username": "kapolres", "password": PASSWORD},
                content_type="application/json", REMOTE_ADDR="192.0.2.45")
    [entry] = entries("login")
    assert entry.actor_name == "kapolres"
    assert entry.detail["client"] == "192.0.2.45" and entry.detail["path"] == TOKEN


def test_a_failed_web_login_records_the_username_tried_not_the_password(client):
    client.post("/accounts/login/", {"username": "kapolsek", "password": "secret-guess-1"},
                REMOTE_ADDR="192.0.2.46")
    [entry] = entries("login.failed")
    assert entry.actor is None
    assert entry.detail == {"username": "kapolsek", "client": "192.0.2.46",
                            "path": "/accounts/login/"}
    assert "secret-guess-1" not in json.dumps(entry.detail) + entry.reason
    assert entries("login") == []


def test_a_failed_api_login_for_an_unknown_user_is_recorded(client):
    client.post(TOKEN, {"username": "nobody-at-all", "password": "x"},
                content_type="application/json", REMOTE_ADDR="192.0.2.47")
    [entry] = entries("login.failed")
    assert entry.detail["username"] == "nobody-at-all" and entry.detail["client"] == "192.0.2.47"


def test_attempts_during_a_lockout_are_recorded_as_such(client):
    for _ in range(6):
        client.post(TOKEN, {"username": "kapolsek", "password": "wrong"},
                    content_type="application/json")
    failed = entries("login.failed")
    assert len(failed) == 6
    assert [e.detail.get("locked_out", False) for e in failed] == [False] * 4 + [True] * 2


def test_behind_a_proxy_the_client_is_the_forwarded_address(client, settings):
    settings.POLMAS_BEHIND_PROXY = True
    client.post(TOKEN, {"username": "kapolsek", "password": "wrong"},
                content_type="application/json", REMOTE_ADDR="10.0.0.2",
                headers={"X-Forwarded-For": "203.0.113.9"})
    assert entries("login.failed")[0].detail["client"] == "203.0.113.9"
