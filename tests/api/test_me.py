"""GET /me: who the caller is and which region prefixes they may read."""

import pytest

from api.conftest import API, LES, assert_error
from conftest import OUTSIDER, OUTSIDER_DISTRICT, person
from polmas.policing.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username,roles,scope", [
    ("kapolsek", ["supervisor"], ["51.08.09"]),
    ("kapolres", ["supervisor"], ["51.08"]),
    ("kapolda", ["supervisor"], ["51"]),
    ("ppa", ["ppa_officer"], ["51.08"]),
    ("fkpm", ["fkpm_member"], [LES]),
    ("mitra", ["partner"], ["51"]),
    ("bappenas", ["planner"], [""]),
    ("admin", ["admin"], [""]),
    ("warga", ["resident"], []),
    (OUTSIDER, ["supervisor"], [OUTSIDER_DISTRICT]),
])
def test_it_tells_each_role_its_scope(api, username, roles, scope):
    response = api(username).get(f"{API}/me")
    assert response.status_code == 200
    assert response.json() == {"username": username, "roles": roles, "scope": scope}


def test_a_bhabinkamtibmas_scope_is_the_villages_they_are_posted_to(api):
    villages = sorted(Assignment.objects.filter(officer__user=person("bhabin"), end__isnull=True)
                      .values_list("village_id", flat=True))
    body = api("bhabin").get(f"{API}/me").json()
    assert body["roles"] == ["bhabinkamtibmas"]
    assert body["scope"] == villages and LES in villages


def test_it_refuses_anonymous_callers(api):
    assert_error(api(None).get(f"{API}/me"), 401)


def test_it_refuses_a_bad_token(client):
    assert_error(client.get(f"{API}/me", headers={"Authorization": "Bearer pm_nope"}), 401)


def test_it_answers_only_get(api, client):
    assert api("kapolsek").post(f"{API}/me", {}).status_code == 405


def test_an_unexpected_failure_still_answers_in_the_error_shape(api, monkeypatch, caplog):
    def broken(user):
        raise RuntimeError("a bug")

    caller = api("kapolsek")
    monkeypatch.setattr("polmas.access.api.scope_for", broken)
    response = caller.get(f"{API}/me")
    body = assert_error(response, 500)
    assert "a bug" not in body["detail"]
    assert "RuntimeError: a bug" in caplog.text
