"""GET /cases and /cases/{id} for a sealed case, role by role."""

import pytest

from cases.helpers import LES, open_case, walk
from cases_api.conftest import CASES, error_fields
from polmas.access.models import AuditEntry

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return [i["id"] for i in body["items"]]


@pytest.mark.parametrize("username", ["bhabin", "ppa"])
def test_the_assigned_officer_and_ppa_read_it_with_identities(as_user, dv_case, username):
    response = as_user(username).get(f"{CASES}/{dv_case.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["sensitive"] and body["identity"]["victim_name"] == "Ni Made Korban"
    item = next(i for i in as_user(username).get(CASES).json()["items"] if i["id"] == dv_case.pk)
    assert item["sealed"] is False and item["title"]


def test_another_officer_gets_404(as_user, dv_case, officer2):
    assert as_user("officer2").get(f"{CASES}/{dv_case.pk}", reason="ingin tahu").status_code == 404
    assert dv_case.pk not in ids(as_user("officer2").get(CASES))


@pytest.mark.parametrize("supervisor", ["kapolsek", "kapolres"])
def test_a_supervisor_needs_a_reason_which_is_audited(as_user, dv_case, supervisor):
    refused = as_user(supervisor).get(f"{CASES}/{dv_case.pk}")
    assert refused.status_code == 403 and error_fields(refused) == ["reason"]
    assert "Korban" not in refused.content.decode()
    allowed = as_user(supervisor).get(f"{CASES}/{dv_case.pk}", reason="Evaluasi penanganan")
    assert allowed.status_code == 200 and allowed.json()["statement"]
    entry = AuditEntry.objects.get(action="case.read_sealed", object_id=str(dv_case.pk))
    assert (entry.actor_name, entry.reason) == (supervisor, "Evaluasi penanganan")
    # Listed for the work queue, but with nothing in it.
    item = next(i for i in as_user(supervisor).get(CASES).json()["items"] if i["id"] == dv_case.pk)
    assert item["sealed"] is True and item["title"] == ""


@pytest.mark.parametrize("username", ["fkpm", "warga", "mitra", "kapolsek_depok"])
def test_everyone_else_gets_404_and_no_listing(as_user, dv_case, username):
    assert as_user(username).get(f"{CASES}/{dv_case.pk}", reason="x").status_code == 404
    assert dv_case.pk not in ids(as_user(username).get(CASES))


def test_the_forum_learns_only_that_a_sensitive_matter_is_handled(as_user, dv_case):
    body = as_user("fkpm").get(f"{CASES}/summary").json()
    assert body == {"by_stage": {"scanning": 1}, "sensitive_being_handled": 1}
    assert as_user("warga").get(f"{CASES}/summary").json()["sensitive_being_handled"] == 0


def test_no_token_is_401(as_user, dv_case):
    assert as_user(None).get(f"{CASES}/{dv_case.pk}").status_code == 401


def test_list_filters_by_stage_region_and_overdue(as_user):
    import datetime as dt

    from django.utils import timezone

    fresh = open_case()
    analysed = walk(open_case(), "analysis")
    quiet = open_case(opened_at=timezone.now() - dt.timedelta(days=9))
    me = as_user("kapolsek")
    assert ids(me.get(CASES, stage="analysis")) == [analysed.pk]
    assert set(ids(me.get(CASES, region=LES))) == {fresh.pk, analysed.pk, quiet.pk}
    assert ids(me.get(CASES, region="51.08.08")) == []
    assert ids(me.get(CASES, overdue="true")) == [quiet.pk]
    assert quiet.pk not in ids(me.get(CASES, overdue="false"))
    bad = me.get(CASES, region="51-08")
    assert bad.status_code == 400 and error_fields(bad) == ["region"]
    assert ids(as_user("kapolsek_depok").get(CASES)) == []
    item = me.get(CASES, stage="analysis").json()["items"][0]
    assert {"id", "region_code", "category", "stage", "sensitive"} <= set(item)
    assert item["category"] == "neighbour_dispute" and item["region_code"] == LES
