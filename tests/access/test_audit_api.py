"""GET /audit?object=case:{id}: the audit log of one record, for supervisors in scope."""

import pytest
from django.test import Client

from cases.helpers import open_case
from conftest import person
from polmas.access.tokens import token_issue
from polmas.cases.selectors import case_get

pytestmark = pytest.mark.django_db
AUDIT = "/api/v1/audit"


def get(client: Client, username: str, **params):
    token = token_issue(user=person(username), name="test")
    return client.get(AUDIT, params, headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})


def test_a_supervisor_reads_who_opened_a_sealed_case_and_why(client):
    case = open_case(category="domestic_violence")
    case_get(user=person("kapolres"), case_id=case.pk, reason="Audit bulanan")
    response = get(client, "kapolsek", object=f"case:{case.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2 == len(body["items"])
    newest, opened = body["items"]
    assert (newest["who"], newest["action"]) == ("kapolres", "case.read_sealed")
    assert newest["reason"] == "Audit bulanan"
    assert (opened["who"], opened["action"]) == ("bhabin", "case.opened") and opened["when"]


@pytest.mark.parametrize("username", ["bhabin", "fkpm", "warga", "ppa"])
def test_others_than_supervisors_are_refused(client, username):
    case = open_case()
    response = get(client, username, object=f"case:{case.pk}")
    assert response.status_code == 403


def test_a_supervisor_outside_scope_gets_404(client):
    case = open_case()
    assert get(client, "kapolsek_depok", object=f"case:{case.pk}").status_code == 404
    assert get(client, "kapolsek", object="case:999999").status_code == 404


@pytest.mark.parametrize("value", ["case", "case:abc", "case:0", "user:1", "case:1;drop", "case:1\n", ""])
def test_a_malformed_object_is_400_naming_the_field(client, value):
    response = get(client, "kapolsek", object=value)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["object"]


def test_the_object_is_required(client):
    response = get(client, "kapolsek")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["object"]
