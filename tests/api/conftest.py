"""Helpers for the API tests: the places of the demo, paging through lists, English answers."""

import pytest
from django.db.models import Q
from django.test import Client

TEJAKULA = "51.08.09"  # Polsek Tejakula, the kapolsek's district
BULELENG = "51.08"  # Polres Buleleng, the kapolres's regency
LES = "51.08.09.2007"  # Desa Les, the bhabin's and the fkpm member's village
API = "/api/v1"


def under(field: str, prefix: str) -> Q:
    """Rows whose region-code `field` is `prefix` or lies below it (computed apart from the app)."""
    if prefix == "":
        return Q()
    return Q(**{field: prefix}) | Q(**{f"{field}__startswith": prefix + "."})


def all_items(caller, path: str, **params) -> list[dict]:
    """Every item of a paginated list, page by page."""
    items: list[dict] = []
    while True:
        response = caller.get(path, limit=500, offset=len(items), **params)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        if not body["items"] or len(items) >= body["count"]:
            assert len(items) == body["count"]
            return items


def assert_error(response, status: int, field: str | None = None) -> dict:
    """The answer is the API's JSON error shape with `status`, naming `field` if given."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
        assert all(e["reason"] for e in body["errors"])
    return body


@pytest.fixture
def english(client: Client, token):
    """english(path, username=None, **params) -> a GET asking for English answers."""

    def _get(path: str, username: str | None = None, **params):
        headers = {"Accept-Language": "en"}
        if username:
            headers["Authorization"] = f"Bearer {token(username)}"
        return client.get(path, params, headers=headers)

    return _get
