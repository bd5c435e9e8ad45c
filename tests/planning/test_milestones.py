"""Editing a milestone: status, due date and owner, within scope, audited; a value changed
since it was read answers 409 naming the field; bad input 400 naming the field."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import OUTSIDER, person
from polmas.access.models import AuditEntry
from polmas.planning import services
from polmas.planning.models import Milestone

pytestmark = pytest.mark.django_db
V1 = "/api/v1/planning"


@pytest.fixture
def wave():
    return services.milestone_save(actor=person("bappenas"), region="51.08", title="Pelatihan gelombang 1",
                                   owner="polda", due=dt.date(2027, 6, 30))


def test_a_planner_changes_status_due_date_and_owner_and_it_is_audited(wave):
    services.milestone_update(actor=person("kapolres"), milestone=wave, status="in_progress",
                              due=dt.date(2027, 9, 1), owner="pemda", owner_name="Pemkab Buleleng",
                              seen={"status": "planned", "due": "2027-06-30"})
    wave.refresh_from_db()
    assert (wave.status, wave.due, wave.owner, wave.owner_name) == (
        "in_progress", dt.date(2027, 9, 1), "pemda", "Pemkab Buleleng")
    entry = AuditEntry.objects.filter(action="planning.milestone").order_by("-pk").first()
    assert entry.detail["changed"]["status"] == ["planned", "in_progress"]
    assert entry.detail["changed"]["due"] == ["2027-06-30", "2027-09-01"]


def test_a_value_changed_since_it_was_read_is_refused_naming_it(wave):
    services.milestone_update(actor=person("bappenas"), milestone=wave, status="done")
    with pytest.raises(services.MilestoneChanged) as caught:
        services.milestone_update(actor=person("kapolres"), milestone=wave, status="late",
                                  due=dt.date(2028, 1, 1), seen={"status": "planned"})
    assert caught.value.field == "status"
    wave.refresh_from_db()
    assert (wave.status, wave.due) == ("done", dt.date(2027, 6, 30))


@pytest.mark.parametrize(("change", "field"), [
    ({"status": "finished"}, "status"),
    ({"owner": "bupati"}, "owner"),
    ({"due": dt.date(1999, 12, 31)}, "due"),
    ({"due": "tomorrow"}, "due"),
    ({"owner_name": "x" * 151}, "owner_name"),
    ({"seen": {"title": "x"}}, "seen"),
])
def test_bad_changes_are_refused_naming_the_field(wave, change, field):
    with pytest.raises(ValidationError) as caught:
        services.milestone_update(actor=person("bappenas"), milestone=wave, **change)
    assert field in caught.value.message_dict
    wave.refresh_from_db()
    assert wave.status == "planned" and wave.due == dt.date(2027, 6, 30)


def test_a_kapolsek_reads_the_regencys_milestone_but_may_not_change_it(wave, login):
    with pytest.raises(PermissionDenied):
        services.milestone_update(actor=person("kapolsek"), milestone=wave, status="done")
    client = login("kapolsek")
    assert client.get(f"/rencana/tonggak/{wave.pk}/").status_code == 200
    assert client.post(f"/rencana/tonggak/{wave.pk}/", {"status": "done"}).status_code == 403
    assert login(OUTSIDER).get(f"/rencana/tonggak/{wave.pk}/").status_code == 404
    wave.refresh_from_db()
    assert wave.status == "planned"


def test_the_page_saves_and_a_stale_form_answers_409(wave, login):
    client = login("kapolres")
    form = {"status": "in_progress", "due": "2027-07-15", "owner": "polda", "owner_name": "",
            "seen_status": "planned", "seen_due": "2027-06-30", "seen_owner": "polda",
            "seen_owner_name": ""}
    r = client.post(f"/rencana/tonggak/{wave.pk}/", form)
    assert r.status_code == 302 and r["Location"].endswith("/rencana/wilayah/51.08/#milestones")
    wave.refresh_from_db()
    assert (wave.status, wave.due) == ("in_progress", dt.date(2027, 7, 15))
    with translation.override("en"):
        r = client.post(f"/rencana/tonggak/{wave.pk}/", {**form, "status": "done"},
                        HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 409
    assert "status was changed by someone else" in r.content.decode()
    r = client.post(f"/rencana/tonggak/{wave.pk}/", {"due": "31/12/2027"})
    assert r.status_code == 400 and 'due:' in r.content.decode()
    wave.refresh_from_db()
    assert wave.status == "in_progress"


def test_the_api_changes_a_milestone_and_answers_409_naming_the_field(wave, client, token):
    headers = {"Authorization": f"Bearer {token('kapolda')}"}
    r = client.patch(f"{V1}/milestones/{wave.pk}", {"status": "late", "seen": {"due": "2027-06-30"}},
                     content_type="application/json", headers=headers)
    assert r.status_code == 200 and r.json()["status"] == "late"
    r = client.patch(f"{V1}/milestones/{wave.pk}", {"status": "done", "seen": {"status": "planned"}},
                     content_type="application/json", headers=headers)
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "status"
    r = client.patch(f"{V1}/milestones/{wave.pk}", {"due": "2101-01-01"},
                     content_type="application/json", headers=headers)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "due"
    assert Milestone.objects.get(pk=wave.pk).status == "late"
    outsider = {"Authorization": f"Bearer {token(OUTSIDER)}"}
    r = client.patch(f"{V1}/milestones/{wave.pk}", {"status": "done"},
                     content_type="application/json", headers=outsider)
    assert r.status_code == 404
