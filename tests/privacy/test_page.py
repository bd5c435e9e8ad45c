"""/privasi/: an administrator finds, exports and erases a person; nobody else sees the page."""

import json

import pytest

from polmas.access.models import AuditEntry
from polmas.reports.models import Report
from privacy.helpers import SITI, cast
from reports.helpers import PHONE

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["kapolda", "bhabin", "warga"])
def test_only_administrators_see_the_page(login, who):
    client = login(who)
    assert client.get("/privasi/").status_code == 404
    assert client.post("/privasi/", {"phone": PHONE, "action": "export"}).status_code == 404


def test_the_empty_form_writes_nothing(login):
    client = login("admin")  # the login itself is audited
    before = AuditEntry.objects.count()
    assert client.get("/privasi/").status_code == 200
    assert AuditEntry.objects.count() == before


def test_finding_shows_the_counts(login):
    cast()
    response = login("admin").post("/privasi/", {"phone": PHONE, "action": "find"})
    assert response.status_code == 200
    assert "2" in response.content.decode().split('id="found"')[1].split("</p>")[0]


def test_the_export_is_a_json_download(login):
    c = cast()
    response = login("admin").post("/privasi/", {"phone": PHONE, "action": "export"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert {r["id"] for r in document["reports"]} == {r.pk for r in c.siti_reports}
    assert AuditEntry.objects.filter(action="personal_data.export", actor_name="admin").count() == 3


def test_an_erasure_without_reason_or_confirmation_changes_nothing(login, client):
    c = cast()
    login("admin")
    client.cookies["django_language"] = "en"
    response = client.post("/privasi/", {"phone": PHONE, "action": "erase"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give a reason for the erasure." in text and "Confirm the erasure." in text
    assert Report.objects.get(pk=c.siti_reports[0].pk).reporter_name == SITI


def test_a_confirmed_erasure_erases(login):
    c = cast()
    response = login("admin").post("/privasi/", {"phone": PHONE, "action": "erase",
                                                 "reason": "Permintaan 3/2026", "confirm": "on"})
    assert response.status_code == 200 and 'id="erased"' in response.content.decode()
    assert Report.objects.get(pk=c.siti_reports[0].pk).reporter_name == ""
    assert AuditEntry.objects.filter(action="personal_data.erase", reason="Permintaan 3/2026").count() == 3


def test_a_bad_phone_is_refused_naming_it(login):
    response = login("admin").post("/privasi/", {"phone": "12345", "action": "find"})
    assert response.status_code == 400
    assert "12345" in response.content.decode()


@pytest.mark.parametrize("action", ["", "publish"])
def test_an_unknown_action_is_refused_with_a_reason(login, action):
    client = login("admin")
    before = AuditEntry.objects.count()
    response = client.post("/privasi/", {"phone": PHONE, "action": action})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert AuditEntry.objects.count() == before
