"""Callers of /api/v1/cases by bearer token (issued directly; logging in is tested in tests/api)."""

import pytest
from django.test import Client

from conftest import person
from polmas.access.tokens import token_issue

CASES = "/api/v1/cases"


class Caller:
    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"} if token else {}

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, data: object):
        return self.client.post(path, data, content_type="application/json", headers=self.headers)


@pytest.fixture
def as_user(client: Client):
    """as_user("kapolsek").get(CASES) -> the answer to that demo user; None: no token."""
    issued: dict[str, str] = {}

    def _caller(username: str | None) -> Caller:
        if username and username not in issued:
            issued[username] = token_issue(user=person(username), name="test")
        return Caller(client, issued.get(username) if username else None)

    return _caller


def error_fields(response) -> list[str]:
    body = response.json()
    assert body["detail"]
    return [e["field"] for e in body["errors"]]


from cases.conftest import dv_case, officer2, officer2_village  # noqa: E402, F401  (shared fixtures)
