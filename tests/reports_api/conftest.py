"""Callers of /api/v1/reports: any demo user by token, or nobody; in Indonesian or English."""

import pytest
from django.test import Client

from polmas.reports.models import Report
from polmas.reports.routing import route_pending

API = "/api/v1"
REPORTS = f"{API}/reports"


class Caller:
    """Requests as `username` (None: no token), optionally in English or from an address."""

    def __init__(self, client: Client, token: str | None, lang: str | None, addr: str | None,
                 forwarded: str | None) -> None:
        self.client = client
        self.headers: dict[str, str] = {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        if lang:
            self.headers["Accept-Language"] = lang
        self.extra = {"REMOTE_ADDR": addr} if addr else {}
        if forwarded:
            self.extra["HTTP_X_FORWARDED_FOR"] = forwarded

    def get(self, path: str, **params):
        return self.client.get(path, params, headers=self.headers, **self.extra)

    def post(self, path: str, data: object):
        body = data if isinstance(data, str | bytes) else None
        return self.client.post(path, body if body is not None else data,
                                content_type="application/json", headers=self.headers, **self.extra)


@pytest.fixture
def as_(client: Client, token):
    """as_("bhabin").get(...); as_(None) is an anonymous resident; lang="en" for English."""

    def _as(username: str | None, *, lang: str | None = None, addr: str | None = None,
            forwarded: str | None = None) -> Caller:
        return Caller(client, token(username) if username else None, lang, addr, forwarded)

    return _as


def good(**fields: object) -> dict:
    """A valid submission body: a theft in Desa Les."""
    return {"category": "theft", "description": "Sepeda motor dicuri di depan rumah.",
            "village": "51.08.09.2007", **fields}


@pytest.fixture
def file_report(as_):
    """file_report(**fields) -> the stored Report, submitted anonymously through the API."""

    def _file(**fields: object) -> Report:
        response = as_(None).post(REPORTS, good(**fields))
        assert response.status_code == 201, response.content
        route_pending()  # as the task queue does a moment later (ADR 11)
        return Report.objects.get(pk=response.json()["id"])

    return _file
