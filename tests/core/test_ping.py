"""/ping: the bare JSON endpoint the intake benchmark measures the API against. No login, no
CSRF token, no database (these tests have no database access: a query would fail them)."""

import json

import pytest
from django.test import Client


@pytest.fixture
def csrf_client() -> Client:
    # The real browser rules: a POST without a CSRF token would be refused elsewhere.
    return Client(enforce_csrf_checks=True)


def test_get_answers_pong(csrf_client):
    response = csrf_client.get("/ping")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"pong": True}


def test_post_parses_a_json_body_without_csrf_token(csrf_client):
    body = {"category": "theft", "description": "Motor hilang di depan pasar", "village": "51.71.01.1001"}

    response = csrf_client.post("/ping", json.dumps(body), content_type="application/json")

    assert response.status_code == 200
    assert response.json() == {"pong": True}


def test_post_with_an_empty_body_answers_pong(csrf_client):
    response = csrf_client.post("/ping", b"", content_type="application/json")

    assert response.status_code == 200
    assert response.json() == {"pong": True}


@pytest.mark.parametrize("raw", [b'{"category": "theft",', b"not json", b'{"a": "\xff\xfe"}'])
def test_malformed_json_is_a_400_with_a_clear_message(csrf_client, raw):
    response = csrf_client.post("/ping", raw, content_type="application/json",
                                headers={"Accept-Language": "en"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["errors"] == [{"field": "body", "reason": "is not valid JSON"}]
    assert body["detail"] == "body: is not valid JSON"


def test_other_methods_are_refused(csrf_client):
    assert csrf_client.put("/ping", "{}", content_type="application/json").status_code == 405
